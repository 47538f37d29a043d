// The NAT table against Linux's conntrack: the lifetimes are read from this
// machine's own /proc/sys/net/netfilter (the kernel's defaults when the
// conntrack module is not loaded, and said so), the port rules from what
// MASQUERADE does (keep the port unless that outside tuple is taken).

#include <catch2/catch.hpp>

#include <fstream>

#include "hopsim/sim/nat.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;
using sim::NatMapping;
using sim::NatTable;
using sim::SimTime;

namespace {

const net::Ipv4Address kOut(203, 0, 113, 1), kH1(10, 0, 0, 10), kH2(10, 0, 0, 11), kW(198, 51, 100, 80), kV(198, 51, 100, 81);
constexpr std::uint8_t kIcmp = 1, kTcp = 6, kUdp = 17;

// nf_conntrack_<name> in seconds, from the running kernel if it has the module loaded.
std::int64_t conntrack(const char* name, std::int64_t kernel_default) {
    std::ifstream in(std::string("/proc/sys/net/netfilter/nf_conntrack_") + name);
    std::int64_t v = 0;
    if (in >> v) return v;
    WARN("no /proc/sys/net/netfilter/nf_conntrack_" << name << ": using the kernel's default " << kernel_default);
    return kernel_default;
}

NatMapping* out(NatTable& t, std::uint8_t proto, net::Ipv4Address src, std::uint16_t sport, net::Ipv4Address dst,
                std::uint16_t dport, SimTime now) {
    bool made = false;
    return t.outbound(proto, src, sport, dst, dport, now, made);
}

}  // namespace

TEST_CASE("NAT table: a port is kept unless that outside tuple is taken, then the next free one", "[nat]") {
    NatTable t(kOut);
    CHECK(out(t, kUdp, kH1, 5000, kW, 53, SimTime())->outside_port == 5000);
    CHECK(out(t, kUdp, kH2, 5000, kW, 53, SimTime())->outside_port == 5001);  // the same to W: taken
    CHECK(out(t, kUdp, kH2, 5000, kV, 53, SimTime())->outside_port == 5000);  // to V it is not
    CHECK(out(t, kTcp, kH2, 5000, kW, 53, SimTime())->outside_port == 5000);  // nor for TCP
    CHECK(out(t, kIcmp, kH2, 5000, kW, 0, SimTime())->outside_port == 5000);
    // The same inside socket finds its mapping again.
    bool made = true;
    CHECK(t.outbound(kUdp, kH2, 5000, kW, 53, SimTime::s(1), made)->outside_port == 5001);
    CHECK_FALSE(made);
    CHECK(t.mappings().size() == 5);
    // Replies by the outside tuple.
    CHECK(t.inbound(kUdp, kW, 53, 5001)->inside_ip == kH2);
    CHECK(t.inbound(kUdp, kW, 54, 5001) == nullptr);  // another remote port: no
    CHECK(t.key(*t.inbound(kUdp, kW, 53, 5001)) == "udp 203.0.113.1:5001>198.51.100.80:53");
    CHECK(NatTable::value(*t.inbound(kUdp, kW, 53, 5001)) == "10.0.0.11:5000");
}

TEST_CASE("NAT table: a changed port stays in Linux's range for it, and a full range refuses", "[nat]") {
    // Measured with nftables masquerade in namespaces: two hosts sending from
    // port 500 to the same place left as 500 and 106; from 49152, as 49152
    // and 30213 (Linux draws from a hash; the range is what holds).
    NatTable t(kOut);
    auto host = [](std::uint32_t h) { return net::Ipv4Address(10, 1, static_cast<std::uint8_t>(h >> 8), static_cast<std::uint8_t>(h)); };
    for (std::uint32_t h = 0; h < 511; ++h) REQUIRE(out(t, kUdp, host(h), 500, kW, 53, SimTime()));
    CHECK(std::all_of(t.mappings().begin(), t.mappings().end(), [](const NatMapping& m) { return m.outside_port >= 1 && m.outside_port <= 511; }));
    CHECK(out(t, kUdp, kH1, 500, kW, 53, SimTime()) == nullptr);  // all 511 taken towards W:53
    CHECK(out(t, kUdp, kH1, 700, kW, 53, SimTime())->outside_port == 700);
    CHECK(out(t, kUdp, kH2, 700, kW, 53, SimTime())->outside_port == 701);
    CHECK(out(t, kUdp, kH2, 1023, kV, 53, SimTime())->outside_port == 1023);
    CHECK(out(t, kUdp, kH1, 1023, kV, 53, SimTime())->outside_port == 600);  // wraps within 600-1023
    // Echo identifiers have the whole 16 bits.
    CHECK(out(t, kIcmp, kH1, 65535, kW, 0, SimTime())->outside_port == 65535);
    CHECK(out(t, kIcmp, kH2, 65535, kW, 0, SimTime())->outside_port == 0);
}

