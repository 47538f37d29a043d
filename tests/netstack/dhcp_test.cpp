// DHCP (RFC 2131, options from RFC 2132) against bytes laid out by hand, the
// dissector's dhcp layer, and tshark reading a DISCOVER and an ACK.

#include <catch2/catch.hpp>

#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "netstack/sample_frames.hpp"
#include "netstack/tshark_read.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

namespace {

DhcpMessage discover() {
    DhcpMessage m;
    m.op = kBootRequest;
    m.xid = 0x3903f326;
    m.flags = kDhcpFlagBroadcast;
    m.chaddr = kMacA;
    m.type = DhcpType::Discover;
    m.parameter_list = {1, 3, 6, 51};
    m.parameter_count = 4;
    return m;
}

DhcpMessage ack() {
    DhcpMessage m;
    m.op = kBootReply;
    m.xid = 0x3903f326;
    m.yiaddr = Ipv4Address(10, 0, 0, 100);
    m.siaddr = Ipv4Address(10, 0, 0, 1);
    m.chaddr = kMacA;
    m.type = DhcpType::Ack;
    m.server_id = Ipv4Address(10, 0, 0, 1);
    m.lease_seconds = 3600;
    m.subnet_mask = Ipv4Address(255, 255, 255, 0);
    m.router = Ipv4Address(10, 0, 0, 1);
    m.dns_server = Ipv4Address(10, 0, 0, 53);
    return m;
}

std::vector<std::uint8_t> bytes_of(const DhcpMessage& m) {
    std::vector<std::uint8_t> out(m.length(), 0xee);  // junk: every byte must be written
    m.emit(out);
    return out;
}

std::vector<std::uint8_t> dhcp_frame(const DhcpMessage& m, Ipv4Address src, Ipv4Address dst, MacAddress eth_dst) {
    FrameBuilder f(bytes_of(m));
    const bool from_client = m.op == kBootRequest;
    f.udp({from_client ? kDhcpClientPort : kDhcpServerPort, from_client ? kDhcpServerPort : kDhcpClientPort, 0}, src, dst);
    f.ipv4(ip_header(src, dst, kIpProtoUdp, 1, 64));
    f.ethernet({eth_dst, from_client ? kMacA : kMacB, std::nullopt, kEtherTypeIpv4});
    return f.take();
}

}  // namespace

TEST_CASE("DHCP: a DISCOVER is laid out as RFC 2131's figure 1, padded to 300 bytes", "[headers][dhcp]") {
    const auto b = bytes_of(discover());
    REQUIRE(b.size() == 300);
    const std::vector<std::uint8_t> head = {1, 1, 6, 0, 0x39, 0x03, 0xf3, 0x26, 0, 0, 0x80, 0};  // op htype hlen hops xid secs flags
    CHECK(std::equal(head.begin(), head.end(), b.begin()));
    CHECK(std::all_of(b.begin() + 12, b.begin() + 28, [](auto x) { return x == 0; }));  // ciaddr..giaddr
    const std::vector<std::uint8_t> mac = {0x02, 0, 0, 0, 0, 0x0a};
    CHECK(std::equal(mac.begin(), mac.end(), b.begin() + 28));
    CHECK(std::all_of(b.begin() + 34, b.begin() + 236, [](auto x) { return x == 0; }));  // chaddr padding, sname, file
    // The magic cookie, then: type DISCOVER, parameter list (mask, router, DNS, lease), end.
    const std::vector<std::uint8_t> tail = {99, 130, 83, 99, 53, 1, 1, 55, 4, 1, 3, 6, 51, 255};
    CHECK(std::equal(tail.begin(), tail.end(), b.begin() + 236));
    CHECK(std::all_of(b.begin() + 250, b.end(), [](auto x) { return x == 0; }));
    auto v = DhcpView::parse(b);
    REQUIRE(v);
    CHECK(v->type() == DhcpType::Discover);
    CHECK(v->to_message() == discover());
}

