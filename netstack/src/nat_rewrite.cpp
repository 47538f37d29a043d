#include "hopsim/netstack/nat_rewrite.hpp"

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

namespace {

std::size_t header_len(Bytes d) { return static_cast<std::size_t>(d[0] & 0x0f) * 4; }
bool first_fragment(Bytes d) { return (load16(d, ipv4_field::kFlagsFrag) & 0x1fff) == 0; }

// Where the port (or echo id) of `which` end lies within the transport
// header, and where the transport checksum lies; nothing if not carried.
struct Layout {
    std::size_t port = 0, checksum = 0;
    bool pseudo_header = false;  // UDP/TCP: the addresses are in the checksum
};

std::optional<Layout> layout(Bytes d, Endpoint which) {
    const std::size_t l4 = header_len(d);
    if (!first_fragment(d)) return std::nullopt;
    const std::uint8_t proto = d[ipv4_field::kProtocol];
    if (proto == kIpProtoUdp && d.size() >= l4 + 8) return Layout{l4 + (which == Endpoint::Source ? 0u : 2u), l4 + 6, true};
    if (proto == kIpProtoTcp && d.size() >= l4 + 18) return Layout{l4 + (which == Endpoint::Source ? 0u : 2u), l4 + 16, true};
    if (proto == kIpProtoIcmp && d.size() >= l4 + 8 && (d[l4] == kIcmpEchoRequest || d[l4] == kIcmpEchoReply))
        return Layout{l4 + 4, l4 + 2, false};
    return std::nullopt;
}

// Updates a checksum for an address changing from `a` to `b`, word by word.
std::uint16_t update_address(std::uint16_t sum, Ipv4Address a, Ipv4Address b) {
    sum = checksum_update16(sum, static_cast<std::uint16_t>(a.to_u32() >> 16), static_cast<std::uint16_t>(b.to_u32() >> 16));
    return checksum_update16(sum, static_cast<std::uint16_t>(a.to_u32()), static_cast<std::uint16_t>(b.to_u32()));
}

}  // namespace

std::optional<std::uint16_t> endpoint_port(Bytes d, Endpoint which) {
    const auto l = layout(d, which);
    if (!l) return std::nullopt;
    return load16(d, l->port);
}

EndpointChange rewrite_endpoint(MutableBytes d, Endpoint which, Ipv4Address addr, std::optional<std::uint16_t> port) {
    const std::size_t at = which == Endpoint::Source ? ipv4_field::kSrc : ipv4_field::kDst;
    EndpointChange c;
    c.old_addr = Ipv4Address::load(d, at);
    c.old_ip_checksum = load16(d, ipv4_field::kChecksum);
    addr.store(d, at);
    store16(d, ipv4_field::kChecksum, update_address(c.old_ip_checksum, c.old_addr, addr));
    const auto l = layout(d, which);
    if (!l) return c;
    c.old_port = load16(d, l->port);
    const std::uint16_t new_port = port.value_or(*c.old_port);
    store16(d, l->port, new_port);
    const std::uint16_t old_sum = load16(d, l->checksum);
    c.old_checksum = old_sum;
    const bool udp = d[ipv4_field::kProtocol] == kIpProtoUdp;
    if (udp && old_sum == 0) return c;  // no checksum sent: none to keep right
    std::uint16_t sum = checksum_update16(old_sum, *c.old_port, new_port);
    if (l->pseudo_header) sum = update_address(sum, c.old_addr, addr);
    if (udp && sum == 0) sum = 0xffff;
    store16(d, l->checksum, sum);
    return c;
}

bool rewrite_icmp_error_for_inside(MutableBytes d, Ipv4Address inside, std::uint16_t inside_port) {
    const std::size_t l4 = header_len(d);
    if (d.size() < l4 + 8 + 20) return false;
    MutableBytes quoted = d.subspan(l4 + 8);
    const std::size_t qhl = header_len(quoted);
    if (qhl < 20 || quoted.size() < qhl + 8) return false;
    // The quote may be cut short: rewrite what it holds, the ports being in its first 8 bytes.
    rewrite_endpoint(quoted, Endpoint::Source, inside, inside_port);
    // A TCP quote too short for its checksum still holds the ports.
    if (quoted[ipv4_field::kProtocol] == kIpProtoTcp) store16(quoted, qhl, inside_port);
    rewrite_endpoint(d, Endpoint::Destination, inside, std::nullopt);
    store16(quoted, ipv4_field::kChecksum, 0);
    store16(quoted, ipv4_field::kChecksum, internet_checksum(quoted.first(qhl)));
    const std::size_t icmp_len = load16(d, ipv4_field::kTotalLength) - l4;
    MutableBytes icmp = d.subspan(l4, icmp_len);
    store16(icmp, icmp_field::kChecksum, 0);
    store16(icmp, icmp_field::kChecksum, internet_checksum(icmp));
    return true;
}

}  // namespace hopsim::net
