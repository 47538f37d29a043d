// The frame-by-frame comparison and the pcap reader it stands on, without
// namespaces: hand-built frames with one field changed at a time.

#include <catch2/catch.hpp>

#include <fstream>

#include "hopsim/kernel/frame_diff.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/pcap_reader.hpp"
#include "hopsim/netstack/pcap_writer.hpp"
#include "netstack/sample_frames.hpp"
#include "support/process.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {

net::PcapRecord record(const Frame& f) { return {0, f}; }

Frame udp_from(std::uint16_t sport, std::uint16_t dport, std::uint8_t ttl, std::uint16_t ip_id) {
    const std::string text = "hello";
    net::FrameBuilder f(std::vector<std::uint8_t>(text.begin(), text.end()));
    f.udp({sport, dport, 0}, kIpA, kIpB);
    f.ipv4(ip_header(kIpA, kIpB, net::kIpProtoUdp, ip_id, ttl));
    f.ethernet({kMacB, kMacA, std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

// A TCP segment from A:sport to B:7, `isn` + `rseq` on the wire.
Frame tcp_from(std::uint16_t sport, std::uint32_t isn, std::uint32_t rseq, std::uint8_t flags, std::size_t len,
               std::uint16_t window, std::uint32_t ack = 0) {
    net::FrameBuilder f(std::vector<std::uint8_t>(len, 'x'));
    net::TcpHeader h;
    h.src_port = sport;
    h.dst_port = 7;
    h.seq = isn + rseq;
    h.ack = ack;
    h.flags = flags;
    h.window = window;
    f.tcp(h, kIpA, kIpB);
    f.ipv4(ip_header(kIpA, kIpB, net::kIpProtoTcp, 1, 64));
    f.ethernet({kMacB, kMacA, std::nullopt, net::kEtherTypeIpv4});
    return f.take();
}

}  // namespace

TEST_CASE("frame diff: TCP segments pair by sequence number relative to the SYN, PSH and later windows are timing", "[kernel][diff]") {
    namespace fl = net::tcp_flag;
    // Each side its own ISN and port; the same SYN and the same data at relative 1: agree,
    // though the kernel's data has no PSH and another window and ACK (timing).
    const auto same = kernel::diff_link(
        {record(tcp_from(49152, 1000, 0, fl::kSyn, 0, 64240)), record(tcp_from(49152, 1000, 1, fl::kAck | fl::kPsh, 100, 65535, 7))},
        {record(tcp_from(40000, 777777, 0, fl::kSyn, 0, 64240)), record(tcp_from(40000, 777777, 1, fl::kAck, 100, 63784, 9))});
    CHECK(same.empty());
    // The SYN's window is protocol: compared.
    const auto syn = kernel::diff_link({record(tcp_from(49152, 1000, 0, fl::kSyn, 0, 65535))},
                                       {record(tcp_from(40000, 5, 0, fl::kSyn, 0, 64240))});
    REQUIRE(syn.size() == 1);
    CHECK(syn[0].field == "tcp.win");
    // Data at another relative sequence number is another segment on each side.
    const auto seq = kernel::diff_link(
        {record(tcp_from(49152, 1000, 0, fl::kSyn, 0, 64240)), record(tcp_from(49152, 1000, 1, fl::kAck, 100, 65535))},
        {record(tcp_from(40000, 5, 0, fl::kSyn, 0, 64240)), record(tcp_from(40000, 5, 101, fl::kAck, 100, 65535))});
    REQUIRE(seq.size() == 2);
    CHECK((!seq[0].timing && !seq[1].timing));
    // A pure ACK on one side only is timing (Linux acknowledged two segments at once), not a disagreement.
    const auto ack = kernel::diff_link(
        {record(tcp_from(49152, 1000, 0, fl::kSyn, 0, 64240)), record(tcp_from(49152, 1000, 1, fl::kAck, 0, 65535))},
        {record(tcp_from(40000, 5, 0, fl::kSyn, 0, 64240))});
    REQUIRE(ack.size() == 1);
    CHECK(ack[0].timing);
}

TEST_CASE("frame diff: the same bytes cut into other segments are timing, missing bytes are not", "[kernel][diff]") {
    namespace fl = net::tcp_flag;
    const auto syn = [](std::uint16_t port, std::uint32_t isn) { return record(tcp_from(port, isn, 0, fl::kSyn, 0, 64240)); };
    // The simulator resent 1460 bytes as 536 + 536 + 388; the kernel as 536 + 924 (where its queue stood).
    const std::vector<net::PcapRecord> sim = {syn(49152, 1000), record(tcp_from(49152, 1000, 1, fl::kAck, 536, 65535)),
                                              record(tcp_from(49152, 1000, 537, fl::kAck, 536, 65535)),
                                              record(tcp_from(49152, 1000, 1073, fl::kAck, 388, 65535))};
    const auto recut = kernel::diff_link(sim, {syn(40000, 5), record(tcp_from(40000, 5, 1, fl::kAck, 536, 65535)),
                                               record(tcp_from(40000, 5, 537, fl::kAck, 924, 65535))});
    REQUIRE(recut.size() == 3);  // 536 at 537 and 388 at 1073 in the simulation, 924 at 537 in the kernel
    for (const auto& d : recut) CHECK(d.timing);
    // The kernel never sent the last 388 bytes: a difference.
    const auto lost = kernel::diff_link(sim, {syn(40000, 5), record(tcp_from(40000, 5, 1, fl::kAck, 536, 65535)),
                                              record(tcp_from(40000, 5, 537, fl::kAck, 536, 65535))});
    REQUIRE(lost.size() == 1);
    CHECK_FALSE(lost[0].timing);
}

TEST_CASE("frame diff: what each stack picks is not a difference, a TTL is", "[kernel][diff]") {
    // Another IP ID and another ephemeral source port (with the checksums they change): agree.
    const auto same = kernel::diff_link({record(udp_from(49152, 7, 64, 1))}, {record(udp_from(51234, 7, 64, 999))});
    CHECK(same.empty());
    // One TTL apart: that field, and only it.
    const auto ttl = kernel::diff_link({record(udp_from(49152, 7, 64, 1))}, {record(udp_from(49152, 7, 63, 1))});
    REQUIRE(ttl.size() == 1);
    CHECK(ttl[0].field == "ipv4.ttl");
    CHECK(ttl[0].sim_value == "64");
    CHECK(ttl[0].kernel_value == "63");
    // A well-known port is no modelling choice: another destination port is another frame on each side.
    const auto port = kernel::diff_link({record(udp_from(49152, 7, 64, 1))}, {record(udp_from(49152, 9, 64, 1))});
    REQUIRE(port.size() == 2);
    CHECK(port[0].field == "frame");
    CHECK(port[0].kernel_value == "missing");
    CHECK(port[1].sim_value == "missing");
}

TEST_CASE("frame diff: frames pair by what they are, not by their order", "[kernel][diff]") {
    const Frame request = icmp_echo_frame(net::kIcmpEchoRequest, 1), reply = icmp_echo_frame(net::kIcmpEchoReply, 1);
    CHECK(kernel::diff_link({record(request), record(reply)}, {record(reply), record(request)}).empty());
    const auto extra = kernel::diff_link({record(request)}, {record(request), record(arp_frame(1))});
    REQUIRE(extra.size() == 1);
    CHECK(extra[0].kernel == 2);
    CHECK(extra[0].what.rfind("ARP who-has", 0) == 0);
}

TEST_CASE("pcap reader: reads back what the writer wrote, and names a cut file's damage", "[kernel][pcap]") {
    TempDir dir("pcap");
    const std::string path = dir.file("a.pcap");
    {
        auto w = net::PcapWriter::open(path);
        REQUIRE(w);
        w->write(1'500'000'123, udp_frame("one"));
        w->write(2'000'000'000, arp_frame(2));
        REQUIRE(w->close());
    }
    auto r = net::read_pcap(path);
    REQUIRE(r);
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].time_ns == 1'500'000'123);
    CHECK((*r)[0].bytes == udp_frame("one"));
    CHECK((*r)[1].bytes == arp_frame(2));
    const std::string whole = read_file(path);
    std::ofstream(dir.file("cut.pcap"), std::ios::binary) << whole.substr(0, whole.size() - 10);
    auto cut = net::read_pcap(dir.file("cut.pcap"));
    REQUIRE_FALSE(cut);
    CHECK(cut.error().find("record 2 claims") != std::string::npos);
    std::ofstream(dir.file("text.pcap")) << "this is not a capture at all";
    CHECK(net::read_pcap(dir.file("text.pcap")).error().find("not a classic pcap file") != std::string::npos);
}
