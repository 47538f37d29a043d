// Each header: deconstruct hand-assembled bytes field by field, emit the value
// into a junk-filled buffer and compare, round-trip, and sweep truncations.

#include <catch2/catch.hpp>

#include <vector>

#include "hopsim/netstack/arp.hpp"
#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/netstack/stp.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/netstack/udp.hpp"

using namespace hopsim::net;
using V = std::vector<std::uint8_t>;

namespace {
V junk(std::size_t n) { return V(n, 0xa5); }
MacAddress mac(const char* s) { return *MacAddress::parse(s); }
Ipv4Address ip(const char* s) { return *Ipv4Address::parse(s); }
}  // namespace

TEST_CASE("Ethernet II: fields, emit, round trip and truncation", "[headers][eth]") {
    const V bytes = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // dst: broadcast
                     0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // src
                     0x08, 0x06};                         // ARP
    auto v = EthernetView::parse(bytes);
    REQUIRE(v);
    CHECK(v->dst().is_broadcast());
    CHECK(v->src() == mac("02:00:00:00:00:01"));
    CHECK(v->ethertype() == kEtherTypeArp);
    CHECK_FALSE(v->vlan());
    CHECK(v->header_len() == 14);

    const EthernetHeader h{MacAddress::broadcast(), mac("02:00:00:00:00:01"), std::nullopt, kEtherTypeArp};
    V out = junk(h.header_len());
    h.emit(out);
    CHECK(out == bytes);
    CHECK(v->to_header() == h);

    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto t = EthernetView::parse(V(bytes.begin(), bytes.begin() + static_cast<long>(n)));
        REQUIRE_FALSE(t);
        CHECK(t.error().reason == ParseReason::Truncated);
    }
}

TEST_CASE("Ethernet with an 802.1Q tag: VLAN 100, priority 5", "[headers][eth]") {
    // TCI = pcp 5 (101), dei 0, vid 100 (0x064) = 1010 0000 0110 0100 = 0xa064.
    const V bytes = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0xa0, 0x64, 0x08, 0x00};
    auto v = EthernetView::parse(bytes);
    REQUIRE(v);
    REQUIRE(v->vlan());
    CHECK(v->vlan()->vid == 100);
    CHECK(v->vlan()->pcp == 5);
    CHECK_FALSE(v->vlan()->dei);
    CHECK(v->ethertype() == kEtherTypeIpv4);
    CHECK(v->header_len() == 18);
    V out = junk(18);
    v->to_header().emit(out);
    CHECK(out == bytes);
    auto cut = EthernetView::parse(V(bytes.begin(), bytes.begin() + 16));
    REQUIRE_FALSE(cut);
    CHECK(cut.error().field == std::string("vlan"));
}

TEST_CASE("802.1Q: a tag pushed after the source address, popped back, padded to 60", "[headers][eth][vlan]") {
    V untagged = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06};
    for (int i = 0; i < 46; ++i) untagged.push_back(static_cast<std::uint8_t>(i));  // a 60-byte frame
    // Hand-assembled: TPID 0x8100, TCI 0x000a (PCP 0, DEI 0, VID 10), then the old EtherType.
    V tagged = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x06};
    for (int i = 0; i < 46; ++i) tagged.push_back(static_cast<std::uint8_t>(i));
    REQUIRE(retagged_size(untagged, true) == 64);
    V out = junk(64);
    retag(untagged, VlanTag{0, false, 10}, out);
    CHECK(out == tagged);

    REQUIRE(retagged_size(tagged, false) == 60);
    V back = junk(60);
    retag(tagged, std::nullopt, back);
    CHECK(back == untagged);

    // A 60-byte tagged frame loses 4 bytes: padded with zeros to the minimum.
    const V short_tagged(tagged.begin(), tagged.begin() + 60);
    REQUIRE(retagged_size(short_tagged, false) == 60);
    V padded = junk(60);
    retag(short_tagged, std::nullopt, padded);
    V expected(60, 0);
    std::copy_n(untagged.begin(), 56, expected.begin());
    CHECK(padded == expected);

    // A tag replaced by another (a router on a stick, VLAN 10 in, VLAN 20 out).
    V other = junk(64);
    retag(tagged, VlanTag{0, false, 20}, other);
    CHECK(other[15] == 20);
    CHECK(V(other.begin() + 16, other.end()) == V(tagged.begin() + 16, tagged.end()));
}

