// DHCP end to end: the lesson's messages as tshark decodes them from our
// pcap (fields from RFC 2131 table 5 and section 4.3, values from the
// scenario), the client's timers worked by hand from RFC 2131 4.4.5, and
// what a student sees when a lease never comes.

#include <catch2/catch.hpp>

#include <filesystem>

#include "support/process.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

// A DHCP client A and a server DH on one switch; DH's link goes down at `cut`.
std::string lan(const std::string& pool, const std::string& lease, const std::string& cut, const std::string& until,
                const std::string& extra_hosts = "", const std::string& traffic = "[]") {
    return R"({"run": {"until": ")" + until + R"("}, "nodes": {
        "A": {"kind": "host", "ip": "dhcp"},)" + extra_hosts + R"(
        "DH": {"kind": "host", "ip": "10.0.0.2/24", "services": [
            {"kind": "dhcp-server", "pool": ")" + pool + R"(", "gateway": "10.0.0.1", "lease": ")" + lease + R"("}]},
        "S": {"kind": "switch"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["DH", "S"]})" +
           (extra_hosts.empty() ? "" : R"(, {"endpoints": ["B", "S"]})") + R"(],
      "events": [{"at": ")" + cut + R"(", "link_down": ["DH", "S"]}],
      "traffic": )" + traffic + "}";
}

// The DHCP messages a host sent: (time in seconds, message type, IPv4 destination).
struct Sent {
    double t;
    int type;
    std::string to;
};
std::vector<Sent> dhcp_sent(const ScenarioRun& r, const std::string& node) {
    std::vector<Sent> out;
    for (const Json& e : events_where(r, "send", node))
        if (const Json type = layer_field(e, "dhcp", "msg_type"); !type.is_null())
            out.push_back({e["t"].get<double>() / 1e9, type.get<int>(), layer_field(e, "ipv4", "dst").get<std::string>()});
    return out;
}

// The client's state changes: "from>to" at seconds.
std::vector<std::pair<double, std::string>> states(const ScenarioRun& r, const std::string& node) {
    std::vector<std::pair<double, std::string>> out;
    for (const Json& e : events_where(r, "state", node))
        if (e["conn"] == "dhcp") out.emplace_back(e["t"].get<double>() / 1e9, e["from"].get<std::string>() + ">" + e["to"].get<std::string>());
    return out;
}

std::string tshark(const std::string& pcap, const std::string& filter, const std::string& fields) {
    const auto t = run_command("tshark -r " + quote(pcap) + " -o udp.check_checksum:TRUE -Y " + quote(filter) +
                               " -T fields -E separator=';' " + fields + " 2>/dev/null");
    REQUIRE(t.status == 0);
    return t.out;
}

}  // namespace

