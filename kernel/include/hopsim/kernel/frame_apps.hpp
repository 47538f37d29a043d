#pragma once
// The scenario's raw Ethernet frames as they run inside a namespace (bodies
// for NetnsProcess), on packet sockets: a sender that writes a flow's frames
// on the host's interface at its interval, and a sink on a host that counts
// the frames the host's network card accepts (addressed to it, broadcast or
// multicast), as the simulator's hosts hand them to their packet socket.

#include <string>
#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::kernel {

// Writes "sent COUNT\n". `device`: the host's interface in its namespace.
void frame_sender(const sim::TrafficSpec& t, const std::string& device, int out, bool (*stop)());

// Writes "ready\n" once listening, then at the end one line per sender and
// destination, "from SRC_MAC DST_MAC ETHERTYPE FRAMES BYTES MISMATCHED", for
// the EtherTypes of `flows` (whose payloads the frames must start with).
void frame_sink(const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)());

}  // namespace hopsim::kernel
