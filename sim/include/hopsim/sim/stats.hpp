#pragma once
// Counters that are always kept (the human summary and the summary JSON read
// them), independent of tracing. Every drop has a reason from one enum.

#include <array>
#include <cstdint>
#include <vector>

#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

enum class Reason : std::uint8_t {
    TtlExpired, NoRoute, QueueFull, Loss, Collision, NotForMe, SamePort, ArpTimeout,
    ArpQueueFull, BadChecksum, Malformed, PortUnreachable, TooBig, NoListener, NotModelled,
    kCount,
};
const char* to_string(Reason r);

struct NodeStats {
    std::uint64_t rx_frames = 0;
    std::uint64_t tx_frames = 0;
    std::uint64_t collisions = 0;
    std::uint64_t floods = 0;
    std::uint64_t filtered = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(Reason::kCount)> drops{};
    std::uint64_t total_drops() const;
};

// One traceroute answer (or silence) for one probe.
struct TraceHop {
    int ttl = 0;
    std::uint32_t from = 0;  // IPv4 address of the responder; 0 = no reply in time ("*")
    SimTime rtt;
    bool reached = false;    // the destination itself answered
};

struct FlowStats {
    std::uint64_t sent_bytes = 0, delivered_bytes = 0;
    std::uint64_t sent_packets = 0, delivered_packets = 0;
    std::uint64_t retransmissions = 0;
    std::uint64_t echoed_bytes = 0;  // tcp with echo: bytes that came back to the sender
    SimTime first_send = SimTime::max(), last_deliver;  // max() = never
    bool mismatched = false;  // some delivered bytes differed from what was sent
    std::vector<TraceHop> hops;  // traceroute only
};

}  // namespace hopsim::sim
