#include "hopsim/netstack/rip.hpp"

namespace hopsim::net {

void RipMessage::emit(MutableBytes out) const {
    namespace f = rip_field;
    out[f::kCommand] = command;
    out[f::kVersion] = version;
    store16(out, 2, 0);  // must be zero
    for (std::size_t i = 0; i < entry_count; ++i) {
        const RipEntry& e = entries[i];
        const MutableBytes at = out.subspan(kRipHeaderLen + i * kRipEntryLen, kRipEntryLen);
        store16(at, f::kFamily, e.family);
        store16(at, f::kTag, e.tag);
        store32(at, f::kAddress, e.address.to_u32());
        store32(at, f::kMask, e.mask.to_u32());
        store32(at, f::kNextHop, e.next_hop.to_u32());
        store32(at, f::kMetric, e.metric);
    }
}

ParseResult<RipView> RipView::parse(Bytes b) {
    namespace f = rip_field;
    if (b.size() < kRipHeaderLen) return parse_error("rip", "header", 0, ParseReason::Truncated, kRipHeaderLen, b.size());
    if (b[f::kCommand] != kRipRequest && b[f::kCommand] != kRipResponse)
        return parse_error("rip", "command", f::kCommand, ParseReason::Unsupported, b[f::kCommand]);
    // Version 1 has the same layout with the tag, mask and next hop zero.
    if (b[f::kVersion] != 1 && b[f::kVersion] != kRipVersion2)
        return parse_error("rip", "version", f::kVersion, ParseReason::Unsupported, b[f::kVersion]);
    const std::size_t body = b.size() - kRipHeaderLen;
    if (body % kRipEntryLen != 0)
        return parse_error("rip", "entry", kRipHeaderLen + body / kRipEntryLen * kRipEntryLen, ParseReason::Truncated,
                           kRipEntryLen, body % kRipEntryLen);
    if (body / kRipEntryLen > kRipMaxEntries)
        return parse_error("rip", "entries", kRipHeaderLen, ParseReason::Unsupported, body / kRipEntryLen);
    return RipView(b);
}

RipEntry RipView::entry(std::size_t i) const {
    namespace f = rip_field;
    const Bytes at = b_.subspan(kRipHeaderLen + i * kRipEntryLen, kRipEntryLen);
    return {load16(at, f::kFamily), load16(at, f::kTag), Ipv4Address::load(at, f::kAddress),
            Ipv4Address::load(at, f::kMask), Ipv4Address::load(at, f::kNextHop),
            load32(at, f::kMetric)};
}

RipMessage RipView::to_message() const {
    RipMessage m;
    m.command = command();
    m.version = version();
    m.entry_count = static_cast<std::uint8_t>(entry_count());
    for (std::size_t i = 0; i < entry_count(); ++i) m.entries[i] = entry(i);
    return m;
}

}  // namespace hopsim::net
