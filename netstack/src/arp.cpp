#include "hopsim/netstack/arp.hpp"

#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

namespace {
constexpr std::uint16_t kHwEthernet = 1;
}

void ArpPacket::emit(MutableBytes out) const {
    store16(out, arp_field::kHwType, kHwEthernet);
    store16(out, arp_field::kProtoType, kEtherTypeIpv4);
    out[arp_field::kHwLen] = 6;
    out[arp_field::kProtoLen] = 4;
    store16(out, arp_field::kOper, oper);
    sha.store(out, arp_field::kSha);
    spa.store(out, arp_field::kSpa);
    tha.store(out, arp_field::kTha);
    tpa.store(out, arp_field::kTpa);
}

ParseResult<ArpView> ArpView::parse(Bytes b) {
    if (b.size() < kArpLen) return parse_error("arp", "header", 0, ParseReason::Truncated, kArpLen, b.size());
    if (load16(b, arp_field::kHwType) != kHwEthernet)
        return parse_error("arp", "htype", arp_field::kHwType, ParseReason::Unsupported,
                           load16(b, arp_field::kHwType));
    if (load16(b, arp_field::kProtoType) != kEtherTypeIpv4)
        return parse_error("arp", "ptype", arp_field::kProtoType, ParseReason::Unsupported,
                           load16(b, arp_field::kProtoType));
    if (b[arp_field::kHwLen] != 6)
        return parse_error("arp", "hlen", arp_field::kHwLen, ParseReason::Unsupported, b[arp_field::kHwLen]);
    if (b[arp_field::kProtoLen] != 4)
        return parse_error("arp", "plen", arp_field::kProtoLen, ParseReason::Unsupported,
                           b[arp_field::kProtoLen]);
    return ArpView(b.first(kArpLen));
}

}  // namespace hopsim::net
