#pragma once
// The scenario's TCP and UDP flows replayed through the kernel's sockets on
// loopback: each host gets its own address (127.0.1.N for the N-th node in
// the file), each service listens there on its port (any other port is
// closed, as in the simulation), and each tcp/udp
// traffic item is sent with the same payload at the same relative start
// time. ping, frame and traceroute need raw sockets and are not replayed.

#include <string>
#include <vector>

#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::real {

using sim::FlowStats;
using sim::Scenario;
using sim::SimTime;

net::Ipv4Address loopback_address(int node);  // 127.0.1.1 for the first node

struct RealFlow {
    FlowStats stats;            // the same fields the simulation fills, from a FlowLedger
    bool replayed = false;
    std::string note;           // why not replayed, or what went wrong ("connect ...: Connection refused")
};

struct RealRun {
    std::vector<RealFlow> flows;
    std::int64_t wall_ns = 0;
    bool timed_out = false;  // flows were still running at the timeout
    // Datagrams the kernel dropped for full socket receive buffers while the
    // replay ran (from /proc/net/snmp; -1 if unknown): loss on the real side.
    long long kernel_udp_drops = -1;
};

// Fails (with the failing call and address) if a socket cannot be set up.
Result<RealRun, std::string> replay_on_loopback(const Scenario& sc, SimTime timeout);

bool real_flow_intact(const Scenario& sc, const RealRun& run, int flow);
std::string real_summary_json(const Scenario& sc, const RealRun& run);

}  // namespace hopsim::real
