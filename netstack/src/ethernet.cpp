#include "hopsim/netstack/ethernet.hpp"

#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

void EthernetHeader::emit(MutableBytes out) const {
    dst.store(out, eth_field::kDst);
    src.store(out, eth_field::kSrc);
    if (vlan) {
        store16(out, eth_field::kType, kEtherTypeVlan);
        const auto tci = static_cast<std::uint16_t>((vlan->pcp & 0x7) << 13 | (vlan->dei ? 1 : 0) << 12 |
                                                    (vlan->vid & 0x0fff));
        store16(out, eth_field::kVlanTci, tci);
        store16(out, eth_field::kVlanType, ethertype);
    } else {
        store16(out, eth_field::kType, ethertype);
    }
}

ParseResult<EthernetView> EthernetView::parse(Bytes frame) {
    if (frame.size() < kEthernetHeaderLen)
        return parse_error("eth", "header", 0, ParseReason::Truncated, kEthernetHeaderLen, frame.size());
    if (load16(frame, eth_field::kType) == kEtherTypeVlan && frame.size() < kEthernetHeaderLen + kVlanTagLen)
        return parse_error("eth", "vlan", eth_field::kVlanTci, ParseReason::Truncated,
                           kEthernetHeaderLen + kVlanTagLen, frame.size());
    return EthernetView(frame);
}

std::optional<VlanTag> EthernetView::vlan() const {
    if (!has_vlan()) return std::nullopt;
    const std::uint16_t tci = load16(b_, eth_field::kVlanTci);
    return VlanTag{static_cast<std::uint8_t>(tci >> 13), ((tci >> 12) & 1) != 0,
                   static_cast<std::uint16_t>(tci & 0x0fff)};
}

}  // namespace hopsim::net
