#pragma once
// Ethernet II frames (no FCS: captures and the simulator carry frames without
// it), with an optional IEEE 802.1Q tag.

#include <cstdint>
#include <optional>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

namespace eth_field {
inline constexpr std::size_t kDst = 0, kSrc = 6, kType = 12;
inline constexpr std::size_t kVlanTci = 14, kVlanType = 16;
}  // namespace eth_field

inline constexpr std::size_t kEthernetHeaderLen = 14;
inline constexpr std::size_t kVlanTagLen = 4;
inline constexpr std::size_t kEthernetMinFrame = 60;
inline constexpr std::uint16_t kEthernetMaxLength = 1500;  // a type field up to this is an 802.3 length  // without FCS; shorter frames are padded
inline constexpr std::size_t kEthernetFcsLen = 4;
// Wire overhead of every frame beyond its bytes: preamble + SFD (8), FCS (4),
// inter-frame gap (12).
inline constexpr std::size_t kEthernetWireOverhead = 8 + 4 + 12;

struct VlanTag {
    std::uint8_t pcp = 0;   // priority code point, 3 bits
    bool dei = false;       // drop eligible
    std::uint16_t vid = 0;  // VLAN id, 12 bits
    bool operator==(const VlanTag&) const = default;
};

struct EthernetHeader {
    MacAddress dst;
    MacAddress src;
    std::optional<VlanTag> vlan;
    std::uint16_t ethertype = 0;

    std::size_t header_len() const { return kEthernetHeaderLen + (vlan ? kVlanTagLen : 0); }
    void emit(MutableBytes out) const;  // writes exactly header_len() bytes
    bool operator==(const EthernetHeader&) const = default;
};

class EthernetView {
public:
    static ParseResult<EthernetView> parse(Bytes frame);

    MacAddress dst() const { return MacAddress::load(b_, eth_field::kDst); }
    MacAddress src() const { return MacAddress::load(b_, eth_field::kSrc); }
    bool has_vlan() const { return load16(b_, eth_field::kType) == 0x8100; }
    std::optional<VlanTag> vlan() const;
    std::uint16_t ethertype() const {
        return load16(b_, has_vlan() ? eth_field::kVlanType : eth_field::kType);
    }
    std::size_t header_len() const { return kEthernetHeaderLen + (has_vlan() ? kVlanTagLen : 0); }
    Bytes payload() const { return b_.subspan(header_len()); }
    EthernetHeader to_header() const { return {dst(), src(), vlan(), ethertype()}; }

private:
    explicit EthernetView(Bytes b) : b_(b) {}
    Bytes b_;
};

// Setting a frame's 802.1Q tag (a switch's trunk egress, a VLAN subinterface)
// or removing it (an access port, a subinterface's receive): the frame is
// copied with four bytes more or less after the source address. A frame that
// shrinks below the Ethernet minimum is padded with zeros, as a NIC pads it.
std::size_t retagged_size(Bytes frame, bool tagged);  // `frame` parses as Ethernet
void retag(Bytes frame, std::optional<VlanTag> tag, MutableBytes out);  // out: retagged_size bytes

}  // namespace hopsim::net
