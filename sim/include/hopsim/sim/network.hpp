#pragma once
// What every device and medium shares during a run: the clock, the frame
// pool, the tracer, the counters and the scenario's random streams.

#include <cstdint>
#include <string_view>
#include <vector>

#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/frame_pool.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/stats.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

struct Network {
    explicit Network(const Scenario& s) : sc(s), stats(s.nodes.size()), flows(s.traffic.size()) {}

    const Scenario& sc;
    Engine engine;
    FramePool pool;
    Tracer tracer;
    std::vector<NodeStats> stats;
    std::vector<FlowStats> flows;

    SimTime now() const { return engine.now(); }
    Rng stream(std::string_view key) const { return Rng(sc.seed, key); }
    std::uint64_t new_pkt() { return ++pkt_ids_; }
    std::uint64_t new_wire_id() { return ++wire_ids_; }

    // Counts a drop and traces it; releases nothing (the caller owns the frame).
    void drop(int node, int port, FrameRef f, Reason r, std::string_view detail = {});
    // Counts a filtered frame (not-for-me, same-port) and traces it.
    void filter(int node, int port, FrameRef f, Reason r);

private:
    std::uint64_t pkt_ids_ = 0;
    std::uint64_t wire_ids_ = 0;
};

}  // namespace hopsim::sim