TEST_CASE("dhcp lesson: tshark reads DISCOVER, OFFER, REQUEST, ACK and the renewals as RFC 2131 says", "[dhcp][lesson]") {
    TempDir dir("dhcp-lesson");
    const auto r = run_command(std::string(HOPSIM_BINARY) + " run -q --pcap " + quote(dir.path().string()) + " " +
                               quote(scenario_path("28-dhcp")) + " 2>&1");
    REQUIRE(r.status == 0);
    const std::string a_link = dir.file("link00_A.eth0-S1.1.pcap");
    REQUIRE(std::filesystem::exists(a_link));
    // A's messages and the answers to them (chaddr is A's MAC). Type, source,
    // destination, TTL, broadcast flag, ciaddr, yiaddr, requested address (50),
    // server id (54), lease (51), T1 (58), T2 (59). The lease is 60 s: T1 is
    // half, T2 seven eighths (52.5, whole seconds on the wire). Broadcasts
    // carry TTL 128 as ISC dhclient sends them; the renewal is unicast from
    // the leased address, with ciaddr and without 50 and 54 (RFC 2131 4.3.2).
    const std::string offer_ack = ";;10.0.0.2;60;30;52\n";
    CHECK(tshark(a_link, "dhcp.hw.mac_addr == 02:00:00:00:01:01",
                 "-e dhcp.option.dhcp -e ip.src -e ip.dst -e ip.ttl -e dhcp.flags.bc -e dhcp.ip.client -e dhcp.ip.your "
                 "-e dhcp.option.requested_ip_address -e dhcp.option.dhcp_server_id -e dhcp.option.ip_address_lease_time "
                 "-e dhcp.option.renewal_time_value -e dhcp.option.rebinding_time_value") ==
          "1;0.0.0.0;255.255.255.255;128;1;0.0.0.0;0.0.0.0;;;;;\n"
          "2;10.0.0.2;255.255.255.255;64;1;0.0.0.0;10.0.0.100" + offer_ack +
          "3;0.0.0.0;255.255.255.255;128;1;0.0.0.0;0.0.0.0;10.0.0.100;10.0.0.2;;;\n"
          "5;10.0.0.2;255.255.255.255;64;1;0.0.0.0;10.0.0.100" + offer_ack +
          "3;10.0.0.100;10.0.0.2;64;0;10.0.0.100;0.0.0.0;;;;;\n"
          "5;10.0.0.2;10.0.0.100;64;0;10.0.0.100;10.0.0.100" + offer_ack +
          "3;10.0.0.100;10.0.0.2;64;0;10.0.0.100;0.0.0.0;;;;;\n"
          "5;10.0.0.2;10.0.0.100;64;0;10.0.0.100;10.0.0.100" + offer_ack);
    // The options of the ACK: mask and router from the pool.
    CHECK(tshark(a_link, "dhcp.hw.mac_addr == 02:00:00:00:01:01 && dhcp.option.dhcp == 5",
                 "-e dhcp.option.subnet_mask -e dhcp.option.router") == "255.255.255.0;10.0.0.1\n"
                                                                        "255.255.255.0;10.0.0.1\n"
                                                                        "255.255.255.0;10.0.0.1\n");
    // C's DISCOVER and REQUEST cross R1 as relayed unicasts: from and to port
    // 67, giaddr R1's address on C's side, hops 1 (RFC 1542 4.1.1), from R1's
    // address towards the server, as ISC dhcrelay 4.4 sent them to dnsmasq
    // in namespaces built to check (the server's answers, to giaddr, carry
    // hops 0 as RFC 2131 table 3 says; dnsmasq copies the request's).
    CHECK(tshark(dir.file("link03_S1.4-R1.eth0.pcap"), "dhcp.hw.mac_addr == 02:00:00:00:06:01 && dhcp.ip.relay != 0.0.0.0",
                 "-e dhcp.option.dhcp -e ip.src -e ip.dst -e udp.srcport -e udp.dstport -e dhcp.ip.relay -e dhcp.hops") ==
          "1;10.0.0.1;10.0.0.2;67;67;10.0.9.1;1\n"
          "2;10.0.0.2;10.0.9.1;67;67;10.0.9.1;0\n"
          "3;10.0.0.1;10.0.0.2;67;67;10.0.9.1;1\n"
          "5;10.0.0.2;10.0.9.1;67;67;10.0.9.1;0\n");
    // Nothing in any of the lesson's pcaps is malformed or fails a checksum.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        CHECK(tshark(entry.path().string(), "_ws.malformed || _ws.expert.severity >= \"error\"", "-e frame.number") == "");
}

TEST_CASE("dhcp lesson: each host's lease is in the summary, and a flow to a DHCP host waited for it", "[dhcp][lesson]") {
    const ScenarioRun r = run_scenario("28-dhcp");
    const Json& nodes = r.summary["nodes"];
    CHECK(nodes["A"]["dhcp"]["address"] == "10.0.0.100/24");
    CHECK(nodes["B"]["dhcp"]["address"] == "10.0.0.101/24");
    CHECK(nodes["C"]["dhcp"]["address"] == "10.0.9.100/24");
    CHECK(nodes["C"]["dhcp"]["gateway"] == "10.0.9.1");
    CHECK(flow(r, "C-pings-A")["to"] == "A");
    CHECK(flow(r, "C-pings-A")["resolved"] == "10.0.0.100");
    // Sent once both leases were in: C's at least one relay round trip after 0 s.
    CHECK(flow(r, "C-pings-A")["first_send_ns"].get<double>() > 0.01e9);
}

TEST_CASE("dhcp: with the server gone, renew at T1, rebind at T2 and start over when the lease ends", "[dhcp]") {
    // A 1000 s lease: T1 500 s, T2 875 s. RFC 2131 4.4.5: while renewing, ask
    // again after half the time left to T2, while rebinding after half the
    // time left in the lease, never sooner than 60 s: 500, 687.5, 781.25,
    // 841.25 (the next, at 901.25, would be after T2), then 875, 937.5,
    // 997.5 (the next after the end). At 1000 s the address goes, and
    // DISCOVERs follow 4 s, 8 s and 16 s apart, each +-1 s.
    const ScenarioRun r = run_text(lan("10.0.0.100-10.0.0.199", "1000s", "100s", "1030s"));
    const auto sent = dhcp_sent(r, "A");
    REQUIRE(sent.size() == 2 + 4 + 3 + 4);
    const double bound = states(r, "A").at(2).first;
    REQUIRE(states(r, "A").at(2).second == "requesting>bound");
    const double expected[] = {500, 687.5, 781.25, 841.25, 875, 937.5, 997.5};
    for (int i = 0; i < 7; ++i) {
        INFO("retry " << i);
        CHECK(sent[static_cast<std::size_t>(2 + i)].type == 3);
        CHECK(sent[static_cast<std::size_t>(2 + i)].t - bound == Approx(expected[i]).margin(0.001));
        CHECK(sent[static_cast<std::size_t>(2 + i)].to == (i < 4 ? "10.0.0.2" : "255.255.255.255"));
    }
    CHECK(sent[9].type == 1);
    CHECK(sent[9].t - bound == Approx(1000).margin(0.001));
    const double gaps[] = {4, 8, 16};
    for (std::size_t i = 10; i < 13; ++i) {
        CHECK(sent[i].type == 1);
        CHECK(sent[i].t - sent[i - 1].t == Approx(gaps[i - 10]).margin(1.0));
    }
    const auto st = states(r, "A");
    REQUIRE(st.size() == 7);
    CHECK(st[3].second == "bound>renewing");
    CHECK(st[4].second == "renewing>rebinding");
    CHECK(st[5].second == "rebinding>init");
    CHECK(st[6].second == "init>selecting");
    CHECK(r.summary["nodes"]["A"]["dhcp"]["address"].is_null());
}

