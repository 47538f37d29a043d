// End-to-end: the router and transport lessons in scenarios/ (07-15). The
// expected values come from the scenario's own addresses and from how IPv4,
// ICMP and TCP are specified, never from a previous run of the simulator.

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <map>
#include <set>

#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

const hopsim::sim::NodeSpec& node(const ScenarioRun& r, const std::string& id) {
    return r.scenario.nodes[static_cast<std::size_t>(r.scenario.find_node(id))];
}

std::string mac(const ScenarioRun& r, const std::string& id, const std::string& iface = "eth0") {
    for (const auto& i : node(r, id).interfaces)
        if (i.name == iface) return i.mac.to_string();
    return "?";
}

// Every IPv4, ICMP, UDP and TCP checksum in every frame of the trace verifies.
void all_checksums_ok(const ScenarioRun& r) {
    int checked = 0;
    for (const Json& e : r.events) {
        if (!e.contains("layers")) continue;
        for (const Json& l : e["layers"]) {
            if (l.contains("checksum_ok")) {
                INFO(e.dump());
                REQUIRE(l["checksum_ok"] == true);
                ++checked;
            }
        }
    }
    CHECK(checked > 0);
}

}  // namespace

TEST_CASE("07 two subnets: A ARPs for its gateway, R1 for B, and the ping returns", "[scenario][router]") {
    const ScenarioRun r = run_scenario("07-router-two-subnets");
    std::vector<std::string> a_asks;
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "arp", "op") == 1) a_asks.push_back(layer_field(e, "arp", "tpa"));
    CHECK(a_asks == std::vector<std::string>{"192.168.1.1"});  // the gateway, never B
    std::vector<std::string> r1_asks;
    for (const Json& e : events_where(r, "tx", "R1"))
        if (layer_field(e, "arp", "op") == 1) r1_asks.push_back(layer_field(e, "arp", "tpa"));
    CHECK(r1_asks == std::vector<std::string>{"192.168.2.10"});
    CHECK(flow(r, "A-pings-B")["delivered_packets"] == 2);
    CHECK(flow(r, "A-pings-B")["intact"] == true);
    // Addresses stay the same across the router; only TTL and Ethernet change.
    for (const Json& e : events_where(r, "rx", "B")) {
        if (layer_field(e, "icmp", "type") != 8) continue;
        CHECK(layer_field(e, "ipv4", "src") == "192.168.1.10");
        CHECK(layer_field(e, "ipv4", "ttl") == 63);
        CHECK(layer_field(e, "eth", "src") == mac(r, "R1", "eth1"));
    }
    all_checksums_ok(r);
}

TEST_CASE("08 router chain: TTL down by one per router, MACs rewritten to egress and next hop", "[scenario][router]") {
    const ScenarioRun r = run_scenario("08-router-chain");
    // The datagram's TTL as each node receives it: 64 - routers crossed.
    const std::map<std::string, int> expected_ttl = {{"R1", 64}, {"R2", 63}, {"R3", 62}, {"B", 61}};
    std::int64_t pkt = -1;
    for (const Json& e : events_where(r, "deliver", "B")) pkt = e["pkt"];
    REQUIRE(pkt > 0);
    int hops = 0;
    for (const Json& e : events_where(r, "rx")) {
        if (e["pkt"] != pkt) continue;
        CHECK(layer_field(e, "ipv4", "ttl") == expected_ttl.at(e["node"]));
        CHECK(layer_field(e, "ipv4", "src") == "10.0.0.1");
        CHECK(layer_field(e, "ipv4", "dst") == "10.0.0.14");
        ++hops;
    }
    CHECK(hops == 4);
    // Each router's rewrite: source = its egress MAC, destination = the next hop's MAC.
    const std::map<std::string, std::pair<std::string, std::string>> egress_and_next = {
        {"R1", {mac(r, "R1", "eth1"), mac(r, "R2", "eth0")}},
        {"R2", {mac(r, "R2", "eth1"), mac(r, "R3", "eth0")}},
        {"R3", {mac(r, "R3", "eth1"), mac(r, "B")}}};
    int rewrites = 0;
    for (const Json& e : events_where(r, "rewrite")) {
        if (e["pkt"] != pkt) continue;
        const auto& [src, dst] = egress_and_next.at(e["node"]);
        std::map<std::string, Json> change;
        for (const Json& c : e["changes"]) change[c["field"]] = c;
        CHECK(change.at("eth.src")["to"] == src);
        CHECK(change.at("eth.dst")["to"] == dst);
        CHECK(change.at("ipv4.ttl")["to"].get<int>() == change.at("ipv4.ttl")["from"].get<int>() - 1);
        CHECK(change.at("ipv4.checksum")["to"] != change.at("ipv4.checksum")["from"]);
        CHECK(layer_field(e, "eth", "src") == src);  // the frame itself agrees with the event
        ++rewrites;
    }
    CHECK(rewrites == 3);
    CHECK(flow(r, "hello-B")["intact"] == true);
    all_checksums_ok(r);
}

