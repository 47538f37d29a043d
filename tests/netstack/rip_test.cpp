// RIP version 2 (RFC 2453 section 4) against bytes assembled by hand, the
// dissector's rip layer, and tshark reading our frame.

#include <catch2/catch.hpp>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/rip.hpp"
#include "netstack/sample_frames.hpp"
#include "netstack/tshark_read.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

namespace {

// A response with two routes: 10.0.2.0/24 at metric 1, 10.0.3.0/24 withdrawn (16).
RipMessage two_routes() {
    RipMessage m;
    m.entries[0] = {kRipFamilyIp, 0, Ipv4Address(10, 0, 2, 0), Ipv4Address(255, 255, 255, 0), Ipv4Address(), 1};
    m.entries[1] = {kRipFamilyIp, 0, Ipv4Address(10, 0, 3, 0), Ipv4Address(255, 255, 255, 0), Ipv4Address(), kRipInfinity};
    m.entry_count = 2;
    return m;
}

// The same message, byte by byte from RFC 2453's figures.
const std::vector<std::uint8_t> kTwoRoutes = {
    0x02, 0x02, 0x00, 0x00,                                                  // response, version 2, zero
    0x00, 0x02, 0x00, 0x00, 10, 0, 2, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1,   // AFI 2, tag 0, route, mask, next hop, metric
    0x00, 0x02, 0x00, 0x00, 10, 0, 3, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 16,
};

std::vector<std::uint8_t> rip_frame(const RipMessage& m) {
    std::vector<std::uint8_t> payload(m.length());
    m.emit(payload);
    FrameBuilder f(payload);
    f.udp({kRipPort, kRipPort, 0}, kIpA, kRipGroup);
    f.ipv4(ip_header(kIpA, kRipGroup, kIpProtoUdp, 1, 1));  // TTL 1: one hop only
    f.ethernet({*MacAddress::parse("01:00:5e:00:00:09"), kMacA, std::nullopt, kEtherTypeIpv4});
    return f.take();
}

}  // namespace

TEST_CASE("RIP v2: a response emits and parses as RFC 2453 lays it out", "[headers][rip]") {
    const RipMessage m = two_routes();
    REQUIRE(m.length() == 44);
    std::vector<std::uint8_t> out(m.length(), 0xee);  // junk underneath: every byte must be written
    m.emit(out);
    CHECK(out == kTwoRoutes);
    auto v = RipView::parse(kTwoRoutes);
    REQUIRE(v);
    CHECK(v->command() == kRipResponse);
    CHECK(v->version() == 2);
    CHECK(v->entry_count() == 2);
    CHECK(v->entry(1).metric == 16);
    CHECK(v->to_message() == m);
}

TEST_CASE("RIP: what is not a RIP message is a located error", "[headers][rip]") {
    auto cut = kTwoRoutes;
    cut.pop_back();
    auto e = RipView::parse(cut);
    REQUIRE_FALSE(e);
    CHECK(e.error().message() == ParseError{"rip", "entry", 24, ParseReason::Truncated, 20, 19}.message());
    auto bad_command = kTwoRoutes;
    bad_command[0] = 3;
    CHECK(RipView::parse(bad_command).error().field == std::string("command"));
    auto bad_version = kTwoRoutes;
    bad_version[1] = 3;
    CHECK(RipView::parse(bad_version).error().field == std::string("version"));
    std::vector<std::uint8_t> too_many(kRipHeaderLen + 26 * kRipEntryLen);
    too_many[0] = kRipResponse, too_many[1] = 2;
    CHECK(RipView::parse(too_many).error().field == std::string("entries"));
    CHECK_FALSE(RipView::parse(std::vector<std::uint8_t>{2, 2}));
}

TEST_CASE("the dissector shows a rip layer with its routes", "[dissector][rip]") {
    const auto frame = rip_frame(two_routes());
    const Dissection d = dissect(frame);
    REQUIRE_FALSE(d.error);
    REQUIRE(d.top().name == std::string("rip"));
    CHECK(d.value("rip", "command") == 2u);
    CHECK(d.value("rip", "entries") == 2u);
    CHECK(d.text("rip", "route1") == "10.0.2.0");
    CHECK(d.text("rip", "mask2") == "255.255.255.0");
    CHECK(d.value("rip", "metric2") == 16u);
    CHECK(d.find("rip")->find("route3") == nullptr);
    // The metric's bytes: the last 4 of the second entry.
    CHECK(d.find("rip")->find("metric2")->offset == frame.size() - 4);
}

TEST_CASE("tshark reads our RIP response as we built it", "[pcap][tshark][rip]") {
    const auto r = tshark_read({rip_frame(two_routes())}, "-e rip.command -e rip.version -e rip.ip -e rip.netmask"
                                                          " -e rip.next_hop -e rip.metric -e ip.ttl -e udp.checksum.status");
    check_clean(r);
    CHECK(r.verbose.find("Routing Information Protocol") != std::string::npos);
    CHECK(r.fields == "2;2;10.0.2.0,10.0.3.0;255.255.255.0,255.255.255.0;0.0.0.0,0.0.0.0;1,16;1;1\n");  // status 1: checksum good
}
