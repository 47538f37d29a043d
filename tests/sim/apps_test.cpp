// Each application alone over a fake stack: what it binds, sends and
// schedules, and what it makes of what arrives. Expected values come from
// the tools being modelled (ping's sequence numbers from 1, traceroute's
// ports from 33434 and three probes per TTL) and from the scenario contract.

#include <catch2/catch.hpp>

#include "hopsim/netstack/icmp.hpp"
#include "hopsim/sim/apps/frame_sender.hpp"
#include "hopsim/sim/apps/ping.hpp"
#include "hopsim/sim/apps/tcp_client.hpp"
#include "hopsim/sim/apps/tcp_sink.hpp"
#include "hopsim/sim/apps/traceroute.hpp"
#include "hopsim/sim/apps/udp_sender.hpp"
#include "hopsim/sim/apps/udp_sink.hpp"
#include "support/fake_stack.hpp"

using namespace hopsim::sim;
using hopsim::test::FakeStack;
using hopsim::net::Ipv4Address;
namespace net = hopsim::net;

namespace {

Ipv4Address ip(const char* s) { return *Ipv4Address::parse(s); }

TrafficSpec traffic(TrafficKind kind, std::size_t size) {
    TrafficSpec t;
    t.kind = kind;
    t.from = 0;
    t.to_node = 1;
    t.to_ip = ip("10.0.0.2");
    t.to_port = 7;
    t.payload = Payload::pattern(size);
    return t;
}

Received datagram(int flow, net::Bytes data, std::uint16_t dst_port) {
    Received r;
    r.flow = flow;
    r.src = ip("10.0.0.1");
    r.dst = ip("10.0.0.2");
    r.src_port = 49152;
    r.dst_port = dst_port;
    r.data = data;
    return r;
}

}  // namespace

TEST_CASE("ping sends count echo requests, interval apart, sequence numbers from 1", "[apps][ping]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Ping, 56)};
    flows[0].at = SimTime::ms(5);
    flows[0].count = 3;
    flows[0].interval = SimTime::s(1);
    flows[0].ttl = 9;
    FakeStack stack(flows);
    Ping ping(stack, 0, flows[0]);
    ping.start();
    REQUIRE(stack.icmp_ids.size() == 1);
    CHECK(stack.icmp_ids.begin()->second == 1);  // identifier: flow index + 1
    while (stack.fire_next_timer()) {}
    REQUIRE(stack.sent.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(stack.sent[i].proto == "icmp");
        CHECK(stack.sent[i].port == i + 1);  // the sequence number
        CHECK(stack.sent[i].at == SimTime::ms(5) + SimTime::s(static_cast<std::int64_t>(i)));
        CHECK(stack.sent[i].options.ttl == 9);
        CHECK(stack.sent[i].data.size() == 56);
        CHECK(stack.sent[i].options.flow == 0);
    }
    CHECK(stack.ledger()[0].sent_packets == 3);
    CHECK(stack.ledger()[0].sent_bytes == 168);

    // The reply to sequence 2 arrives 30 ms after it left.
    stack.advance(SimTime::ms(5) + SimTime::s(1) + SimTime::ms(30));
    Received r = datagram(0, flows[0].payload.bytes(), 0);
    r.seq = 2;
    ping.on_echo_reply(0, r);
    const FlowStats& f = stack.ledger()[0];
    CHECK(f.delivered_packets == 1);
    CHECK(f.delivered_bytes == 56);
    CHECK(f.rtt.count == 1);
    CHECK(f.rtt.min == SimTime::ms(30));
    CHECK_FALSE(f.mismatched);
    REQUIRE(stack.deliveries.size() == 1);
    CHECK(stack.deliveries[0].bytes == 56);
}

TEST_CASE("a ping reply whose data differs from the request makes the flow not intact", "[apps][ping]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Ping, 8)};
    FakeStack stack(flows);
    Ping ping(stack, 0, flows[0]);
    ping.start();
    stack.fire_next_timer();
    std::vector<std::uint8_t> other(8, 0);
    Received r = datagram(0, other, 0);
    r.seq = 1;
    ping.on_echo_reply(0, r);
    CHECK(stack.ledger()[0].mismatched);
    CHECK_FALSE(stack.ledger().intact(0));
}

