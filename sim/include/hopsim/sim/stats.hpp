#pragma once
// Counters that are always kept (the human summary and the summary JSON read
// them), independent of tracing. Every drop has a reason from one enum.

#include <array>
#include <cstdint>

namespace hopsim::sim {

enum class Reason : std::uint8_t {
    TtlExpired, NoRoute, QueueFull, Loss, Collision, NotForMe, SamePort, ArpTimeout,
    ArpQueueFull, BadChecksum, Malformed, PortUnreachable, TooBig, NoListener, NotModelled, DirectedBroadcast,
    BroadcastIgnored, VlanFiltered, LinkDown, StpBlocked, RipRejected, NatNoMapping,
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

}  // namespace hopsim::sim
