#pragma once
// The one place a scenario's `services` and `traffic` become applications on
// its hosts. On each host they start in this order: its services, a frame
// sink if the scenario sends raw frames, then its traffic items' senders in
// the order of the file. A port is open only where a service listens: a udp
// flow to any other port is answered with ICMP port unreachable (RFC 1122).

#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

class Host;

// hosts[n] is node n's Host, or null for other kinds of node.
void install_applications(const Scenario& sc, const std::vector<Host*>& hosts);

}  // namespace hopsim::sim
