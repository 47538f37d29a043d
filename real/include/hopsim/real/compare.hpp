#pragma once
// Simulated against real delivery, flow by flow. Where the scenario has loss
// (the simulation dropped this flow's frames) loopback cannot agree, and the
// verdict says that this difference is by design rather than hiding it.

#include <string>
#include <vector>

#include "hopsim/real/loopback_replay.hpp"
#include "hopsim/sim/simulation.hpp"

namespace hopsim::real {

using sim::Network;

struct FlowVerdict {
    bool compared = false;   // false: the flow could not be replayed
    bool agree = false;
    bool by_design = false;  // they differ because the simulated network is lossy
    std::string reason;
};

std::vector<FlowVerdict> compare_flows(const Scenario& sc, const Network& simulated, const RealRun& real);
std::string compare_table(const Scenario& sc, const Network& simulated, const RealRun& real,
                          const std::vector<FlowVerdict>& verdicts);
std::string compare_json(const Scenario& sc, const Network& simulated, const RealRun& real,
                         const std::vector<FlowVerdict>& verdicts);

}  // namespace hopsim::real
