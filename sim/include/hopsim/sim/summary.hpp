#pragma once
// What a run amounts to: the summary JSON of contract section 3, and the short
// table `hopsim run` prints for people. Both read the same counters.

#include <string>

#include "hopsim/sim/simulation.hpp"

namespace hopsim::sim {

std::string summary_json(const Simulation& sim);
std::string human_summary(const Simulation& sim);
// A traceroute's hops as traceroute(8) prints them (one line per TTL).
std::string traceroute_lines(const Scenario& sc, const TrafficSpec& t, const FlowStats& f);

}  // namespace hopsim::sim
