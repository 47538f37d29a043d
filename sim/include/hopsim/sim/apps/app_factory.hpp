#pragma once
// The one place a scenario's `services` and `traffic` become applications on
// its hosts. On each host they start in this order: its services, a frame
// sink if the scenario sends raw frames, then what its traffic items need in
// the order of the file (the sender on the source host; for a udp item, a
// sink on the destination port if no service listens there, as `nc -lu`
// would).

#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

class Host;

// hosts[n] is node n's Host, or null for other kinds of node.
void install_applications(const Scenario& sc, const std::vector<Host*>& hosts);

}  // namespace hopsim::sim