TEST_CASE("09 TTL expired: R2 drops the TTL-2 ping and returns time exceeded quoting it", "[scenario][router]") {
    const ScenarioRun r = run_scenario("09-ttl-expired");
    const auto drops = events_where(r, "drop", "R2");
    REQUIRE(drops.size() == 1);
    CHECK(drops[0]["reason"] == "ttl-expired");
    std::vector<Json> errors;
    for (const Json& e : events_where(r, "rx", "A"))
        if (layer_field(e, "icmp", "type") == 11) errors.push_back(e);
    REQUIRE(errors.size() == 1);
    CHECK(layer_field(errors[0], "ipv4", "src") == "10.0.0.6");  // R2's address on the way in
    CHECK(layer_field(errors[0], "icmp", "code") == 0);
    CHECK(layer_field(errors[0], "icmp", "orig_dst") == "10.0.0.14");
    CHECK(layer_field(errors[0], "icmp", "orig_ttl") == 1);  // as R2 received it
    CHECK(flow(r, "ttl-2")["delivered_packets"] == 0);
    CHECK(flow(r, "ttl-64")["delivered_packets"] == 1);
    all_checksums_ok(r);
}

TEST_CASE("10 no route: R1 answers network unreachable", "[scenario][router]") {
    const ScenarioRun r = run_scenario("10-no-route");
    REQUIRE(events_where(r, "drop", "R1").size() == 1);
    CHECK(events_where(r, "drop", "R1")[0]["reason"] == "no-route");
    int unreachable = 0;
    for (const Json& e : events_where(r, "rx", "A"))
        if (layer_field(e, "icmp", "type") == 3 && layer_field(e, "icmp", "code") == 0 &&
            layer_field(e, "ipv4", "src") == "10.0.0.2")
            ++unreachable;
    CHECK(unreachable == 1);
    CHECK(flow(r, "to-B")["intact"] == true);
    // R1's table: two connected routes and the two static ones; nothing for 10.99.0.0.
    CHECK(r.summary["nodes"]["R1"]["routes"] ==
          Json::array({"10.0.0.0/30 dev eth0", "10.0.0.4/30 dev eth1", "10.0.0.8/30 via 10.0.0.6 dev eth1",
                       "10.0.0.12/30 via 10.0.0.6 dev eth1"}));
}

TEST_CASE("11 traceroute lists every router, then the destination", "[scenario][router]") {
    const ScenarioRun r = run_scenario("11-traceroute");
    const Json& hops = flow(r, "trace-B")["hops"];
    REQUIRE(hops.size() == 12);  // 4 hops x 3 probes
    const char* expect[] = {"10.0.0.2", "10.0.0.6", "10.0.0.10", "10.0.0.14"};
    for (std::size_t i = 0; i < hops.size(); ++i) {
        CHECK(hops[i]["ttl"] == static_cast<int>(i / 3 + 1));
        CHECK(hops[i]["from"] == expect[i / 3]);
        CHECK(hops[i]["reached"] == (i / 3 == 3));
        CHECK(hops[i]["rtt_ns"].get<std::int64_t>() > 0);
    }
    // Round trips grow with distance.
    CHECK(hops[0]["rtt_ns"].get<std::int64_t>() < hops[11]["rtt_ns"].get<std::int64_t>());
}

