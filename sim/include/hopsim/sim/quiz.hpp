#pragma once
// Predict, then reveal: questions about what happens next, made from a
// recorded run, so no answer can be wrong. Each stops the clock at one event
// (a switch has just received a frame, a router is about to forward a
// packet, a host asks ARP, a host starts sending onto a hub, switches start
// their spanning tree: which becomes root, which port blocks) and offers a few
// choices; the run itself holds the answer. `hopsim quiz` asks them in the
// terminal, `hopsim view --quiz` in the window, `hopsim render --quiz` draws them.

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::sim {

enum class QuizKind : std::uint8_t { Switch, Ttl, Mac, Arp, Collision, Stp };
const char* to_string(QuizKind k);  // "switch", "ttl", "mac", "arp", "collision", "stp"
std::optional<QuizKind> quiz_kind(std::string_view name);
// "switch,ttl" as kinds; an empty list: the scenario's own (quiz.kinds).
// Error: the message for a name that is not a kind.
Result<std::vector<QuizKind>, std::string> parse_quiz_kinds(const std::string& list, const QuizSpec& scenario);

struct Question {
    QuizKind kind = QuizKind::Switch;
    std::size_t event = 0;  // the recorded event the clock stops at (the question is about what follows)
    std::int64_t t = 0;
    std::string prompt;     // "S1 receives this frame on port 1: ARP who-has 10.0.0.2 from A. Where does it send it?"
    std::vector<std::string> choices;
    std::size_t answer = 0;  // index into choices
    std::string why;         // the reveal: what the run did, and the rule behind it
};

// The questions of a run in time order, at most `max`, only of `kinds`
// (empty: every kind), one per distinct prompt; none before `after`.
std::vector<Question> make_quiz(const Scenario& sc, const std::vector<RecordedEvent>& events,
                                const std::vector<QuizKind>& kinds, std::size_t max, SimTime after = SimTime());

}  // namespace hopsim::sim