TEST_CASE("NAT table: entries live as long as Linux's conntrack keeps them", "[nat]") {
    const SimTime icmp = SimTime::s(conntrack("icmp_timeout", 30));
    const SimTime udp = SimTime::s(conntrack("udp_timeout", 30)), stream = SimTime::s(conntrack("udp_timeout_stream", 120));
    const SimTime syn_sent = SimTime::s(conntrack("tcp_timeout_syn_sent", 120));
    const SimTime syn_recv = SimTime::s(conntrack("tcp_timeout_syn_recv", 60));
    const SimTime established = SimTime::s(conntrack("tcp_timeout_established", 432000));
    const SimTime fin = SimTime::s(conntrack("tcp_timeout_fin_wait", 120));
    const SimTime close = SimTime::s(conntrack("tcp_timeout_close", 10));

    NatTable t(kOut);
    NatMapping* e = out(t, kIcmp, kH1, 1, kW, 0, SimTime::s(10));
    CHECK(e->expires == SimTime::s(10) + icmp);

    // UDP: unreplied, replied at once (still 30 s), replied in a stream.
    NatMapping* u = out(t, kUdp, kH1, 5000, kW, 53, SimTime::s(10));
    CHECK(u->expires == SimTime::s(10) + udp);
    t.seen(*u, true, 0, SimTime::s(10) + SimTime::ms(5));
    CHECK(u->expires == SimTime::s(10) + SimTime::ms(5) + udp);
    t.seen(*u, true, 0, SimTime::s(13));
    CHECK(u->expires == SimTime::s(13) + stream);

    // TCP through its states: SYN, SYN-ACK, ACK, FIN, RST.
    NatMapping* c = out(t, kTcp, kH1, 40000, kW, 80, SimTime::s(0));
    t.seen(*c, false, 0x02, SimTime::s(0));
    CHECK(c->expires == syn_sent);
    t.seen(*c, true, 0x12, SimTime::s(1));
    CHECK(c->expires == SimTime::s(1) + syn_recv);
    t.seen(*c, false, 0x10, SimTime::s(2));
    CHECK(c->expires == SimTime::s(2) + established);
    t.seen(*c, false, 0x11, SimTime::s(3));
    CHECK(c->expires == SimTime::s(3) + fin);
    t.seen(*c, true, 0x04, SimTime::s(4));
    CHECK(c->expires == SimTime::s(4) + close);

    // Expiry removes exactly the entries whose time is up.
    std::vector<std::string> gone;
    t.expire(SimTime::s(15), [&](const NatMapping& m) { gone.push_back(t.key(m)); });
    CHECK(gone == std::vector<std::string>{"tcp 203.0.113.1:40000>198.51.100.80:80"});
    CHECK(t.next_expiry() == SimTime::s(10) + icmp);
}

TEST_CASE("NAT table: a port forward is made by the remote end's first packet", "[nat]") {
    NatTable t(kOut);
    NatMapping* m = t.forward(kTcp, kW, 49153, 8080, kH1, 80, SimTime::s(1));
    REQUIRE(m);
    CHECK(m->forwarded);
    // The inside server's replies find it as their outbound mapping.
    bool made = true;
    CHECK(t.outbound(kTcp, kH1, 80, kW, 49153, SimTime::s(1), made)->outside_port == 8080);
    CHECK_FALSE(made);
    // Its SYN-ACK is the answer that moves it on, though it comes from inside.
    t.seen(*m, true, 0x02, SimTime::s(1));
    t.seen(*m, false, 0x12, SimTime::s(1));
    CHECK(m->tcp == NatMapping::Tcp::SynReceived);
}

TEST_CASE("NAT lesson: the rewrite event lists the translation beside the TTL", "[nat][lesson]") {
    const ScenarioRun run = run_scenario("25-nat-masquerade");
    int translated = 0;
    for (const Json& e : events_where(run, "rewrite", "R1")) {
        for (const Json& c : e["changes"])
            if (c["field"] == "ipv4.src" && c["from"] == "10.0.0.11") {
                ++translated;
                CHECK(c["to"] == "203.0.113.1");
            }
    }
    CHECK(translated >= 2);  // H2's ping and its datagram
    const Json& nat = run.summary["nodes"]["R1"]["nat"];
    CHECK(nat["address"] == "203.0.113.1");
    CHECK(nat["outside"] == "eth1");
    CHECK(nat["translated_out"].get<int>() > 0);
    CHECK(nat["table"].empty());  // everything has expired by 130 s
}