TEST_CASE("12 TCP: handshake, MSS segments, echo, orderly close, RST for a closed port", "[scenario][tcp]") {
    const ScenarioRun r = run_scenario("12-tcp-handshake");
    std::vector<std::string> flags;
    for (const Json& e : events_where(r, "tx")) {
        if (e["node"] == "S1" || layer_field(e, "tcp", "flags").is_null()) continue;
        if (layer_field(e, "tcp", "dport") == 80 || layer_field(e, "tcp", "sport") == 80) continue;
        flags.push_back(layer_field(e, "tcp", "flags"));
    }
    REQUIRE(flags.size() >= 3);
    CHECK(flags[0] == "SYN");
    CHECK(flags[1] == "SYN,ACK");
    CHECK(flags[2] == "ACK");
    // 3000 bytes at MSS 1460 (1500 - 20 - 20): 1460 + 1460 + 80.
    std::vector<int> sizes;
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "tcp", "dport") == 7 && !layer_field(e, "app", "len").is_null())
            sizes.push_back(layer_field(e, "app", "len"));
    CHECK(sizes == std::vector<int>{1460, 1460, 80});
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "tcp", "flags") == "SYN" && layer_field(e, "tcp", "dport") == 7)
            CHECK(layer_field(e, "tcp", "mss") == 1460);

    std::map<std::string, std::vector<std::string>> states;
    std::vector<std::string> listeners;
    for (const Json& e : events_where(r, "state")) {
        if (e.value("flow", "") == "echo") states[e["node"]].push_back(std::string(e["from"]) + ">" + std::string(e["to"]));
        if (!e.contains("flow")) listeners.push_back(fmt::format("{} {} {}>{}", int(e["t"]), std::string(e["conn"]), std::string(e["from"]), std::string(e["to"])));
    }
    CHECK(states["A"] == std::vector<std::string>{"CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT_1",
                                                  "FIN_WAIT_1>FIN_WAIT_2", "FIN_WAIT_2>TIME_WAIT"});
    // As ss(8) shows it: the listening socket is in LISTEN from the start; the
    // connection it accepts is its child and goes from there to SYN_RECV.
    CHECK(listeners == std::vector<std::string>{"0 B:7 CLOSED>LISTEN"});
    CHECK(states["B"] == std::vector<std::string>{"LISTEN>SYN_RECEIVED", "SYN_RECEIVED>ESTABLISHED", "ESTABLISHED>CLOSE_WAIT",
                                                  "CLOSE_WAIT>LAST_ACK", "LAST_ACK>CLOSED"});
    CHECK(flow(r, "echo")["delivered_bytes"] == 3000);
    CHECK(flow(r, "echo")["echoed_bytes"] == 3000);
    CHECK(flow(r, "echo")["intact"] == true);

    // Port 80: B answers the SYN with RST,ACK acknowledging it; A's connection closes.
    int resets = 0;
    for (const Json& e : events_where(r, "tx", "B"))
        if (layer_field(e, "tcp", "sport") == 80 && layer_field(e, "tcp", "flags") == "RST,ACK") ++resets;
    CHECK(resets == 1);
    CHECK(flow(r, "closed-port")["delivered_bytes"] == 0);
    CHECK(flow(r, "closed-port")["intact"] == false);
    CHECK(flow(r, "closed-port")["failure"] == "connection refused");  // what connect() returns: ECONNREFUSED
    all_checksums_ok(r);
}

TEST_CASE("13 TCP over 5% loss: every byte delivered once, in order, after retransmissions", "[scenario][tcp]") {
    const ScenarioRun r = run_scenario("13-tcp-over-loss");
    CHECK(r.summary["nodes"]["B"]["drops"].value("loss", 0) + r.summary["nodes"]["R1"]["drops"].value("loss", 0) > 0);
    const Json& f = flow(r, "bulk");
    CHECK(f["delivered_bytes"] == 100000);
    CHECK(f["retransmissions"].get<int>() > 0);
    CHECK(f["intact"] == true);
    std::int64_t delivered = 0;
    for (const Json& e : events_where(r, "deliver", "B")) delivered += e["bytes"].get<std::int64_t>();
    CHECK(delivered == 100000);  // exactly once: no byte handed up twice
    all_checksums_ok(r);
}