TEST_CASE("802.1D: a configuration BPDU and a TCN, byte by byte", "[headers][stp]") {
    // IEEE 802.1D-2004 9.3.1, as Wireshark shows it: LLC 42 42 03, then the BPDU.
    const V config = {0x42, 0x42, 0x03,                          // LLC: STP SAPs, UI
                      0x00, 0x00, 0x00, 0x00,                    // protocol 0, version 0, type config
                      0x81,                                      // flags: TCA + TC
                      0x10, 0x00, 0x02, 0, 0, 0, 0x03, 0x01,     // root 4096/02:00:00:00:03:01
                      0x00, 0x03, 0x0d, 0x40,                    // root path cost 200000
                      0x80, 0x00, 0x02, 0, 0, 0, 0x04, 0x01,     // bridge 32768/02:00:00:00:04:01
                      0x80, 0x02,                                // port 0x8002
                      0x00, 0x01,                                // message age 1/256 s
                      0x14, 0x00, 0x02, 0x00, 0x0f, 0x00};       // max age 20 s, hello 2 s, forward delay 15 s
    auto v = BpduView::parse(config);
    REQUIRE(v);
    CHECK(v->is_config());
    CHECK(v->flags() == (kBpduFlagTc | kBpduFlagTca));
    CHECK(v->root().to_string() == "4096/02:00:00:00:03:01");
    CHECK(v->root_cost() == 200000);
    CHECK(v->bridge().to_string() == "32768/02:00:00:00:04:01");
    CHECK(v->port() == 0x8002);
    CHECK(v->message_age() == 1);
    CHECK(v->max_age() == 20 * 256);
    CHECK(v->hello() == 2 * 256);
    CHECK(v->forward_delay() == 15 * 256);
    V out = junk(kBpduConfigLen);
    v->to_bpdu().emit(out);
    CHECK(out == V(config.begin() + 3, config.end()));
    for (std::size_t n = 0; n < config.size(); ++n) CHECK_FALSE(BpduView::parse(V(config.begin(), config.begin() + static_cast<long>(n))));

    const V tcn = {0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x80};
    auto t = BpduView::parse(tcn);
    REQUIRE(t);
    CHECK(t->to_bpdu().type == kBpduTcn);
    V not_stp = tcn;
    not_stp[0] = 0xaa;  // SNAP, not the spanning tree
    CHECK_FALSE(BpduView::parse(not_stp));

    // The frame: 802.3 length 38 (LLC + BPDU), padded to 60.
    V frame(bpdu_frame_size(), 0xa5);
    emit_bpdu_frame(v->to_bpdu(), mac("02:00:00:00:04:02"), frame);
    CHECK(frame.size() == 60);
    CHECK(V(frame.begin(), frame.begin() + 6) == V{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00});
    CHECK(frame[12] == 0x00);
    CHECK(frame[13] == 38);
    CHECK(V(frame.begin() + 14, frame.begin() + 52) == config);
    CHECK(V(frame.begin() + 52, frame.end()) == V(8, 0));
}

