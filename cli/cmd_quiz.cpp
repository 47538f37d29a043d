// hopsim quiz SCENARIO: predict, then reveal, in the terminal. The run is
// simulated once; at each question the student picks a choice (typed, or
// given with --answers), then sees what the run did and why; the score at
// the end. --reveal prints the questions with their answers (a handout).

#include <fmt/core.h>

#include <unistd.h>

#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "hopsim/sim/quiz.hpp"
#include "hopsim/sim/simulation.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::string file;
    std::string kinds, answers;
    int max = 0;  // 0: the scenario's quiz.max
    bool reveal = false;
};

// The next answer: from --answers, else a line typed on standard input; 0 at the end.
class Answers {
public:
    explicit Answers(const std::string& given) : given_(given), from_list_(!given.empty()) {}
    std::size_t next(std::size_t choices) {
        for (int tries = 0; tries < 5; ++tries) {
            std::string word;
            if (from_list_) {
                if (!std::getline(given_, word, ',')) return 0;
            } else {
                fmt::print("your answer (1-{}): ", choices);
                std::fflush(stdout);
                if (!std::getline(std::cin, word)) return 0;
                if (!::isatty(0)) fmt::print("{}\n", word);  // piped in: show it as if typed
            }
            std::size_t n = 0;
            if (std::istringstream(word) >> n && n >= 1 && n <= choices) return n;
            fmt::print("  \"{}\" is not one of the choices: type a number from 1 to {}\n", word, choices);
            if (from_list_) return 0;
        }
        return 0;
    }

private:
    std::istringstream given_;
    bool from_list_;
};

int run(const Options& o) {
    auto sc = load_or_report(o.file);
    if (!sc) return kExitBadInput;
    const auto kinds = sim::parse_quiz_kinds(o.kinds, sc->quiz);
    if (!kinds) return fmt::print(stderr, "hopsim quiz: --kinds: {}\n", kinds.error()), kExitBadInput;
    sim::Simulation simulation(*sc);
    sim::RecorderSink recorder;
    simulation.tracer().add(&recorder);
    simulation.run(sc->until);
    const auto questions = sim::make_quiz(*sc, recorder.events, *kinds, static_cast<std::size_t>(o.max ? o.max : sc->quiz.max), sc->quiz.after);
    if (questions.empty()) {
        fmt::print("{}: no questions to ask here (nothing of the kinds asked happens in this run)\n", o.file);
        return kExitOk;
    }
    fmt::print("{}: {} question{}. Predict what happens next; the run shows whether you were right.\n", sc->name.empty() ? o.file : sc->name,
               questions.size(), questions.size() == 1 ? "" : "s");
    Answers answers(o.answers);
    std::size_t right = 0, asked = 0;
    for (std::size_t q = 0; q < questions.size(); ++q) {
        const sim::Question& k = questions[q];
        fmt::print("\n{}. at {}: {}\n", q + 1, sim::SimTime::ns(k.t).to_string(), k.prompt);
        for (std::size_t c = 0; c < k.choices.size(); ++c)
            fmt::print("   {}) {}{}\n", c + 1, k.choices[c], o.reveal && c == k.answer ? "   <- the answer" : "");
        if (o.reveal) {
            fmt::print("   {}\n", k.why);
            continue;
        }
        const std::size_t n = answers.next(k.choices.size());
        if (n == 0) {
            fmt::print("\n(no more answers: {} question{} left unanswered)\n", questions.size() - q, questions.size() - q == 1 ? "" : "s");
            break;
        }
        ++asked;
        const bool ok = n - 1 == k.answer;
        right += ok;
        fmt::print("   {} {}\n", ok ? "right:" : fmt::format("no, it is {}):", k.answer + 1), k.why);
    }
    if (!o.reveal) fmt::print("\nscore: {} of {} right ({} asked)\n", right, questions.size(), asked);
    return kExitOk;
}

}  // namespace

Command add_quiz(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("quiz", "Predict what happens next, then see what the run did: questions made from the run");
    cmd->add_option("SCENARIO", o->file, "Scenario JSON file")->required();
    cmd->add_option("--kinds", o->kinds, "Only these kinds, comma-separated: switch, ttl, mac, arp, collision, stp (default: the scenario's quiz.kinds, else all)");
    cmd->add_option("--max", o->max, "At most N questions (default: the scenario's quiz.max, else 10)")->check(CLI::Range(1, 1000));
    cmd->add_option("--answers", o->answers, "The answers as numbers, comma-separated (instead of typing them), e.g. 1,3,2");
    cmd->add_flag("--reveal", o->reveal, "Print every question with its answer and why (a handout); asks nothing");
    cmd->footer("The questions come from the simulated run itself, so every answer is what the run did.\n"
                "Example: hopsim quiz scenarios/02-switch-learning.json --kinds switch");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
