#include "hopsim/netstack/udp.hpp"

namespace hopsim::net {

void UdpHeader::emit(MutableBytes out) const {
    store16(out, udp_field::kSrcPort, src_port);
    store16(out, udp_field::kDstPort, dst_port);
    store16(out, udp_field::kLength, length);
    store16(out, udp_field::kChecksum, 0);
}

ParseResult<UdpView> UdpView::parse(Bytes b) {
    if (b.size() < kUdpHeaderLen)
        return parse_error("udp", "header", 0, ParseReason::Truncated, kUdpHeaderLen, b.size());
    const std::size_t len = load16(b, udp_field::kLength);
    if (len < kUdpHeaderLen)
        return parse_error("udp", "length", udp_field::kLength, ParseReason::LengthTooShort, len,
                           kUdpHeaderLen);
    if (len > b.size())
        return parse_error("udp", "length", udp_field::kLength, ParseReason::LengthBeyondData, len,
                           b.size());
    return UdpView(b.first(len));
}

}  // namespace hopsim::net