TEST_CASE("dhcp: a pool of one address leases it once, the second client waits and its flow says why", "[dhcp]") {
    const ScenarioRun r = run_text(lan("10.0.0.100-10.0.0.100", "1h", "1000s", "40s", R"(
        "B": {"kind": "host", "ip": "dhcp"},)",
                                       R"([{"id": "B-pings-DH", "at": "1s", "kind": "ping", "from": "B", "to": "DH"},
                                          {"id": "DH-pings-B", "at": "1s", "kind": "ping", "from": "DH", "to": "B"}])"));
    CHECK(r.summary["nodes"]["A"]["dhcp"]["address"] == "10.0.0.100/24");
    CHECK(r.summary["nodes"]["B"]["dhcp"]["address"].is_null());
    CHECK(flow(r, "B-pings-DH")["sent_packets"] == 0);
    CHECK(flow(r, "B-pings-DH")["failure"] == "no DHCP lease");
    CHECK(flow(r, "DH-pings-B")["failure"] == "the destination has no DHCP lease");
    CHECK(flow(r, "DH-pings-B")["resolved"].is_null());
    // B keeps asking: DISCOVERs at 0, then about 4, 12 and 28 s (RFC 2131 4.1).
    const auto sent = dhcp_sent(r, "B");
    REQUIRE(sent.size() == 4);
    for (const Sent& s : sent) CHECK(s.type == 1);
}

TEST_CASE("dhcp: a router serves its own LANs, each interface from its pool, itself the gateway", "[dhcp]") {
    const ScenarioRun r = run_text(R"({"run": {"until": "10s"}, "nodes": {
        "A": {"kind": "host", "ip": "dhcp"}, "B": {"kind": "host", "ip": "dhcp"}, "S1": {"kind": "switch"},
        "R1": {"kind": "router", "interfaces": {
            "eth0": {"ip": "192.168.1.1/24", "dhcp_server": {"pool": "192.168.1.100-192.168.1.150", "dns": "192.168.1.1"}},
            "eth1": {"ip": "192.168.2.1/24", "dhcp_server": {"pool": "192.168.2.10-192.168.2.20", "lease": "2min"}}}},
        "C": {"kind": "host", "ip": "dhcp"}},
      "links": [{"endpoints": ["A", "S1"]}, {"endpoints": ["B", "S1"]}, {"endpoints": ["S1", "R1:eth0"]}, {"endpoints": ["R1:eth1", "C"]}],
      "traffic": [{"id": "C-pings-A", "at": "0s", "kind": "ping", "from": "C", "to": "A"}]})");
    const Json& nodes = r.summary["nodes"];
    CHECK(nodes["A"]["dhcp"]["address"] == "192.168.1.100/24");
    CHECK(nodes["B"]["dhcp"]["address"] == "192.168.1.101/24");
    CHECK(nodes["C"]["dhcp"]["address"] == "192.168.2.10/24");
    // Each lease names the interface it was asked on as server and gateway.
    for (const char* h : {"A", "B"}) {
        CHECK(nodes[h]["dhcp"]["server"] == "192.168.1.1");
        CHECK(nodes[h]["dhcp"]["gateway"] == "192.168.1.1");
        CHECK(nodes[h]["dhcp"]["dns"] == "192.168.1.1");
    }
    CHECK(nodes["C"]["dhcp"]["server"] == "192.168.2.1");
    CHECK(nodes["C"]["dhcp"]["gateway"] == "192.168.2.1");
    CHECK(nodes["C"]["dhcp"]["expires"].get<std::string>().rfind("120", 0) == 0);  // bound in the first millisecond: 2 min on
    // The answers leave by the interface the question came in on, from its address.
    for (const Json& e : events_where(r, "send", "R1")) {
        if (layer_field(e, "dhcp", "msg_type").is_null()) continue;
        CHECK(layer_field(e, "ipv4", "src") == (e["port"] == "eth0" ? "192.168.1.1" : "192.168.2.1"));
        CHECK(layer_field(e, "ipv4", "dst") == "255.255.255.255");
    }
    CHECK(flow(r, "C-pings-A")["intact"] == true);
}