TEST_CASE("13 TCP over loss, in the trace: each retransmission with its cause, cwnd as RFC 5681 moves it", "[scenario][tcp]") {
    const ScenarioRun r = run_scenario("13-tcp-over-loss");
    const auto resent = events_where(r, "retransmit", "A");
    CHECK(resent.size() == flow(r, "bulk")["retransmissions"].get<std::size_t>());
    std::map<std::uint64_t, Json> sends;  // pkt -> the segment's send event
    for (const Json& e : events_where(r, "send", "A")) sends[e["pkt"]] = e;
    std::map<std::int64_t, Json> windows;  // t -> A's cwnd event then
    for (const Json& e : events_where(r, "cwnd", "A")) windows[e["t"]] = e;
    constexpr int kMss = 1460;
    // At establishment: ten segments (RFC 6928), ssthresh not set yet (Linux's 0x7fffffff).
    REQUIRE(!windows.empty());
    CHECK(windows.begin()->second["cwnd"] == 10 * kMss);
    CHECK(windows.begin()->second["ssthresh"] == 0x7fffffff);
    std::set<std::int64_t> acks_at;
    for (const Json& e : events_where(r, "rx", "A")) acks_at.insert(e["t"].get<std::int64_t>());
    std::set<std::string> causes;
    int timeouts = 0;
    for (const Json& e : resent) {
        causes.insert(e["cause"]);
        CHECK(e["conn"] == "A:49152>B:9000");
        // The event names the very segment that follows it on the wire.
        REQUIRE(sends.count(e["pkt"]) == 1);
        const Json& seg = sends[e["pkt"]];
        CHECK(seg["t"] == e["t"]);
        CHECK(layer_field(seg, "tcp", "seq") == e["seq"]);
        const Json data = layer_field(seg, "app", "len");
        CHECK((data.is_null() ? 0 : data.get<int>()) == e["len"].get<int>());
        const std::int64_t t = e["t"];
        if (e["cause"] == "fast") {  // RFC 5681 3.2 steps 2-3: ssthresh = flight/2, cwnd = ssthresh + 3 SMSS
            REQUIRE(windows.count(t) == 1);
            CHECK(windows[t]["cwnd"] == windows[t]["ssthresh"].get<int>() + 3 * kMss);
        } else if (e["cause"] == "rto") {
            CHECK(e["rto_ns"].get<std::int64_t>() >= 400'000'000);  // a 200 ms floor, doubled at least once
            // The timer's own resend (no ACK arrived then; later ones are
            // clocked out by ACKs) leaves one segment of window, RFC 5681 (5).
            if (!acks_at.count(t)) {
                REQUIRE(windows.count(t) == 1);
                CHECK(windows[t]["cwnd"] == kMss);
                ++timeouts;
            }
        }
    }
    CHECK(causes.count("fast") == 1);
    CHECK(timeouts >= 1);
}

TEST_CASE("14 the same lossy path: UDP loses data, TCP does not", "[scenario][tcp]") {
    const ScenarioRun r = run_scenario("14-udp-vs-tcp-loss");
    const Json& udp = flow(r, "over-udp");
    const Json& tcp = flow(r, "over-tcp");
    CHECK(udp["delivered_bytes"].get<int>() < 100000);
    CHECK(udp["intact"] == false);
    CHECK(udp["retransmissions"] == 0);
    CHECK(tcp["delivered_bytes"] == 100000);
    CHECK(tcp["intact"] == true);
    CHECK(tcp["retransmissions"].get<int>() > 0);
}

TEST_CASE("15 MTU: R1 fragments at 552-byte offsets, B reassembles, DF gets fragmentation needed", "[scenario][router]") {
    const ScenarioRun r = run_scenario("15-mtu-fragmentation");
    std::vector<std::pair<int, bool>> pieces;  // (offset, more fragments)
    for (const Json& e : events_where(r, "tx", "R1"))
        if (e["link"] == "R1:eth1-R2:eth0" && layer_field(e, "ipv4", "proto") == 17)
            pieces.emplace_back(layer_field(e, "ipv4", "frag"), layer_field(e, "ipv4", "mf"));
    // 1408-byte UDP datagram, 556 bytes of room rounded down to a multiple of 8.
    CHECK(pieces == std::vector<std::pair<int, bool>>{{0, true}, {552, true}, {1104, false}});
    CHECK(flow(r, "big-udp")["delivered_bytes"] == 1400);
    CHECK(flow(r, "big-udp")["intact"] == true);
    REQUIRE(r.summary["nodes"]["R1"]["drops"]["too-big"] == 1);
    int frag_needed = 0;
    for (const Json& e : events_where(r, "rx", "A"))
        if (layer_field(e, "icmp", "type") == 3 && layer_field(e, "icmp", "code") == 4) {
            CHECK(layer_field(e, "icmp", "mtu") == 576);
            ++frag_needed;
        }
    CHECK(frag_needed == 1);
    all_checksums_ok(r);
}

