// ICMP as Linux originates it (issue: "right on every textbook case").
// Expected values from Linux's icmp.c and its documented sysctls: echo
// replies keep the request's TOS and never set DF; errors quote as much of
// the offending datagram as fits in 576 bytes, carry TOS 0xc0
// (IPTOS_PREC_INTERNETCONTROL), leave with DF clear, from the primary address
// of the interface they leave by (icmp_errors_use_inbound_ifaddr = 0);
// traceroute sets DF only with -F.

#include <catch2/catch.hpp>

#include <tuple>
#include <vector>

#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

// The first ICMP message of `type` that `node` put on a wire.
Json first_icmp_tx(const ScenarioRun& r, const std::string& node, int type) {
    for (const Json& e : events_where(r, "tx", node))
        if (layer_field(e, "icmp", "type") == type) return e;
    return nullptr;
}

}  // namespace

TEST_CASE("a TTL-exceeded error quotes the whole 84-byte ping, TOS 0xc0, DF clear", "[icmp][linux]") {
    const auto r = run_scenario("09-ttl-expired");
    const Json err = first_icmp_tx(r, "R2", 11);
    REQUIRE(!err.is_null());
    CHECK(layer_field(err, "ipv4", "len") == 20 + 8 + 84);  // tcpdump on Linux: "time exceeded in-transit, length 92"
    CHECK(layer_field(err, "ipv4", "dscp") == 0xc0 >> 2);
    CHECK(layer_field(err, "ipv4", "df") == false);
}

TEST_CASE("an error about a large datagram is cut at 576 bytes", "[icmp][linux]") {
    const auto r = run_text(R"({"nodes": {
        "A": {"kind": "host", "ip": "10.0.0.1/24", "gateway": "10.0.0.254"},
        "R": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.0.254/24"}, "eth1": {"ip": "10.0.1.1/24"}}}},
      "links": [{"endpoints": ["A", "R:eth0"]}],
      "traffic": [{"kind": "udp", "from": "A", "to": "10.0.9.9:9", "payload": {"size": 1400}}]})");
    const Json err = first_icmp_tx(r, "R", 3);  // network unreachable
    REQUIRE(!err.is_null());
    CHECK(layer_field(err, "ipv4", "len") == 576);
}

TEST_CASE("the reply to a ping that needed fragmenting comes back: echo replies never set DF", "[icmp][linux]") {
    // The 600-byte MTU is between the routers, so B's 1028-byte reply fits
    // B's own link and reaches the small link whole; with DF it would die there.
    const auto r = run_text(R"({"nodes": {
        "A": {"kind": "host", "ip": "10.0.1.2/24", "gateway": "10.0.1.1"},
        "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.1.1/24"}, "eth1": {"ip": "10.0.2.1/24"}},
               "routes": [{"to": "10.0.3.0/24", "via": "10.0.2.2"}]},
        "R2": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.2.2/24"}, "eth1": {"ip": "10.0.3.1/24"}},
               "routes": [{"to": "10.0.1.0/24", "via": "10.0.2.1"}]},
        "B": {"kind": "host", "ip": "10.0.3.2/24", "gateway": "10.0.3.1"}},
      "links": [{"endpoints": ["A", "R1:eth0"]}, {"endpoints": ["R1:eth1", "R2:eth0"], "mtu": 600},
                {"endpoints": ["R2:eth1", "B"]}],
      "traffic": [{"id": "big", "kind": "ping", "from": "A", "to": "B", "payload": {"size": 1000}, "df": false}]})");
    const Json reply = first_icmp_tx(r, "B", 0);
    REQUIRE(!reply.is_null());
    CHECK(layer_field(reply, "ipv4", "df") == false);
    CHECK(r.summary["flows"][0]["delivered_packets"] == 1);
}

