// A NAT's in-place rewrite against checksums worked out apart from hopsim (a
// few lines of Python summing the words of the rewritten datagram from
// scratch, RFC 1071), and tshark verifying every checksum of the result.

#include <catch2/catch.hpp>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/nat_rewrite.hpp"
#include "netstack/sample_frames.hpp"
#include "netstack/tshark_read.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

namespace {

const Ipv4Address kInside(10, 0, 0, 10), kOutside(203, 0, 113, 1), kRemote(198, 51, 100, 80);

std::vector<std::uint8_t> udp_datagram(std::uint16_t checksum_override = 1) {
    const std::vector<std::uint8_t> payload = {'h', 'e', 'l', 'l', 'o'};
    FrameBuilder f(payload);
    f.udp({49152, 7, 0}, kInside, kRemote);
    f.ipv4(ip_header(kInside, kRemote, kIpProtoUdp, 1, 63));
    auto d = f.take();
    if (checksum_override == 0) store16(d, 20 + 6, 0);  // "no checksum" (RFC 768)
    return d;
}

std::vector<std::uint8_t> frame_of(const std::vector<std::uint8_t>& datagram) {
    FrameBuilder f(datagram);
    f.ethernet({kMacB, kMacA, std::nullopt, kEtherTypeIpv4});
    return f.take();
}

std::uint16_t ip_sum(const std::vector<std::uint8_t>& d) { return load16(d, 10); }

}  // namespace

TEST_CASE("NAT rewrite: a UDP source becomes the outside address and port, both checksums updated", "[nat]") {
    auto d = udp_datagram();
    REQUIRE(ip_sum(d) == 0x073e);          // as built, summed in Python
    REQUIRE(load16(d, 20 + 6) == 0xc76c);
    const auto c = rewrite_endpoint(d, Endpoint::Source, kOutside, 49153);
    CHECK(c.old_addr == kInside);
    CHECK(c.old_port == 49152);
    CHECK(c.old_checksum == 0xc76c);
    CHECK(c.old_ip_checksum == 0x073e);
    // 203.0.113.1:49153 summed from scratch in Python: 0xd545 and 0x9573.
    CHECK(ip_sum(d) == 0xd545);
    CHECK(load16(d, 20 + 6) == 0x9573);
    CHECK(endpoint_port(d, Endpoint::Source) == 49153);
    const auto r = tshark_read({frame_of(d)}, "-e ip.src -e udp.srcport -e ip.checksum.status -e udp.checksum.status");
    check_clean(r);
    CHECK(r.fields == "203.0.113.1;49153;1;1\n");  // tshark's checksum status 1: good
}

TEST_CASE("NAT rewrite: a UDP datagram sent without a checksum keeps none", "[nat]") {
    auto d = udp_datagram(0);
    rewrite_endpoint(d, Endpoint::Source, kOutside, 49153);
    CHECK(load16(d, 20 + 6) == 0);
    CHECK(ip_sum(d) == 0xd545);
}

TEST_CASE("NAT rewrite: a TCP SYN to a forwarded port goes to the inside host's port", "[nat]") {
    TcpHeader h;
    h.src_port = 49153;
    h.dst_port = 8080;
    h.seq = 1000;
    h.flags = tcp_flag::kSyn;
    h.window = 64240;
    FrameBuilder f;
    f.tcp(h, kRemote, kOutside);
    f.ipv4(ip_header(kRemote, kOutside, kIpProtoTcp, 2, 63));
    auto d = f.take();
    REQUIRE(ip_sum(d) == 0xd548);
    REQUIRE(load16(d, 20 + 16) == 0x6af2);
    const auto c = rewrite_endpoint(d, Endpoint::Destination, kInside, 7);
    CHECK(c.old_port == 8080);
    CHECK(ip_sum(d) == 0x0741);
    CHECK(load16(d, 20 + 16) == 0xbc73);
    const auto r = tshark_read({frame_of(d)}, "-e ip.dst -e tcp.dstport -e ip.checksum.status -e tcp.checksum.status");
    check_clean(r);
    CHECK(r.fields == "10.0.0.10;7;1;1\n");
}

TEST_CASE("NAT rewrite: an echo's identifier plays the port, under the ICMP checksum", "[nat]") {
    const std::vector<std::uint8_t> body = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    FrameBuilder f(body);
    f.icmp(IcmpHeader::echo(kIcmpEchoRequest, 1, 1));
    f.ipv4(ip_header(kInside, kRemote, kIpProtoIcmp, 3, 63));
    auto d = f.take();
    REQUIRE(ip_sum(d) == 0x0749);
    REQUIRE(load16(d, 20 + 2) == 0x6668);
    rewrite_endpoint(d, Endpoint::Source, kOutside, 7);
    CHECK(ip_sum(d) == 0xd550);
    CHECK(load16(d, 20 + 2) == 0x6662);  // the ICMP checksum has no pseudo-header: only the id counts
    const auto r = tshark_read({frame_of(d)}, "-e ip.src -e icmp.ident -e icmp.checksum.status");
    check_clean(r);
    CHECK(r.fields == "203.0.113.1;7;1\n");
}

TEST_CASE("NAT rewrite: an ICMP error about a translated datagram goes back inside, its quote too", "[nat]") {
    // Time exceeded from the next router, quoting a traceroute probe as it left the NAT.
    auto probe = udp_datagram();
    rewrite_endpoint(probe, Endpoint::Source, kOutside, 49153);
    store16(probe, 20 + 2, 33437);  // the probe's destination port
    fill_transport_checksum(MutableBytes(probe).subspan(20), kOutside, kRemote, kIpProtoUdp);
    FrameBuilder f(probe);
    f.icmp({kIcmpTimeExceeded, 0, 0});
    const Ipv4Address next_router(203, 0, 113, 2);
    f.ipv4(ip_header(next_router, kOutside, kIpProtoIcmp, 9, 64));
    auto d = f.take();
    REQUIRE(rewrite_icmp_error_for_inside(d, kInside, 49152));
    CHECK(Ipv4Address::load(d, 16) == kInside);
    CHECK(Ipv4Address::load(d, 28 + 12) == kInside);  // the quote's source
    CHECK(load16(d, 28 + 20) == 49152);              // and its port
    const auto r = tshark_read({frame_of(d)},
                               "-e ip.dst -e udp.srcport -e ip.checksum.status -e icmp.checksum.status");
    check_clean(r);
    // Both IPv4 headers (outer, quoted) with good checksums, the ICMP checksum good.
    CHECK(r.fields == "10.0.0.10,198.51.100.80;49152;1,1;1\n");
    // Too short to hold the quoted ports: refused.
    std::vector<std::uint8_t> cut(d.begin(), d.begin() + 20 + 8 + 20);
    store16(cut, 2, static_cast<std::uint16_t>(cut.size()));
    CHECK_FALSE(rewrite_icmp_error_for_inside(cut, kInside, 49152));
}
