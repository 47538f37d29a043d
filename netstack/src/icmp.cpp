#include "hopsim/netstack/icmp.hpp"

#include "hopsim/netstack/checksum.hpp"

namespace hopsim::net {

void IcmpHeader::emit(MutableBytes out) const {
    out[icmp_field::kType] = type;
    out[icmp_field::kCode] = code;
    store16(out, icmp_field::kChecksum, 0);
    store32(out, icmp_field::kRest, rest);
}

void fill_icmp_checksum(MutableBytes message) {
    store16(message, icmp_field::kChecksum, 0);
    store16(message, icmp_field::kChecksum, internet_checksum(message));
}

ParseResult<IcmpView> IcmpView::parse(Bytes b) {
    if (b.size() < kIcmpHeaderLen)
        return parse_error("icmp", "header", 0, ParseReason::Truncated, kIcmpHeaderLen, b.size());
    return IcmpView(b);
}

bool IcmpView::checksum_ok() const { return internet_checksum(b_) == 0; }

}  // namespace hopsim::net