TEST_CASE("an error leaves from the address of the interface it leaves by (asymmetric path)", "[icmp][linux]") {
    // A's probes reach R1 on eth0, but R1's way back to A is through R2 (a /32
    // route on eth1): the time-exceeded error carries R1's eth1 address.
    const auto r = run_text(R"({"nodes": {
        "A": {"kind": "host", "ip": "10.0.1.2/24", "gateway": "10.0.1.1"},
        "S": {"kind": "switch"},
        "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.1.1/24"}, "eth1": {"ip": "10.0.3.1/24"},
                                                 "eth2": {"ip": "10.0.4.1/24"}},
               "routes": [{"to": "10.0.1.2/32", "via": "10.0.3.2"}]},
        "R2": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.1.3/24"}, "eth1": {"ip": "10.0.3.2/24"}}},
        "B": {"kind": "host", "ip": "10.0.4.2/24", "gateway": "10.0.4.1"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["R1:eth0", "S"]}, {"endpoints": ["R2:eth0", "S"]},
                {"endpoints": ["R1:eth1", "R2:eth1"]}, {"endpoints": ["R1:eth2", "B"]}],
      "traffic": [{"id": "tr", "kind": "traceroute", "from": "A", "to": "B", "max_ttl": 1, "probes": 1}]})");
    const auto& hops = r.summary["flows"][0]["hops"];
    REQUIRE(hops.size() == 1);
    CHECK(hops[0]["from"] == "10.0.3.1");
}

TEST_CASE("traceroute probes leave with DF clear unless the scenario asks (traceroute -F)", "[icmp][linux]") {
    for (const bool df : {false, true}) {
        INFO("df " << df);
        const auto r = run_text(std::string(R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
            "B": {"kind": "host", "ip": "10.0.0.2/24"}}, "links": [{"endpoints": ["A", "B"]}],
          "traffic": [{"kind": "traceroute", "from": "A", "to": "B", "max_ttl": 1, "probes": 1)") +
                                (df ? R"(, "df": true)" : "") + "}]}");
        bool seen = false;
        for (const Json& e : events_where(r, "tx", "A"))
            if (layer_field(e, "udp", "dport") == 33434) {
                seen = true;
                CHECK(layer_field(e, "ipv4", "df") == df);
            }
        CHECK(seen);
    }
}

TEST_CASE("the loopback interface: our own address and 127.0.0.0/8 never reach a wire", "[loopback][linux]") {
    const auto r = run_text(R"({"nodes": {
        "A": {"kind": "host", "ip": "10.0.0.1/24", "services": [{"kind": "udp-echo", "port": 7}, {"kind": "tcp-echo", "port": 7}]},
        "B": {"kind": "host", "ip": "10.0.0.2/24"}},
      "links": [{"endpoints": ["A", "B"]}],
      "traffic": [{"id": "self", "kind": "ping", "from": "A", "to": "A", "count": 2, "interval": "10ms"},
                  {"id": "lo", "kind": "ping", "from": "A", "to": "127.0.0.1"},
                  {"id": "udp", "kind": "udp", "from": "A", "to": "127.0.0.1:7", "payload": "hello"},
                  {"id": "tcp", "kind": "tcp", "from": "A", "to": "A:7", "payload": {"size": 100000}, "echo": true}]})");
    for (const Json& f : r.summary["flows"]) {
        INFO(f["id"]);
        CHECK(f["intact"] == true);
    }
    // Not one frame on the wire: no ARP for ourselves, no echo on the link.
    CHECK(events_where(r, "tx", "A").empty());
    CHECK(r.summary["nodes"]["B"]["rx_frames"] == 0);
    // ping 127.0.0.1 comes from 127.0.0.1, as on Linux.
    for (const Json& e : events_where(r, "send", "A"))
        if (layer_field(e, "ipv4", "dst") == "127.0.0.1") CHECK(layer_field(e, "ipv4", "src") == "127.0.0.1");
}

TEST_CASE("broadcast pings go unanswered, no packet ever leaves from a broadcast address", "[broadcast][linux]") {
    // Linux: icmp_echo_ignore_broadcasts = 1; routers forward no directed
    // broadcast (RFC 2644); no error answers a broadcast (RFC 1122 3.2.2).
    const auto r = run_text(R"({"nodes": {
        "A": {"kind": "host", "ip": "192.168.5.1/24", "gateway": "192.168.5.254"},
        "B": {"kind": "host", "ip": "192.168.5.2/24"},
        "S": {"kind": "switch"},
        "R": {"kind": "router", "interfaces": {"eth0": {"ip": "192.168.5.254/24"}, "eth1": {"ip": "10.0.2.1/24"}}},
        "C": {"kind": "host", "ip": "10.0.2.2/24", "gateway": "10.0.2.1"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["B", "S"]}, {"endpoints": ["R:eth0", "S"]},
                {"endpoints": ["R:eth1", "C"]}],
      "traffic": [{"id": "subnet", "kind": "ping", "from": "A", "to": "192.168.5.255"},
                  {"id": "all", "kind": "ping", "from": "A", "to": "255.255.255.255", "at": "10ms"},
                  {"id": "directed", "kind": "ping", "from": "A", "to": "10.0.2.255", "at": "20ms"},
                  {"id": "closed", "kind": "udp", "from": "A", "to": "192.168.5.255:9999", "at": "30ms", "payload": "x"}]})");
    for (const Json& f : r.summary["flows"]) CHECK(f["delivered_packets"] == 0);
    CHECK(r.summary["nodes"]["B"]["drops"]["broadcast-ignored"] == 2);
    CHECK(r.summary["nodes"]["R"]["drops"]["broadcast-ignored"] == 2);
    CHECK(r.summary["nodes"]["R"]["drops"]["directed-broadcast"] == 1);
    CHECK(r.summary["nodes"]["C"]["rx_frames"] == 0);  // the directed broadcast stayed on A's side
    for (const Json& e : r.events) {
        const Json src = layer_field(e, "ipv4", "src");
        if (src.is_null()) continue;
        INFO(e.dump());
        CHECK(src != "192.168.5.255");
        CHECK(src != "255.255.255.255");
        CHECK(layer_field(e, "icmp", "type") != 3);  // no port unreachable about the broadcast datagram
    }
}

