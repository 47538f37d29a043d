#include "hopsim/netstack/dhcp.hpp"

#include <algorithm>

namespace hopsim::net {

namespace {

namespace o = dhcp_option;

// The options in the order they are written: the message type first, as
// every client and server puts it.
template <class Fn>
void for_each_option(const DhcpMessage& m, Fn&& put) {
    auto addr = [&](std::uint8_t code, const std::optional<Ipv4Address>& a) {
        if (a) put(code, 4, [&](MutableBytes v) { store32(v, 0, a->to_u32()); });
    };
    auto secs = [&](std::uint8_t code, const std::optional<std::uint32_t>& s) {
        if (s) put(code, 4, [&](MutableBytes v) { store32(v, 0, *s); });
    };
    put(o::kMessageType, 1, [&](MutableBytes v) { v[0] = static_cast<std::uint8_t>(m.type); });
    addr(o::kRequestedIp, m.requested_ip);
    addr(o::kServerId, m.server_id);
    secs(o::kLeaseTime, m.lease_seconds);
    secs(o::kRenewalTime, m.renewal_seconds);
    secs(o::kRebindingTime, m.rebinding_seconds);
    addr(o::kSubnetMask, m.subnet_mask);
    addr(o::kRouter, m.router);
    addr(o::kDnsServer, m.dns_server);
    if (m.parameter_count)
        put(o::kParameterList, m.parameter_count, [&](MutableBytes v) {
            std::copy_n(m.parameter_list.begin(), m.parameter_count, v.begin());
        });
}

}  // namespace

const char* to_string(DhcpType t) {
    switch (t) {
        case DhcpType::Discover: return "DISCOVER";
        case DhcpType::Offer: return "OFFER";
        case DhcpType::Request: return "REQUEST";
        case DhcpType::Decline: return "DECLINE";
        case DhcpType::Ack: return "ACK";
        case DhcpType::Nak: return "NAK";
        case DhcpType::Release: return "RELEASE";
        case DhcpType::Inform: return "INFORM";
    }
    return "?";
}

std::size_t DhcpMessage::length() const {
    std::size_t n = kDhcpOptionsAt + 1;  // the end option
    for_each_option(*this, [&](std::uint8_t, std::size_t len, auto&&) { n += 2 + len; });
    return std::max(n, kDhcpMinLen);
}

void DhcpMessage::emit(MutableBytes out) const {
    namespace f = dhcp_field;
    std::fill(out.begin(), out.begin() + static_cast<long>(length()), std::uint8_t{0});  // sname, file, padding
    out[f::kOp] = op;
    out[f::kHtype] = 1;  // Ethernet
    out[f::kHlen] = 6;
    out[f::kHops] = hops;
    store32(out, f::kXid, xid);
    store16(out, f::kSecs, secs);
    store16(out, f::kFlags, flags);
    store32(out, f::kCiaddr, ciaddr.to_u32());
    store32(out, f::kYiaddr, yiaddr.to_u32());
    store32(out, f::kSiaddr, siaddr.to_u32());
    store32(out, f::kGiaddr, giaddr.to_u32());
    chaddr.store(out, f::kChaddr);
    store32(out, f::kCookie, kDhcpMagicCookie);
    std::size_t at = kDhcpOptionsAt;
    for_each_option(*this, [&](std::uint8_t code, std::size_t len, auto&& value) {
        out[at] = code;
        out[at + 1] = static_cast<std::uint8_t>(len);
        value(out.subspan(at + 2, len));
        at += 2 + len;
    });
    out[at] = o::kEnd;
}

ParseResult<DhcpView> DhcpView::parse(Bytes b) {
    namespace f = dhcp_field;
    if (b.size() < kDhcpOptionsAt) return parse_error("dhcp", "header", 0, ParseReason::Truncated, kDhcpOptionsAt, b.size());
    if (b[f::kOp] != kBootRequest && b[f::kOp] != kBootReply)
        return parse_error("dhcp", "op", f::kOp, ParseReason::Unsupported, b[f::kOp]);
    if (b[f::kHtype] != 1 || b[f::kHlen] != 6)  // Ethernet addresses only
        return parse_error("dhcp", "htype", f::kHtype, ParseReason::Unsupported, b[f::kHtype]);
    if (load32(b, f::kCookie) != kDhcpMagicCookie)
        return parse_error("dhcp", "cookie", f::kCookie, ParseReason::Unsupported, load32(b, f::kCookie));
    std::size_t type_at = 0;
    for (std::size_t at = kDhcpOptionsAt; at < b.size();) {
        const std::uint8_t code = b[at];
        if (code == o::kPad) {
            ++at;
            continue;
        }
        if (code == o::kEnd) break;
        if (at + 1 >= b.size() || at + 2 + b[at + 1] > b.size())
            return parse_error("dhcp", "option", at, ParseReason::BadOption, code);
        if (code == o::kMessageType && !type_at) {
            if (b[at + 1] != 1) return parse_error("dhcp", "message_type", at + 1, ParseReason::BadOption, b[at + 1]);
            type_at = at + 2;
        }
        at += 2 + b[at + 1];
    }
    // BOOTP without a DHCP message type is not DHCP.
    if (!type_at) return parse_error("dhcp", "message_type", kDhcpOptionsAt, ParseReason::Unsupported, 0);
    if (b[type_at] < 1 || b[type_at] > 8)
        return parse_error("dhcp", "message_type", type_at, ParseReason::Unsupported, b[type_at]);
    return DhcpView(b, type_at);
}

std::optional<std::size_t> DhcpView::option_at(std::uint8_t code) const {
    for (std::size_t at = kDhcpOptionsAt; at < b_.size() && b_[at] != o::kEnd;) {
        if (b_[at] == o::kPad) {
            ++at;
            continue;
        }
        if (b_[at] == code) return at + 2;
        at += 2 + b_[at + 1];  // parse() checked every length
    }
    return std::nullopt;
}

DhcpMessage DhcpView::to_message() const {
    namespace f = dhcp_field;
    DhcpMessage m;
    m.op = op();
    m.hops = b_[f::kHops];
    m.xid = xid();
    m.secs = load16(b_, f::kSecs);
    m.flags = load16(b_, f::kFlags);
    m.ciaddr = Ipv4Address::load(b_, f::kCiaddr);
    m.yiaddr = yiaddr();
    m.siaddr = Ipv4Address::load(b_, f::kSiaddr);
    m.giaddr = Ipv4Address::load(b_, f::kGiaddr);
    m.chaddr = MacAddress::load(b_, f::kChaddr);
    m.type = type();
    // An address or a time option shorter than 4 bytes is ignored, as a
    // client ignores what it cannot use.
    auto addr = [&](std::uint8_t code) -> std::optional<Ipv4Address> {
        auto at = option_at(code);
        if (!at || option_len(*at) < 4) return std::nullopt;
        return Ipv4Address::load(b_, *at);
    };
    auto secs = [&](std::uint8_t code) -> std::optional<std::uint32_t> {
        auto at = option_at(code);
        if (!at || option_len(*at) < 4) return std::nullopt;
        return load32(b_, *at);
    };
    m.subnet_mask = addr(o::kSubnetMask);
    m.router = addr(o::kRouter);
    m.dns_server = addr(o::kDnsServer);
    m.requested_ip = addr(o::kRequestedIp);
    m.server_id = addr(o::kServerId);
    m.lease_seconds = secs(o::kLeaseTime);
    m.renewal_seconds = secs(o::kRenewalTime);
    m.rebinding_seconds = secs(o::kRebindingTime);
    if (auto at = option_at(o::kParameterList)) {
        m.parameter_count = static_cast<std::uint8_t>(std::min<std::size_t>(option_len(*at), m.parameter_list.size()));
        std::copy_n(b_.begin() + static_cast<long>(*at), m.parameter_count, m.parameter_list.begin());
    }
    return m;
}

}  // namespace hopsim::net
