#pragma once
// What a lesson says must happen: the scenario's "expect" list, each entry
// one assertion over the run (a flow's outcome, frames a node receives or
// sends, a table at an instant, one packet's path, drops, collisions).
// `hopsim check` evaluates them (expect_check.hpp); `hopsim grade` scores
// them. The vocabulary is the contract's section "Expectations".

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hopsim/sim/stats.hpp"
#include "hopsim/sim/time.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

// A count: exactly N, or at least / at most.
struct Count {
    std::optional<std::int64_t> exactly, min, max;
    bool holds(std::int64_t v) const;
    std::string text() const;  // "3", "at least 1", "between 1 and 4"
};

enum class ExpectKind : std::uint8_t { Flow, Frames, Table, Packet, Drop, Collisions };

struct Expectation {
    std::string id;     // given, or "expect[3]"
    std::string text;   // what the lesson says it shows, optional
    int points = 1;     // for grading
    ExpectKind kind = ExpectKind::Flow;

    // Flow: "flow" with any of delivered, intact, state and counters.
    int flow = -1;
    std::optional<bool> delivered, intact, reached;
    std::optional<std::string> state;                     // "ok", "refused", "reset", "timed-out"
    std::vector<std::pair<std::string, Count>> counters;  // "delivered_packets", "retransmissions", ...

    // Frames: "node" with "receives" or "sends", filtered by "match" and a time window.
    int node = -1;
    bool sends = false;
    Count count;
    std::vector<std::pair<std::string, std::string>> match;  // "ipv4.dst" -> "10.0.0.2"
    SimTime after = SimTime(), before = SimTime::max();

    // Table: "table" ("S1.mac", "A.arp", "R1.routes") at "at" (default: the end).
    Table table = Table::None;
    std::optional<SimTime> at;
    std::vector<std::pair<std::string, std::optional<std::string>>> contains;  // key -> value, or any value
    std::vector<std::string> lacks;

    // Packet: the n-th packet the flow sent (1-based), its path and TTLs.
    int packet_n = 1;
    std::vector<int> path;                      // nodes, the sender first
    std::vector<std::pair<int, int>> ttl_at;    // node -> ipv4.ttl as it arrived there

    // Drop (node, reason optional; count default "at least 1"; "no_drop": count 0) and Collisions (node).
    std::optional<Reason> reason;
};

// One expectation evaluated: whether it held and what the run showed.
struct ExpectResult {
    std::string id;
    std::string expected;  // the expectation in words
    std::string evidence;  // what was seen: the count, the table entry, the event that broke it
    bool pass = false;
    int points = 1;
};

}  // namespace hopsim::sim
