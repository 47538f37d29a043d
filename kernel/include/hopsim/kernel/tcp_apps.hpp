#pragma once
// The scenario's TCP applications as they run inside a namespace (bodies for
// NetnsProcess), on the kernel's own sockets, doing what the simulator's do:
// a client connects at the flow's time, writes the whole payload, and closes
// (FIN) once every byte is acknowledged, or with `echo` once every byte came
// back; a sink or echo service reads each connection to its end and closes
// its side then. Each writes what it counted as text when told to stop.

#include <cstdint>
#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::kernel {

// Writes "tcp PORT SEGS_OUT DATA_SEGS_OUT RETRANSMITTED ECHOED MISMATCHED [FAILURE...]\n":
// its ephemeral port, TCP_INFO's counters (read before the socket goes),
// bytes that came back (echo) and whether they differed, and the error
// the connection failed with, as strerror says it.
void tcp_client(const sim::TrafficSpec& t, int out, bool (*stop)());

// Writes "ready\n" once listening, then at the end "conn ADDRESS PORT 1 BYTES MISMATCHED\n"
// per connection; `flows` are the ones addressed to this port, whose payloads the bytes must match.
void tcp_service(std::uint16_t port, bool echo, const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)());

}  // namespace hopsim::kernel
