#pragma once
// IEEE 802.1D spanning tree BPDUs (2004 edition, clause 9.3; protocol
// version 0, as Linux's bridge sends them). They travel in IEEE 802.3 frames:
// the type field is a length, then LLC DSAP 0x42, SSAP 0x42, control 0x03 (UI),
// to the group address 01:80:c2:00:00:00 that bridges never forward.
// Times are in units of 1/256 s, as on the wire.

#include <compare>
#include <cstdint>
#include <string>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

inline constexpr std::uint8_t kLlcStp = 0x42;        // DSAP and SSAP of the spanning tree
inline constexpr std::uint8_t kLlcUnnumbered = 0x03;  // control: UI
inline constexpr std::size_t kLlcLen = 3;
inline constexpr std::uint64_t kStpGroupMac = 0x0180c2000000;  // 01:80:c2:00:00:00

namespace bpdu_field {
inline constexpr std::size_t kProtocol = 0, kVersion = 2, kType = 3, kFlags = 4, kRoot = 5, kCost = 13;
inline constexpr std::size_t kBridge = 17, kPort = 25, kAge = 27, kMaxAge = 29, kHello = 31, kForwardDelay = 33;
}  // namespace bpdu_field

inline constexpr std::uint8_t kBpduConfig = 0x00;
inline constexpr std::uint8_t kBpduTcn = 0x80;
inline constexpr std::uint8_t kBpduFlagTc = 0x01;   // topology change
inline constexpr std::uint8_t kBpduFlagTca = 0x80;  // topology change acknowledgement
inline constexpr std::size_t kBpduConfigLen = 35;
inline constexpr std::size_t kBpduTcnLen = 4;

// A bridge identifier: priority, then MAC. Lower is better.
struct BridgeId {
    std::uint16_t priority = 32768;
    MacAddress mac;
    std::uint64_t to_u64() const { return std::uint64_t{priority} << 48 | mac.to_u64(); }
    static BridgeId from_u64(std::uint64_t v) {
        return {static_cast<std::uint16_t>(v >> 48), MacAddress::from_u64(v & 0xffffffffffffull)};
    }
    auto operator<=>(const BridgeId& o) const { return to_u64() <=> o.to_u64(); }
    bool operator==(const BridgeId& o) const { return to_u64() == o.to_u64(); }
    std::string to_string() const;  // "32768/02:00:00:00:01:01", as Wireshark shows it
};

struct Bpdu {
    std::uint8_t type = kBpduConfig;
    std::uint8_t flags = 0;
    BridgeId root;
    std::uint32_t root_cost = 0;
    BridgeId bridge;
    std::uint16_t port = 0;  // port identifier: priority in the top 4 bits, number below
    std::uint16_t message_age = 0, max_age = 0, hello = 0, forward_delay = 0;  // 1/256 s

    std::size_t length() const { return type == kBpduTcn ? kBpduTcnLen : kBpduConfigLen; }
    void emit(MutableBytes out) const;  // writes exactly length() bytes
    bool operator==(const Bpdu&) const = default;
};

// The LLC header and a BPDU after it (the payload of an 802.3 frame).
class BpduView {
public:
    static ParseResult<BpduView> parse(Bytes llc_and_bpdu);

    std::uint8_t type() const { return b_[kLlcLen + bpdu_field::kType]; }
    std::uint8_t version() const { return b_[kLlcLen + bpdu_field::kVersion]; }
    bool is_config() const { return type() == kBpduConfig; }
    // Config BPDU fields (parse() checked they are there).
    std::uint8_t flags() const { return b_[kLlcLen + bpdu_field::kFlags]; }
    BridgeId root() const { return id_at(bpdu_field::kRoot); }
    std::uint32_t root_cost() const { return load32(b_, kLlcLen + bpdu_field::kCost); }
    BridgeId bridge() const { return id_at(bpdu_field::kBridge); }
    std::uint16_t port() const { return load16(b_, kLlcLen + bpdu_field::kPort); }
    std::uint16_t message_age() const { return load16(b_, kLlcLen + bpdu_field::kAge); }
    std::uint16_t max_age() const { return load16(b_, kLlcLen + bpdu_field::kMaxAge); }
    std::uint16_t hello() const { return load16(b_, kLlcLen + bpdu_field::kHello); }
    std::uint16_t forward_delay() const { return load16(b_, kLlcLen + bpdu_field::kForwardDelay); }
    Bpdu to_bpdu() const;

private:
    explicit BpduView(Bytes b) : b_(b) {}
    BridgeId id_at(std::size_t f) const {
        return {load16(b_, kLlcLen + f), MacAddress::load(b_, kLlcLen + f + 2)};
    }
    Bytes b_;
};

// The whole frame: 802.3 header (length), LLC, BPDU, padded to 60 bytes.
std::size_t bpdu_frame_size();
void emit_bpdu_frame(const Bpdu& b, MacAddress src, MutableBytes out);  // out: bpdu_frame_size() bytes

}  // namespace hopsim::net