TEST_CASE("DHCP: an ACK's options come back as they were written", "[headers][dhcp]") {
    const auto b = bytes_of(ack());
    auto v = DhcpView::parse(b);
    REQUIRE(v);
    CHECK(v->to_message() == ack());
    CHECK(v->yiaddr() == Ipv4Address(10, 0, 0, 100));
    // Option 51, the lease: code, length 4, 3600 big-endian.
    const auto at = v->option_at(dhcp_option::kLeaseTime);
    REQUIRE(at);
    CHECK(b[*at - 2] == 51);
    CHECK(b[*at - 1] == 4);
    CHECK(load32(b, *at) == 3600);
    CHECK(std::string(to_string(v->type())) == "ACK");
}

TEST_CASE("DHCP: what is not a DHCP message is a located error", "[headers][dhcp]") {
    auto b = bytes_of(discover());
    CHECK(DhcpView::parse(Bytes(b).first(239)).error().reason == ParseReason::Truncated);
    auto cookie = b;
    cookie[236] = 98;
    CHECK(DhcpView::parse(cookie).error().field == std::string("cookie"));
    auto no_type = b;
    no_type[240] = dhcp_option::kPad;  // option 53, its length and its value become padding
    no_type[241] = dhcp_option::kPad;
    no_type[242] = dhcp_option::kPad;
    CHECK(DhcpView::parse(no_type).error().field == std::string("message_type"));
    auto runs_over = b;
    runs_over[244] = 200;  // the parameter list's length, past the 300 bytes
    auto e = DhcpView::parse(runs_over);
    REQUIRE_FALSE(e);
    CHECK(e.error().field == std::string("option"));
    CHECK(e.error().offset == 243);
    auto bootp = b;
    bootp[242] = 9;  // message type 9 does not exist
    CHECK(DhcpView::parse(bootp).error().field == std::string("message_type"));
}

TEST_CASE("the dissector shows a dhcp layer with the lease's fields", "[dissector][dhcp]") {
    const auto frame = dhcp_frame(ack(), Ipv4Address(10, 0, 0, 1), Ipv4Address(10, 0, 0, 100), kMacA);
    const Dissection d = dissect(frame);
    REQUIRE_FALSE(d.error);
    REQUIRE(d.top().name == std::string("dhcp"));
    CHECK(d.value("dhcp", "msg_type") == 5u);
    CHECK(d.text("dhcp", "yiaddr") == "10.0.0.100");
    CHECK(d.text("dhcp", "chaddr") == "02:00:00:00:00:0a");
    CHECK(d.text("dhcp", "router") == "10.0.0.1");
    CHECK(d.text("dhcp", "dns") == "10.0.0.53");
    CHECK(d.value("dhcp", "lease") == 3600u);
    CHECK(d.find("dhcp")->find("requested_ip") == nullptr);
}

TEST_CASE("tshark reads our DISCOVER and ACK as we built them", "[pcap][tshark][dhcp]") {
    const auto r = tshark_read(
        {dhcp_frame(discover(), Ipv4Address(), Ipv4Address(255, 255, 255, 255), MacAddress::broadcast()),
         dhcp_frame(ack(), Ipv4Address(10, 0, 0, 1), Ipv4Address(10, 0, 0, 100), kMacA)},
        "-e dhcp.option.dhcp -e dhcp.id -e dhcp.flags.bc -e dhcp.ip.your -e dhcp.hw.mac_addr -e dhcp.option.subnet_mask"
        " -e dhcp.option.router -e dhcp.option.domain_name_server -e dhcp.option.ip_address_lease_time"
        " -e dhcp.option.dhcp_server_id -e udp.checksum.status");
    check_clean(r);
    CHECK(r.verbose.find("Dynamic Host Configuration Protocol (Discover)") != std::string::npos);
    CHECK(r.verbose.find("Dynamic Host Configuration Protocol (ACK)") != std::string::npos);
    CHECK(r.fields ==
          "1;0x3903f326;1;0.0.0.0;02:00:00:00:00:0a;;;;;;1\n"
          "5;0x3903f326;0;10.0.0.100;02:00:00:00:00:0a;255.255.255.0;10.0.0.1;10.0.0.53;3600;10.0.0.1;1\n");
}
