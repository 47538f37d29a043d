#pragma once
// A small set of frames of every kind, built with FrameBuilder, shared by the
// dissector, robustness and tshark tests. Expected values in those tests come
// from the constants here and from tshark, not from the dissector.

#include <string>
#include <vector>

#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/protocols.hpp"

namespace hopsim::test {

using net::Ipv4Address;
using net::MacAddress;
using Frame = std::vector<std::uint8_t>;

inline const MacAddress kMacA = *MacAddress::parse("02:00:00:00:00:0a");
inline const MacAddress kMacB = *MacAddress::parse("02:00:00:00:00:0b");
inline const Ipv4Address kIpA(10, 0, 0, 1);
inline const Ipv4Address kIpB(10, 0, 0, 2);

inline net::Ipv4Header ip_header(Ipv4Address src, Ipv4Address dst, std::uint8_t proto,
                                 std::uint16_t id, std::uint8_t ttl = 64) {
    net::Ipv4Header h;
    h.id = id;
    h.dont_fragment = true;
    h.ttl = ttl;
    h.protocol = proto;
    h.src = src;
    h.dst = dst;
    return h;
}

inline Frame arp_frame(std::uint16_t op) {
    const bool req = op == net::kArpRequest;
    net::FrameBuilder f;
    f.arp({op, req ? kMacA : kMacB, req ? kIpA : kIpB, req ? MacAddress() : kMacA, req ? kIpB : kIpA});
    f.ethernet({req ? MacAddress::broadcast() : kMacA, req ? kMacA : kMacB, std::nullopt, net::kEtherTypeArp});
    return f.take();
}

inline Frame icmp_echo_frame(std::uint8_t type, std::uint16_t seq) {
    const bool req = type == net::kIcmpEchoRequest;
    const std::vector<std::uint8_t> data(56, 0x61);  // ping's default 56 data bytes
    net::FrameBuilder f(data);
    f.icmp(net::IcmpHeader::echo(type, 0x1234, seq));
    f.ipv4(ip_header(req ? kIpA : kIpB, req ? kIpB : kIpA, net::kIpProtoIcmp, 100 + seq));
    f.ethernet({req ? kMacB : kMacA, req ? kMacA : kMacB, std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

inline Frame udp_frame(const std::string& text, std::uint8_t ttl = 64) {
    net::FrameBuilder f(std::vector<std::uint8_t>(text.begin(), text.end()));
    f.udp({33434, 9, 0}, kIpA, kIpB);
    f.ipv4(ip_header(kIpA, kIpB, net::kIpProtoUdp, 7, ttl));
    f.ethernet({kMacB, kMacA, std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

// A router's time-exceeded reply to udp_frame(): the quoted IP header + 8 bytes.
inline Frame time_exceeded_frame() {
    const Frame orig = udp_frame("expired", 1);
    std::vector<std::uint8_t> quote(orig.begin() + 14, orig.begin() + 14 + 20 + 8);
    net::FrameBuilder f(quote);
    f.icmp({net::kIcmpTimeExceeded, 0, 0});
    f.ipv4(ip_header(Ipv4Address(10, 0, 0, 254), kIpA, net::kIpProtoIcmp, 9));
    f.ethernet({kMacA, *MacAddress::parse("02:00:00:00:00:fe"), std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

inline Frame tcp_frame(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, const std::string& data,
                       bool from_a, bool syn_options) {
    net::TcpHeader t;
    t.src_port = from_a ? 49152 : 7;
    t.dst_port = from_a ? 7 : 49152;
    t.seq = seq;
    t.ack = ack;
    t.flags = flags;
    t.window = 64240;
    if (syn_options) {
        t.options.mss = 1460;
        t.options.sack_permitted = true;
        t.options.timestamps = net::TcpTimestamps{1000, 0};
        t.options.window_scale = 7;
    }
    const Ipv4Address src = from_a ? kIpA : kIpB, dst = from_a ? kIpB : kIpA;
    net::FrameBuilder f(std::vector<std::uint8_t>(data.begin(), data.end()));
    f.tcp(t, src, dst);
    f.ipv4(ip_header(src, dst, net::kIpProtoTcp, static_cast<std::uint16_t>(seq & 0xffff)));
    f.ethernet({from_a ? kMacB : kMacA, from_a ? kMacA : kMacB, std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

// Every kind, in an order a capture would show (the TCP frames form one
// consistent connection so tshark's sequence analysis has nothing to flag).
inline std::vector<Frame> sample_frames() {
    namespace fl = net::tcp_flag;
    return {
        arp_frame(net::kArpRequest),
        arp_frame(net::kArpReply),
        icmp_echo_frame(net::kIcmpEchoRequest, 1),
        icmp_echo_frame(net::kIcmpEchoReply, 1),
        udp_frame("hello"),
        time_exceeded_frame(),
        tcp_frame(fl::kSyn, 1000, 0, "", true, true),
        tcp_frame(fl::kSyn | fl::kAck, 5000, 1001, "", false, true),
        tcp_frame(fl::kAck, 1001, 5001, "", true, false),
        tcp_frame(fl::kPsh | fl::kAck, 1001, 5001, "hello, world", true, false),
        tcp_frame(fl::kAck, 5001, 1013, "", false, false),
    };
}

}  // namespace hopsim::test
