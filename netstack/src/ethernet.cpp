#include "hopsim/netstack/ethernet.hpp"

#include <algorithm>

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

std::size_t retagged_size(Bytes frame, bool tagged) {
    const std::size_t old_header = load16(frame, eth_field::kType) == kEtherTypeVlan ? kEthernetHeaderLen + kVlanTagLen
                                                                                     : kEthernetHeaderLen;
    const std::size_t n = frame.size() - old_header + kEthernetHeaderLen + (tagged ? kVlanTagLen : 0);
    return n < kEthernetMinFrame ? kEthernetMinFrame : n;
}

void retag(Bytes frame, std::optional<VlanTag> tag, MutableBytes out) {
    const auto in = EthernetView::parse(frame);
    EthernetHeader h = in->to_header();
    h.vlan = tag;
    h.emit(out);
    const Bytes payload = in->payload();
    const std::size_t at = h.header_len();
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<long>(at));
    std::fill(out.begin() + static_cast<long>(at + payload.size()), out.end(), std::uint8_t{0});
}

}  // namespace hopsim::net