TEST_CASE("UDP traceroute: probes to 33434 + n, three per TTL, until port unreachable", "[apps][traceroute]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Traceroute, 32)};
    FakeStack stack(flows);
    Traceroute tr(stack, 0, flows[0]);
    tr.start();
    REQUIRE(stack.udp_ports.size() == 1);
    stack.fire_next_timer();  // the first probe
    REQUIRE(stack.sent.size() == 1);
    CHECK(stack.sent[0].port == 33434);
    CHECK(stack.sent[0].options.ttl == 1);

    // Router R1 answers the first three probes with time exceeded.
    for (int n = 0; n < 3; ++n) {
        IcmpError e{ip("10.0.0.254"), hopsim::net::kIcmpTimeExceeded, 0, 49152, static_cast<std::uint16_t>(33434 + n), 0, 0};
        CHECK(tr.on_icmp_error(0, e));
    }
    REQUIRE(stack.sent.size() == 4);
    CHECK(stack.sent[3].port == 33437);
    CHECK(stack.sent[3].options.ttl == 2);

    // An error about an older probe is not this probe's answer.
    IcmpError stale{ip("10.0.0.254"), hopsim::net::kIcmpTimeExceeded, 0, 49152, 33434, 0, 0};
    CHECK_FALSE(tr.on_icmp_error(0, stale));

    // The destination answers the second TTL with port unreachable: three
    // probes at that TTL, then no more.
    for (int n = 3; n < 6; ++n) {
        IcmpError e{ip("10.0.0.2"), hopsim::net::kIcmpDestUnreachable, hopsim::net::kIcmpPortUnreachable, 49152,
                    static_cast<std::uint16_t>(33434 + n), 0, 0};
        CHECK(tr.on_icmp_error(0, e));
    }
    CHECK(stack.sent.size() == 6);
    const FlowStats& f = stack.ledger()[0];
    REQUIRE(f.hops.size() == 6);
    CHECK(f.hops[0].ttl == 1);
    CHECK(f.hops[5].ttl == 2);
    CHECK(f.hops[5].reached);
    CHECK(Ipv4Address(f.hops[5].from) == ip("10.0.0.2"));
    CHECK(stack.ledger().intact(0));
}

TEST_CASE("ICMP traceroute stops at the destination's echo reply", "[apps][traceroute]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Traceroute, 32)};
    flows[0].icmp_probes = true;
    FakeStack stack(flows);
    Traceroute tr(stack, 0, flows[0]);
    tr.start();
    CHECK(stack.udp_ports.empty());
    REQUIRE(stack.icmp_ids.size() == 1);
    stack.fire_next_timer();
    for (std::uint16_t seq = 1; seq <= 3; ++seq) {
        REQUIRE(stack.sent.size() == seq);
        CHECK(stack.sent.back().proto == "icmp");
        CHECK(stack.sent.back().port == seq);
        Received r = datagram(0, flows[0].payload.bytes(), 0);
        r.src = ip("10.0.0.2");
        r.seq = seq;
        tr.on_echo_reply(0, r);
    }
    CHECK(stack.sent.size() == 3);  // TTL 1 reached it: no probe at TTL 2
    const FlowStats& f = stack.ledger()[0];
    REQUIRE(f.hops.size() == 3);
    CHECK(f.hops[2].reached);
    CHECK(f.hops[2].ttl == 1);
}

TEST_CASE("a traceroute probe unanswered within wait is a star, and a late timer is ignored", "[apps][traceroute]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Traceroute, 32)};
    flows[0].probes = 1;
    flows[0].max_ttl = 2;
    flows[0].wait = SimTime::s(5);
    FakeStack stack(flows);
    Traceroute tr(stack, 0, flows[0]);
    tr.start();
    stack.fire_next_timer();                // probe 1
    stack.fire_next_timer();                // its timeout at 5 s: "*", probe 2 goes out
    CHECK(stack.now() == SimTime::s(5));
    REQUIRE(stack.sent.size() == 2);
    CHECK(stack.sent[1].options.ttl == 2);
    stack.fire_next_timer();                // probe 2 times out too; max_ttl reached
    CHECK_FALSE(stack.fire_next_timer());
    const FlowStats& f = stack.ledger()[0];
    REQUIRE(f.hops.size() == 2);
    CHECK(f.hops[0].from == 0);
    CHECK(f.hops[1].from == 0);
    CHECK_FALSE(stack.ledger().intact(0));
}

TEST_CASE("the UDP sender sends from one ephemeral port and counts nothing that comes back", "[apps][udp]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Udp, 100)};
    flows[0].count = 2;
    flows[0].interval = SimTime::ms(1);
    flows[0].df = false;
    FakeStack stack(flows);
    UdpSender sender(stack, 0, flows[0]);
    sender.start();
    while (stack.fire_next_timer()) {}
    REQUIRE(stack.sent.size() == 2);
    CHECK(stack.sent[0].socket == stack.sent[1].socket);
    CHECK(stack.sent[1].dst == ip("10.0.0.2"));
    CHECK(stack.sent[1].port == 7);
    CHECK_FALSE(stack.sent[1].options.df);
    sender.on_datagram(0, datagram(0, flows[0].payload.bytes(), 49152));
    CHECK(stack.ledger()[0].delivered_packets == 0);
    CHECK(stack.deliveries.size() == 1);
}

TEST_CASE("a UDP sink counts the datagrams of flows addressed to it, the echo sends them back", "[apps][udp]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Udp, 10), traffic(TrafficKind::Udp, 10)};
    flows[1].to_node = 2;  // addressed to another host
    FakeStack stack(flows);
    UdpEcho echo(stack, 1, 7);
    echo.start();
    REQUIRE(stack.udp_ports.at(0) == 7);
    echo.on_datagram(0, datagram(0, flows[0].payload.bytes(), 7));
    echo.on_datagram(0, datagram(1, flows[1].payload.bytes(), 7));
    CHECK(stack.ledger()[0].delivered_packets == 1);
    CHECK(stack.ledger()[1].delivered_packets == 0);
    CHECK(stack.deliveries.size() == 2);  // both read
    REQUIRE(stack.sent.size() == 2);      // both echoed
    CHECK(stack.sent[0].dst == ip("10.0.0.1"));
    CHECK(stack.sent[0].port == 49152);
    CHECK(stack.sent[0].options.flow == 0);

    UdpSink sink(stack, 1, 7);
    sink.start();  // the port is taken: the sink stays unbound
    CHECK(stack.udp_ports.size() == 1);
}

