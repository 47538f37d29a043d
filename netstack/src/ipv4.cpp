#include "hopsim/netstack/ipv4.hpp"

#include <algorithm>

#include "hopsim/netstack/checksum.hpp"

namespace hopsim::net {

void Ipv4Header::emit(MutableBytes out) const {
    const std::size_t len = header_len();
    out[ipv4_field::kVersionIhl] = static_cast<std::uint8_t>(0x40 | (len / 4));
    out[ipv4_field::kTos] = static_cast<std::uint8_t>((dscp << 2) | (ecn & 0x3));
    store16(out, ipv4_field::kTotalLength, total_length);
    store16(out, ipv4_field::kId, id);
    const auto flags_frag = static_cast<std::uint16_t>((dont_fragment ? 0x4000 : 0) |
                                                       (more_fragments ? 0x2000 : 0) |
                                                       (fragment_offset & 0x1fff));
    store16(out, ipv4_field::kFlagsFrag, flags_frag);
    out[ipv4_field::kTtl] = ttl;
    out[ipv4_field::kProtocol] = protocol;
    store16(out, ipv4_field::kChecksum, 0);
    src.store(out, ipv4_field::kSrc);
    dst.store(out, ipv4_field::kDst);
    std::copy_n(options.begin(), options_len, out.begin() + ipv4_field::kOptions);
    store16(out, ipv4_field::kChecksum, internet_checksum(Bytes(out.first(len))));
}

ParseResult<Ipv4View> Ipv4View::parse(Bytes b) {
    if (b.size() < kIpv4MinHeaderLen)
        return parse_error("ipv4", "header", 0, ParseReason::Truncated, kIpv4MinHeaderLen, b.size());
    const unsigned version = b[ipv4_field::kVersionIhl] >> 4;
    if (version != 4) return parse_error("ipv4", "version", 0, ParseReason::BadVersion, version);
    const std::size_t ihl = (b[ipv4_field::kVersionIhl] & 0x0f) * 4u;
    if (ihl < kIpv4MinHeaderLen)
        return parse_error("ipv4", "ihl", 0, ParseReason::BadHeaderLength, ihl, kIpv4MinHeaderLen);
    if (ihl > b.size())
        return parse_error("ipv4", "ihl", 0, ParseReason::HeaderBeyondData, ihl, b.size());
    const std::size_t total = load16(b, ipv4_field::kTotalLength);
    if (total < ihl)
        return parse_error("ipv4", "total_length", ipv4_field::kTotalLength, ParseReason::LengthTooShort,
                           total, ihl);
    if (total > b.size())
        return parse_error("ipv4", "total_length", ipv4_field::kTotalLength,
                           ParseReason::LengthBeyondData, total, b.size());
    return Ipv4View(b.first(total));
}

bool Ipv4View::checksum_ok() const { return internet_checksum(header()) == 0; }

Ipv4Header Ipv4View::to_header() const {
    Ipv4Header h;
    h.dscp = dscp();
    h.ecn = ecn();
    h.total_length = total_length();
    h.id = id();
    h.dont_fragment = dont_fragment();
    h.more_fragments = more_fragments();
    h.fragment_offset = fragment_offset();
    h.ttl = ttl();
    h.protocol = protocol();
    h.src = src();
    h.dst = dst();
    const Bytes opt = options();
    h.options_len = static_cast<std::uint8_t>(opt.size());
    std::copy(opt.begin(), opt.end(), h.options.begin());
    return h;
}

}  // namespace hopsim::net
