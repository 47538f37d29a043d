#pragma once
// The scenario's traceroute as it runs inside a namespace (a body for
// NetnsProcess), on the kernel's own sockets: the probe pattern of the
// simulator's traceroute (probes one at a time, each answered or timed out
// before the next; UDP to port 33434 + probe number, or ICMP echo with
// sequence probe number + 1; the hop after the one that reached the
// destination is not probed), answers read from the socket's error queue
// (IP_RECVERR), as traceroute(8) reads them.

#include "hopsim/sim/scenario.hpp"

namespace hopsim::kernel {

// Writes one line per probe, "hop TTL ADDRESS RTT_NS REACHED" (ADDRESS 0:
// no answer in time), then "end\n".
void traceroute(const sim::TrafficSpec& t, int out, bool (*stop)());

}  // namespace hopsim::kernel
