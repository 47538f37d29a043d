#pragma once
// The scenario's UDP applications as they run inside a namespace (bodies
// for NetnsProcess), on the kernel's own sockets: a sender that sends a
// flow's datagrams at its interval and keeps its socket open (so echoes
// find it, as in the simulation), and a sink or echo service. Each writes
// what it counted as text lines when told to stop.

#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::kernel {

// Writes "sent PORT COUNT\n": its ephemeral port and the datagrams sent.
void udp_sender(const sim::TrafficSpec& t, int out, bool (*stop)());

// Writes "ready\n" once bound, then at the end "from ADDRESS PORT DATAGRAMS BYTES MISMATCHED\n" per source; `flows`
// are the ones addressed to this port, whose payloads the bytes must match.
void udp_service(std::uint16_t port, bool echo, const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)());

}  // namespace hopsim::kernel