TEST_CASE("UDP to a port nobody listens on is answered with port unreachable, and validate says so", "[udp][linux]") {
    const std::string json = R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "B": {"kind": "host", "ip": "10.0.0.2/24", "services": [{"kind": "udp-sink", "port": 9}]}},
      "links": [{"endpoints": ["A", "B"]}],
      "traffic": [{"id": "closed", "kind": "udp", "from": "A", "to": "B:5000", "payload": "knock"},
                  {"id": "open", "kind": "udp", "from": "A", "to": "B:9", "payload": "hello", "at": "1ms"}]})";
    const auto sc = hopsim::sim::load_scenario(json);
    REQUIRE(sc);
    REQUIRE(sc->warnings.size() == 1);
    CHECK(sc->warnings[0].find("nothing listens on UDP port 5000 at B") != std::string::npos);
    const auto r = run_text(json);
    CHECK(r.summary["flows"][0]["delivered_packets"] == 0);
    CHECK(r.summary["flows"][1]["delivered_packets"] == 1);
    const Json err = first_icmp_tx(r, "B", 3);
    REQUIRE(!err.is_null());
    CHECK(layer_field(err, "icmp", "code") == 3);            // port unreachable (RFC 1122 3.2.2.1)
    CHECK(layer_field(err, "icmp", "orig_dst") == "10.0.0.2");  // it quotes our datagram
}

TEST_CASE("a first fragment decodes its UDP header, its length counting later fragments is no error", "[dissector][fragments]") {
    const auto r = run_scenario("15-mtu-fragmentation");
    int first = 0, later = 0;
    for (const Json& e : events_where(r, "tx")) {
        if (layer_field(e, "ipv4", "frag").is_null()) continue;  // not IPv4
        if (layer_field(e, "ipv4", "mf") != true && layer_field(e, "ipv4", "frag") == 0) continue;  // not a fragment
        INFO(e.dump());
        for (const Json& l : e["layers"]) CHECK(l["layer"] != "error");
        if (layer_field(e, "ipv4", "frag") == 0) {
            ++first;
            CHECK(layer_field(e, "udp", "dport") == 9);
            CHECK(layer_field(e, "udp", "len").get<int>() > layer_field(e, "ipv4", "len").get<int>() - 20);
        } else {
            ++later;
            CHECK(layer_field(e, "udp", "dport").is_null());  // later fragments carry data only
        }
    }
    CHECK(first > 0);
    CHECK(later > 0);
}

TEST_CASE("the human summary says what ping would, and why a flow failed", "[summary]") {
    const auto ttl = run_scenario("09-ttl-expired");
    hopsim::sim::Simulation sim(ttl.scenario);
    sim.run(ttl.scenario.until);
    const std::string text = hopsim::sim::human_summary(sim);
    CHECK(text.find("lost 1 ttl-expired at R2") != std::string::npos);
    // B answers with Linux's default TTL 64; three routers on the way back: ping prints ttl=61.
    CHECK(text.find("ttl 61, rtt min/avg/max ") != std::string::npos);
    const Json& ping = flow(ttl, "ttl-64");
    CHECK(ping["reply_ttl_min"] == 61);
    CHECK(ping["reply_ttl_max"] == 61);
    CHECK(ping["rtt_min_ns"].get<std::int64_t>() <= ping["rtt_avg_ns"].get<std::int64_t>());
    // One reply: its round trip is the time from the request's send to the reply's delivery in the trace.
    const auto sends = events_where(ttl, "send", "A");
    std::int64_t sent = -1, back = -1;
    for (const Json& e : sends)
        if (e.value("flow", "") == "ttl-64") sent = e["t"];
    for (const Json& e : events_where(ttl, "deliver", "A"))
        if (e.value("flow", "") == "ttl-64") back = e["t"];
    CHECK(ping["rtt_max_ns"] == back - sent);
}