TEST_CASE("ARP: a who-has request decoded byte by byte", "[headers][arp]") {
    const V bytes = {0x00, 0x01,                          // htype Ethernet
                     0x08, 0x00,                          // ptype IPv4
                     0x06, 0x04,                          // hlen, plen
                     0x00, 0x01,                          // request
                     0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // sha
                     0x0a, 0x00, 0x00, 0x01,              // spa 10.0.0.1
                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // tha unknown
                     0x0a, 0x00, 0x00, 0x02};             // tpa 10.0.0.2
    auto v = ArpView::parse(bytes);
    REQUIRE(v);
    CHECK(v->oper() == kArpRequest);
    CHECK(v->sha() == mac("02:00:00:00:00:01"));
    CHECK(v->spa() == ip("10.0.0.1"));
    CHECK(v->tha() == MacAddress());
    CHECK(v->tpa() == ip("10.0.0.2"));

    const ArpPacket p{kArpRequest, mac("02:00:00:00:00:01"), ip("10.0.0.1"), MacAddress(), ip("10.0.0.2")};
    V out = junk(kArpLen);
    p.emit(out);
    CHECK(out == bytes);
    CHECK(v->to_packet() == p);

    for (std::size_t n = 0; n < bytes.size(); ++n)
        CHECK_FALSE(ArpView::parse(V(bytes.begin(), bytes.begin() + static_cast<long>(n))));
    V other = bytes;
    other[1] = 6;  // IEEE 802 hardware: not modelled
    auto bad = ArpView::parse(other);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message() == "arp.htype at byte 0: unsupported value 6");
}

TEST_CASE("IPv4: the published b861 header, field by field", "[headers][ipv4]") {
    V bytes = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
               0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    bytes.resize(0x73, 0);  // the 95 payload bytes the total length announces
    auto v = Ipv4View::parse(bytes);
    REQUIRE(v);
    CHECK(v->version() == 4);
    CHECK(v->header_len() == 20);
    CHECK(v->total_length() == 115);
    CHECK(v->dont_fragment());
    CHECK_FALSE(v->more_fragments());
    CHECK(v->fragment_offset() == 0);
    CHECK(v->ttl() == 64);
    CHECK(v->protocol() == kIpProtoUdp);
    CHECK(v->checksum() == 0xb861);
    CHECK(v->checksum_ok());
    CHECK(v->src() == ip("192.168.0.1"));
    CHECK(v->dst() == ip("192.168.0.199"));
    CHECK(v->payload().size() == 95);

    Ipv4Header h;
    h.total_length = 115;
    h.dont_fragment = true;
    h.ttl = 64;
    h.protocol = kIpProtoUdp;
    h.src = ip("192.168.0.1");
    h.dst = ip("192.168.0.199");
    V out = junk(20);
    h.emit(out);
    CHECK(out == V(bytes.begin(), bytes.begin() + 20));  // including the computed b861
    CHECK(v->to_header() == h);
}

TEST_CASE("IPv4: DSCP/ECN, fragments and options survive a round trip", "[headers][ipv4]") {
    Ipv4Header h;
    h.dscp = 46;  // EF
    h.ecn = 1;
    h.id = 0x1234;
    h.more_fragments = true;
    h.fragment_offset = 185;  // 1480 bytes
    h.ttl = 1;
    h.protocol = kIpProtoIcmp;
    h.src = ip("10.0.0.1");
    h.dst = ip("10.0.0.2");
    h.options_len = 4;
    h.options = {0x94, 0x04, 0x00, 0x00};  // router alert (RFC 2113)
    h.total_length = static_cast<std::uint16_t>(h.header_len() + 8);
    V out = junk(h.total_length);
    h.emit(out);
    CHECK(out[0] == 0x46);          // version 4, IHL 6
    CHECK(out[1] == (46 << 2 | 1));  // TOS
    CHECK(out[6] == 0x20);          // MF, offset high bits 0
    CHECK(out[7] == 185);
    auto v = Ipv4View::parse(out);
    REQUIRE(v);
    CHECK(v->checksum_ok());
    CHECK(v->is_fragment());
    CHECK(v->fragment_offset() == 185);
    CHECK(v->options().size() == 4);
    CHECK(v->to_header() == h);
}