TEST_CASE("a routing loop ends in TTL expiry and an ICMP error, not a hang", "[router]") {
    auto sc = hopsim::sim::load_scenario(R"({"name": "loop", "run": {"until": "1s"},
      "nodes": {"A": {"kind": "host", "ip": "10.1.0.10/24", "gateway": "10.1.0.1"},
        "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.1.0.1/24"}, "eth1": {"ip": "10.9.0.1/30"}},
               "routes": [{"to": "default", "via": "10.9.0.2"}]},
        "R2": {"kind": "router", "interfaces": {"eth0": {"ip": "10.9.0.2/30"}},
               "routes": [{"to": "default", "via": "10.9.0.1"}]}},
      "links": [{"endpoints": ["A", "R1:eth0"]}, {"endpoints": ["R1:eth1", "R2:eth0"]}],
      "traffic": [{"kind": "ping", "from": "A", "to": "172.16.0.1"}]})");
    REQUIRE(sc);
    hopsim::sim::Simulation sim(*sc);
    sim.run(sc->until);
    const auto& stats = sim.network().stats;
    const auto ttl = static_cast<std::size_t>(hopsim::sim::Reason::TtlExpired);
    CHECK(stats[1].drops[ttl] + stats[2].drops[ttl] == 1);
    CHECK(stats[0].rx_frames >= 2);  // ARP reply + the time-exceeded message
    CHECK(sim.network().engine.events_run() < 500);  // 64 hops of one packet, then quiet
}

TEST_CASE("1 MB of TCP across 8 routers with 1% loss per link arrives intact", "[tcp][router]") {
    // The chain of the ns-3 reference workload: A, R1..R8, B, link k a /30.
    std::string nodes = R"("A": {"kind": "host", "ip": "10.0.0.1/30", "gateway": "10.0.0.2"})";
    std::string links;
    const int routers = 8;
    for (int k = 1; k <= routers; ++k) {
        auto ip = [](int link, int host) { return "10.0." + std::to_string(link * 4 / 256) + "." + std::to_string(link * 4 % 256 + host); };
        nodes += ",\"R" + std::to_string(k) + R"(": {"kind": "router", "interfaces": {"eth0": {"ip": ")" + ip(k - 1, 2) +
                 R"(/30"}, "eth1": {"ip": ")" + ip(k, 1) + R"(/30"}}, "routes": [{"to": "10.0.0.0/30", "via": ")" +
                 ip(k - 1, 1) + R"("}, {"to": "default", "via": ")" + ip(k, 2) + R"("}]})";
        links += std::string(k > 1 ? "," : "") + R"({"endpoints": [")" + (k == 1 ? std::string("A") : "R" + std::to_string(k - 1) + ":eth1") +
                 R"(", "R)" + std::to_string(k) + R"(:eth0"]})";
    }
    nodes += R"(,"B": {"kind": "host", "ip": "10.0.0.34/30", "gateway": "10.0.0.33", "services": [{"kind": "tcp-sink", "port": 9}]})";
    links += R"(,{"endpoints": ["R8:eth1", "B"]})";
    const std::string json = R"({"name": "chain8-lossy", "seed": 5, "run": {"until": "120s"},
      "defaults": {"link": {"bandwidth": "100Mbps", "delay": "100us", "loss": 0.01}},
      "nodes": {)" + nodes + R"(}, "links": [)" + links + R"(],
      "traffic": [{"id": "mb", "kind": "tcp", "from": "A", "to": "B:9", "payload": {"size": 1000000}}]})";
    auto sc = hopsim::sim::load_scenario(json);
    if (!sc) FAIL(sc.error().front());
    hopsim::sim::Simulation sim(*sc);
    sim.run(sc->until);
    const auto& f = sim.network().flows[0];
    CHECK(f.delivered_bytes == 1'000'000);
    CHECK_FALSE(f.mismatched);
    CHECK(f.retransmissions > 0);
    CHECK(sim.network().flows.intact(0));
}

TEST_CASE("a malformed frame's drop says what the parser found, where", "[drops]") {
    // EtherType IPv4 with two bytes of payload, padded to Ethernet's minimum
    // with zeros: version 0 in the first byte is what the parser meets first.
    const auto run = hopsim::test::run_text(R"({
      "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"}},
      "links": [{"endpoints": ["A", "B"]}],
      "traffic": [{"kind": "frame", "from": "A", "dst_mac": "ff:ff:ff:ff:ff:ff", "ethertype": "0x0800",
                   "payload": {"hex": "0000"}}]})");
    const auto drops = hopsim::test::events_where(run, "drop", "B");
    REQUIRE(drops.size() == 1);
    CHECK(drops[0]["reason"] == "malformed");
    CHECK(drops[0]["detail"].get<std::string>().rfind("ipv4.", 0) == 0);
}