TEST_CASE("the summary's simulated time ends at the last packet, not at idle timers", "[summary]") {
    // A TCP exchange leaves A in TIME_WAIT for 60 s: the clock runs on, the traffic does not.
    const auto r = run_text(R"({"run": {"until": "120s"},
      "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
                "B": {"kind": "host", "ip": "10.0.0.2/24", "services": [{"kind": "tcp-sink", "port": 80}]}},
      "links": [{"endpoints": ["A", "B"]}],
      "traffic": [{"id": "t", "kind": "tcp", "from": "A", "to": "B:80", "payload": {"size": 1000}}]})");
    std::int64_t last = 0;
    for (const Json& e : r.events)
        if (e["ev"] == "rx" || e["ev"] == "drop") last = std::max(last, e["t"].get<std::int64_t>());
    CHECK(r.summary["last_packet_ns"] == last);
    CHECK(last < 10'000'000);                                          // the exchange takes microseconds
    CHECK(r.summary["sim_time_ns"].get<std::int64_t>() >= 60'000'000'000);  // TIME_WAIT's 60 s
    hopsim::sim::Simulation sim(r.scenario);
    sim.run(r.scenario.until);
    const std::string text = hopsim::sim::human_summary(sim);
    const std::string expected = ": simulated " + hopsim::sim::SimTime::ns(last).to_string() + " to the last packet (timers ran to 60";
    CHECK(text.find(expected) != std::string::npos);
    CHECK(text.find("scheduler events") != std::string::npos);
}

TEST_CASE("with allow_duplicate_ip, both owners answer ARP and the asker's cache flips", "[arp][duplicates]") {
    const std::string nodes = R"("nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "B1": {"kind": "host", "ip": "10.0.0.2/24"}, "B2": {"kind": "host", "ip": "10.0.0.2/24"}, "S": {"kind": "switch"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["B1", "S"]}, {"endpoints": ["B2", "S"]}],
      "traffic": [{"kind": "ping", "from": "A", "to": "10.0.0.2"}])";
    CHECK_FALSE(hopsim::sim::load_scenario("{" + nodes + "}"));  // refused unless asked for
    const auto r = run_text(R"({"allow_duplicate_ip": true, )" + nodes + "}");
    std::vector<Json> learned;
    for (const Json& e : events_where(r, "learn", "A"))
        if (e["table"] == "arp" && e["key"] == "10.0.0.2") learned.push_back(e);
    REQUIRE(learned.size() == 2);  // one entry per reply: the second replaces the first
    CHECK(learned[1]["old"] == learned[0]["value"]);
    CHECK(learned[1]["value"] != learned[0]["value"]);
}

TEST_CASE("path MTU discovery: after fragmentation needed, the next datagram leaves in fragments that fit", "[icmp][linux][pmtu]") {
    // Expected values from Linux (the same scenario built of namespaces and
    // captured on A's link): 1028 bytes with DF, frag needed (mtu 1000), then
    // 996 + 52 bytes of IP without DF, offsets 0 and 976 (980 bytes of room,
    // rounded down to a multiple of 8).
    const auto r = run_scenario("16-path-mtu-discovery");
    std::vector<std::tuple<int, bool, bool, int>> udp;  // (ipv4.len, df, mf, frag) as A sends them
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "ipv4", "proto") == 17)
            udp.emplace_back(layer_field(e, "ipv4", "len"), layer_field(e, "ipv4", "df"), layer_field(e, "ipv4", "mf"),
                             layer_field(e, "ipv4", "frag"));
    CHECK(udp == std::vector<std::tuple<int, bool, bool, int>>{{1028, true, false, 0}, {996, false, true, 0}, {52, false, false, 976}});
    int frag_needed = 0;
    for (const Json& e : events_where(r, "rx", "A"))
        if (layer_field(e, "icmp", "type") == 3 && layer_field(e, "icmp", "code") == 4) {
            CHECK(layer_field(e, "icmp", "mtu") == 1000);
            ++frag_needed;
        }
    CHECK(frag_needed == 1);
    CHECK(flow(r, "two-datagrams")["delivered_packets"] == 1);  // the second, reassembled at B
}