TEST_CASE("the TCP client connects at its time, writes the payload and closes once it is acknowledged", "[apps][tcp]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Tcp, 5000)};
    flows[0].at = SimTime::ms(2);
    FakeStack stack(flows);
    TcpClient client(stack, 0, flows[0]);
    client.start();
    REQUIRE(stack.tcp.size() == 1);
    const SocketId s = stack.tcp.begin()->first;
    CHECK(stack.tcp[s].state == TcpState::Closed);
    stack.fire_next_timer();
    CHECK(stack.now() == SimTime::ms(2));
    CHECK(stack.tcp[s].port == 7);
    CHECK(stack.tcp[s].borrowed == &flows[0].payload);
    CHECK(stack.ledger()[0].sent_bytes == 5000);
    CHECK(stack.ledger()[0].first_send == SimTime::ms(2));

    stack.tcp[s].state = TcpState::Established;
    client.on_tcp_progress(s);
    CHECK_FALSE(stack.tcp[s].closed);  // bytes still unacknowledged
    stack.tcp[s].all_acked = true;
    client.on_tcp_progress(s);
    CHECK(stack.tcp[s].closed);
}

TEST_CASE("with echo, the TCP client checks the bytes that come back and closes when all have", "[apps][tcp]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Tcp, 300)};
    flows[0].echo = true;
    FakeStack stack(flows);
    TcpClient client(stack, 0, flows[0]);
    client.start();
    stack.fire_next_timer();
    const SocketId s = stack.tcp.begin()->first;
    stack.tcp[s].state = TcpState::Established;
    stack.tcp[s].all_acked = true;
    client.on_tcp_data(s, flows[0].payload.slice(0, 200));
    client.on_tcp_progress(s);
    CHECK_FALSE(stack.tcp[s].closed);  // acknowledged, but 100 bytes have not come back
    client.on_tcp_data(s, flows[0].payload.slice(200, 100));
    client.on_tcp_progress(s);
    CHECK(stack.tcp[s].closed);
    CHECK(stack.ledger()[0].echoed_bytes == 300);
    CHECK_FALSE(stack.ledger()[0].mismatched);
    CHECK(stack.deliveries.back().detail == "echoed back");
}

TEST_CASE("TCP sink and echo: bytes counted at their stream offset, echoed, closed after the peer", "[apps][tcp]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Tcp, 1000)};
    FakeStack stack(flows);
    TcpEcho echo(stack, 7);
    echo.start();
    CHECK(stack.listening.count(7));
    const SocketId conn = 42;
    stack.tcp[conn].flow = 0;
    echo.on_tcp_data(conn, flows[0].payload.slice(0, 600));
    echo.on_tcp_data(conn, flows[0].payload.slice(600, 400));
    const FlowStats& f = stack.ledger()[0];
    CHECK(f.delivered_bytes == 1000);
    CHECK(f.delivered_packets == 2);
    CHECK_FALSE(f.mismatched);
    CHECK(stack.tcp[conn].written.size() == 1000);
    echo.on_tcp_peer_closed(conn);
    CHECK(stack.tcp[conn].closed);

    // Bytes out of place (the second chunk again) are a corruption.
    TcpSink sink(stack, 9);
    const SocketId other = 43;
    stack.tcp[other].flow = 0;
    sink.on_tcp_data(other, flows[0].payload.slice(600, 400));
    CHECK(stack.ledger()[0].mismatched);
}

TEST_CASE("raw frames: the sender sends count frames, a sink counts a padded frame by its payload", "[apps][frame]") {
    std::vector<TrafficSpec> flows{traffic(TrafficKind::Frame, 4)};
    flows[0].count = 2;
    FakeStack stack(flows);
    FrameSender sender(stack, 0, flows[0]);
    sender.start();
    while (stack.fire_next_timer()) {}
    REQUIRE(stack.sent.size() == 2);
    CHECK(stack.sent[0].port == 0x88b5);  // the EtherType
    CHECK(stack.frames_to[0].is_broadcast());

    FrameSink sink(stack);
    sink.start();
    CHECK(stack.packet_owner == &sink);
    std::vector<std::uint8_t> padded(46, 0);  // Ethernet's minimum payload
    const net::Bytes p = flows[0].payload.bytes();
    std::copy(p.begin(), p.end(), padded.begin());
    Received r;
    r.flow = 0;
    r.data = padded;
    sink.on_packet(r);
    CHECK(stack.ledger()[0].delivered_bytes == 4);
    CHECK(stack.deliveries.back().bytes == 4);
    CHECK(stack.ledger().intact(0));
}
