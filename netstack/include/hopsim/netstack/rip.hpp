#pragma once
// RIP version 2 (RFC 2453, section 4): a 4-byte header, then up to 25 route
// entries of 20 bytes. Routers send it from UDP port 520 to port 520 of
// 224.0.0.9 (Ethernet 01:00:5e:00:00:09), with TTL 1. A metric of 16 is
// infinity: the route is withdrawn.

#include <array>
#include <cstdint>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

inline constexpr std::uint16_t kRipPort = 520;
inline constexpr std::uint8_t kRipRequest = 1, kRipResponse = 2;
inline constexpr std::uint8_t kRipVersion2 = 2;
inline constexpr std::uint32_t kRipInfinity = 16;
inline constexpr std::uint16_t kRipFamilyIp = 2;
inline constexpr std::uint16_t kRipFamilyAuth = 0xffff;  // an authentication entry (RFC 2453 4.1)
inline constexpr std::size_t kRipHeaderLen = 4, kRipEntryLen = 20, kRipMaxEntries = 25;
inline const Ipv4Address kRipGroup{224, 0, 0, 9};

namespace rip_field {
inline constexpr std::size_t kCommand = 0, kVersion = 1;
// Within an entry.
inline constexpr std::size_t kFamily = 0, kTag = 2, kAddress = 4, kMask = 8, kNextHop = 12, kMetric = 16;
}  // namespace rip_field

struct RipEntry {
    std::uint16_t family = kRipFamilyIp;
    std::uint16_t tag = 0;
    Ipv4Address address, mask, next_hop;  // next hop 0.0.0.0: via the sender
    std::uint32_t metric = 1;
    bool operator==(const RipEntry&) const = default;
};

// A whole message, held without allocation: at most 25 entries.
struct RipMessage {
    std::uint8_t command = kRipResponse;
    std::uint8_t version = kRipVersion2;
    std::array<RipEntry, kRipMaxEntries> entries{};
    std::uint8_t entry_count = 0;

    std::size_t length() const { return kRipHeaderLen + entry_count * kRipEntryLen; }
    void emit(MutableBytes out) const;  // writes exactly length() bytes
    bool operator==(const RipMessage&) const = default;
};

class RipView {
public:
    // A UDP payload: the header, and a whole number of entries (at most 25).
    static ParseResult<RipView> parse(Bytes b);

    std::uint8_t command() const { return b_[rip_field::kCommand]; }
    std::uint8_t version() const { return b_[rip_field::kVersion]; }
    std::size_t entry_count() const { return (b_.size() - kRipHeaderLen) / kRipEntryLen; }
    RipEntry entry(std::size_t i) const;
    RipMessage to_message() const;

private:
    explicit RipView(Bytes b) : b_(b) {}
    Bytes b_;
};

}  // namespace hopsim::net