TEST_CASE("a router whose next hop never answers ARP sends host unreachable, as Linux does", "[icmp][linux][arp]") {
    // Expected from Linux (ipv4_link_failure; RFC 1812 4.3.3.1), seen in a
    // namespace capture by bench/kernel-fuzz: after three ARP requests one
    // second apart, R1 answers A's echo request with type 3 code 1 from its
    // address toward A, quoting the request as it waited (TTL 63).
    const auto r = run_text(R"({"run": {"until": "4s"},
      "nodes": {"A": {"kind": "host", "ip": "10.1.0.10/24", "gateway": "10.1.0.1"},
                "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.1.0.1/24"}, "eth1": {"ip": "10.2.0.1/24"}}},
                "B": {"kind": "host", "ip": "10.2.0.10/24", "gateway": "10.2.0.1"}},
      "links": [{"endpoints": ["A", "R1:eth0"]}, {"endpoints": ["R1:eth1", "B"]}],
      "traffic": [{"id": "nobody", "kind": "ping", "from": "A", "to": "10.2.0.99"}]})");
    std::vector<Json> errors;
    for (const Json& e : events_where(r, "rx", "A"))
        if (layer_field(e, "icmp", "type") == 3) errors.push_back(e);
    REQUIRE(errors.size() == 1);
    CHECK(layer_field(errors[0], "icmp", "code") == 1);
    CHECK(layer_field(errors[0], "ipv4", "src") == "10.1.0.1");
    CHECK(layer_field(errors[0], "icmp", "orig_ttl") == 63);
    CHECK(layer_field(errors[0], "icmp", "orig_dst") == "10.2.0.99");
    int requests = 0;
    for (const Json& e : events_where(r, "tx", "R1"))
        if (layer_field(e, "arp", "op") == 1) ++requests;
    CHECK(requests == 3);
}

TEST_CASE("TCP and fragmentation needed: the MSS drops to the path MTU less 40 and the segment is sent again at once", "[icmp][linux][pmtu][tcp]") {
    // Expected from Linux (bench/kernel-fuzz seed 11 case 9, captured on R1's
    // links): a 1460-byte segment with DF meets an MTU-1280 link, R1 answers
    // fragmentation needed (mtu 1280), and A sends the same bytes again as
    // 1240 + 220 (IP lengths 1280 and 260), DF set, never as IP fragments.
    // The small link is between routers: B's SYN-ACK offers MSS 1460.
    const auto r = run_text(R"({"run": {"until": "1s"},
      "nodes": {"A": {"kind": "host", "ip": "10.1.0.10/24", "gateway": "10.1.0.1"},
                "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.1.0.1/24"}, "eth1": {"ip": "10.99.0.1/30"}},
                       "routes": [{"to": "10.2.0.0/24", "via": "10.99.0.2"}]},
                "R2": {"kind": "router", "interfaces": {"eth0": {"ip": "10.99.0.2/30"}, "eth1": {"ip": "10.2.0.1/24"}},
                       "routes": [{"to": "10.1.0.0/24", "via": "10.99.0.1"}]},
                "B": {"kind": "host", "ip": "10.2.0.10/24", "gateway": "10.2.0.1", "services": [{"kind": "tcp-sink", "port": 80}]}},
      "links": [{"endpoints": ["A", "R1:eth0"]}, {"endpoints": ["R1:eth1", "R2:eth0"], "mtu": 1280}, {"endpoints": ["R2:eth1", "B"]}],
      "traffic": [{"id": "web", "kind": "tcp", "from": "A", "to": "B:80", "payload": {"size": 1460}}]})");
    std::vector<std::pair<int, bool>> data;  // (ipv4.len, df) of A's data segments
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "ipv4", "proto") == 6 && layer_field(e, "ipv4", "len").get<int>() > 44)  // more than a SYN
            data.emplace_back(layer_field(e, "ipv4", "len"), layer_field(e, "ipv4", "df"));
    CHECK(data == std::vector<std::pair<int, bool>>{{1500, true}, {1280, true}, {260, true}});
    int pmtu = 0;
    for (const Json& e : events_where(r, "retransmit")) {
        CHECK(e.value("cause", "") == "pmtu");
        ++pmtu;
    }
    CHECK(pmtu == 2);
    CHECK(flow(r, "web")["intact"] == true);
    CHECK(flow(r, "web")["retransmissions"] == 2);
}