TEST_CASE("IPv4: each length check has its own located error", "[headers][ipv4]") {
    V b = {0x45, 0x00, 0x00, 0x1c, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
    REQUIRE(Ipv4View::parse(b));
    SECTION("version 6") {
        b[0] = 0x65;
        CHECK(Ipv4View::parse(b).error().message() == "ipv4.version at byte 0: version 6, expected 4");
    }
    SECTION("IHL below 5") {
        b[0] = 0x44;
        CHECK(Ipv4View::parse(b).error().reason == ParseReason::BadHeaderLength);
    }
    SECTION("IHL past the data") {
        b[0] = 0x4f;  // 60 bytes of header, 28 available
        CHECK(Ipv4View::parse(b).error().message() == "ipv4.ihl at byte 0: header length 60 > 28 bytes available");
    }
    SECTION("total length past the data") {
        b[2] = 0x05, b[3] = 0xdc;  // 1500
        CHECK(Ipv4View::parse(b).error().message() ==
              "ipv4.total_length at byte 2: 1500 > 28 bytes available");
    }
    SECTION("total length shorter than the header") {
        b[3] = 0x10;
        CHECK(Ipv4View::parse(b).error().reason == ParseReason::LengthTooShort);
    }
    SECTION("every prefix shorter than the header is truncated") {
        for (std::size_t n = 0; n < 20; ++n)
            CHECK(Ipv4View::parse(V(b.begin(), b.begin() + static_cast<long>(n))).error().reason ==
                  ParseReason::Truncated);
    }
}

TEST_CASE("ICMP echo request: checksum worked by hand", "[headers][icmp]") {
    // type 8, id 1, seq 1, data "abcd": 0800+0001+0001+6162+6364 = ccc8, ~ = 3337.
    V msg = junk(12);
    IcmpHeader::echo(kIcmpEchoRequest, 1, 1).emit(msg);
    msg[8] = 'a', msg[9] = 'b', msg[10] = 'c', msg[11] = 'd';
    fill_icmp_checksum(msg);
    const V expect = {0x08, 0x00, 0x33, 0x37, 0x00, 0x01, 0x00, 0x01, 'a', 'b', 'c', 'd'};
    CHECK(msg == expect);
    auto v = IcmpView::parse(msg);
    REQUIRE(v);
    CHECK(v->is_echo());
    CHECK(v->id() == 1);
    CHECK(v->seq() == 1);
    CHECK(v->checksum_ok());
    CHECK(v->body().size() == 4);
    CHECK(v->to_header() == IcmpHeader::echo(kIcmpEchoRequest, 1, 1));
    for (std::size_t n = 0; n < 8; ++n)
        CHECK_FALSE(IcmpView::parse(V(msg.begin(), msg.begin() + static_cast<long>(n))));
}

TEST_CASE("ICMP fragmentation needed carries the next-hop MTU (RFC 1191)", "[headers][icmp]") {
    V msg = junk(8);
    IcmpHeader::frag_needed(1400).emit(msg);
    const V expect = {0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x05, 0x78};
    CHECK(msg == expect);
    auto v = IcmpView::parse(msg);
    REQUIRE(v);
    CHECK(v->is_error());
    CHECK(v->next_hop_mtu() == 1400);
}

TEST_CASE("UDP: fields, emit and length checks", "[headers][udp]") {
    const V bytes = {0x13, 0x88, 0x00, 0x09, 0x00, 0x0a, 0x83, 0x6b, 'h', 'i', 0, 0};
    auto v = UdpView::parse(bytes);
    REQUIRE(v);
    CHECK(v->src_port() == 5000);
    CHECK(v->dst_port() == 9);
    CHECK(v->length() == 10);
    CHECK(v->payload().size() == 2);  // trailing bytes beyond the length are not payload
    V out = junk(8);
    v->to_header().emit(out);
    CHECK(out == V{0x13, 0x88, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x00});
    V short_len = bytes;
    short_len[5] = 4;
    CHECK(UdpView::parse(short_len).error().message() == "udp.length at byte 4: 4 < header length 8");
    V long_len = bytes;
    long_len[5] = 200;
    CHECK(UdpView::parse(long_len).error().reason == ParseReason::LengthBeyondData);
}

TEST_CASE("TCP SYN with Linux's options: MSS, SACK-permitted, timestamps, window scale", "[headers][tcp]") {
    const V bytes = {
        0xc0, 0x00, 0x00, 0x50,  // 49152 -> 80
        0x01, 0x02, 0x03, 0x04,  // seq
        0x00, 0x00, 0x00, 0x00,  // ack
        0xa0, 0x02,              // data offset 10 (40 bytes), SYN
        0xfa, 0xf0,              // window 64240
        0x00, 0x00, 0x00, 0x00,  // checksum (filled later), urgent
        0x02, 0x04, 0x05, 0xb4,  // MSS 1460
        0x04, 0x02,              // SACK permitted
        0x08, 0x0a, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  // TS 1, 0
        0x01, 0x03, 0x03, 0x07,  // NOP, window scale 7
    };
    auto v = TcpView::parse(bytes);
    REQUIRE(v);
    CHECK(v->src_port() == 49152);
    CHECK(v->dst_port() == 80);
    CHECK(v->seq() == 0x01020304);
    CHECK(v->header_len() == 40);
    CHECK(v->flags() == tcp_flag::kSyn);
    CHECK(tcp_flags_string(v->flags()) == "SYN");
    CHECK(v->window() == 64240);
    CHECK(v->options().mss == 1460);
    CHECK(v->options().sack_permitted);
    REQUIRE(v->options().timestamps);
    CHECK(v->options().timestamps->value == 1);
    CHECK(v->options().window_scale == 7);

    TcpHeader h{49152, 80, 0x01020304, 0, tcp_flag::kSyn, 64240, 0, {}};
    h.options.mss = 1460;
    h.options.sack_permitted = true;
    h.options.timestamps = TcpTimestamps{1, 0};
    h.options.window_scale = 7;
    V out = junk(h.header_len());
    h.emit(out);
    CHECK(out == bytes);
    CHECK(v->to_header() == h);
}

TEST_CASE("TCP options: unknown kinds are skipped, bad lengths are errors", "[headers][tcp]") {
    V b(24, 0);
    b[12] = 0x60;  // 24-byte header
    b[13] = tcp_flag::kSyn | tcp_flag::kAck;
    SECTION("an unknown option of length 4 is skipped") {
        b[20] = 0xfd, b[21] = 4;  // RFC 6994 experimental
        auto v = TcpView::parse(b);
        REQUIRE(v);
        CHECK(v->options() == TcpOptions{});
        CHECK(tcp_flags_string(v->flags()) == "SYN,ACK");
    }
    SECTION("an option length of 1 is malformed") {
        b[20] = 0xfd, b[21] = 1;
        CHECK(TcpView::parse(b).error().message() ==
              "tcp.options at byte 20: option length 1 invalid, 4 bytes left");
    }
    SECTION("an option running past the header is malformed") {
        b[20] = 2, b[21] = 8;
        CHECK(TcpView::parse(b).error().reason == ParseReason::BadOption);
    }
    SECTION("a data offset below 5 is malformed") {
        b[12] = 0x40;
        CHECK(TcpView::parse(b).error().reason == ParseReason::BadHeaderLength);
    }
    SECTION("a data offset past the bytes is malformed") {
        b[12] = 0xf0;
        CHECK(TcpView::parse(b).error().reason == ParseReason::HeaderBeyondData);
    }
}

TEST_CASE("TCP options alone: SACK-permitted without timestamps is NOP-padded", "[headers][tcp]") {
    TcpOptions o;
    o.sack_permitted = true;
    V out = junk(o.length());
    o.emit(out);
    CHECK(out == V{0x01, 0x01, 0x04, 0x02});
    TcpOptions ts;
    ts.timestamps = TcpTimestamps{7, 9};
    CHECK(ts.length() == 12);
}
