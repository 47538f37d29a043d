// VLANs and spanning tree end to end. Expected values come from IEEE 802.1Q
// (which VLAN a frame belongs to, where it is tagged) and from 802.1D's
// timers (a port forwards two forward delays after it starts listening; a
// port that stops hearing BPDUs waits out max age), not from this simulator.

#include <catch2/catch.hpp>

#include <set>

#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

std::int64_t ns(const Json& e) { return e["t"].get<std::int64_t>(); }
constexpr std::int64_t kSecond = 1'000'000'000;

// The STP state events of one port, in order.
std::vector<Json> stp_states(const ScenarioRun& r, const std::string& node, const std::string& port) {
    std::vector<Json> out;
    for (const Json& e : events_where(r, "state", node))
        if (e.value("conn", "") == "stp" && e.value("port", "") == port) out.push_back(e);
    return out;
}

}  // namespace

TEST_CASE("802.1Q: a frame keeps to its VLAN and is tagged only on the trunk", "[vlan]") {
    const ScenarioRun r = run_scenario("19-vlan-trunk");
    // A's broadcast ARP: untagged from A, tagged VLAN 10 across the trunk, untagged again at B.
    for (const Json& e : events_where(r, "rx")) {
        if (layer_field(e, "arp", "spa") != "10.0.10.1" || layer_field(e, "arp", "op") != "1") continue;
        const std::string node = e["node"];
        INFO(node);
        CHECK(node != "C");
        CHECK(node != "D");
        if (node == "S2") CHECK(layer_field(e, "eth", "vlan") == "10");
        else CHECK(layer_field(e, "eth", "vlan").empty());
    }
    // Both switches keep their MAC entries per VLAN.
    for (const Json& row : r.summary["nodes"]["S1"]["mac_table"]) CHECK((row["vlan"] == 10 || row["vlan"] == 20));
}

TEST_CASE("802.1Q: a tagged frame of a VLAN its port does not carry is dropped, and validate warns", "[vlan]") {
    // H sends VLAN 30 tagged into a trunk that carries 10 and 20.
    const std::string text = R"({
      "nodes": {"H": {"kind": "host", "interfaces": {"eth0.30": {"ip": "10.0.30.1/24"}}},
                "G": {"kind": "host", "ip": "10.0.30.2/24"},
                "S1": {"kind": "switch", "ports": {"1": {"trunk": [10, 20]}, "2": {"vlan": 30}}}},
      "links": [{"endpoints": ["H:eth0", "S1:1"]}, {"endpoints": ["G", "S1:2"]}],
      "traffic": [{"kind": "ping", "from": "H", "to": "G", "at": "0s"}], "run": {"until": "5s"}})";
    auto sc = hopsim::sim::load_scenario(text);
    REQUIRE(sc);
    REQUIRE(sc->warnings.size() == 1);
    CHECK(sc->warnings[0] == "H:eth0.30 sends VLAN 30 tagged, but S1 port 1 is a trunk without that VLAN: those frames are dropped");
    const ScenarioRun r = run_loaded(std::move(*sc));
    const auto drops = events_where(r, "drop", "S1");
    REQUIRE(drops.size() == 3);  // the three ARP requests (Linux: 3 tries)
    for (const Json& d : drops) CHECK(d["reason"] == "vlan-filtered");
    CHECK(events_where(r, "rx", "G").empty());
}

TEST_CASE("802.1D: S1 is elected, S3's port towards S2 blocks, ports forward after two forward delays", "[stp]") {
    const ScenarioRun r = run_scenario("20-stp-loop");
    const Json& s3 = r.summary["nodes"]["S3"]["stp"];
    CHECK(r.summary["nodes"]["S1"]["stp"]["root"] == true);
    CHECK(s3["root_id"] == "4096/02:00:00:00:03:01");
    CHECK(s3["ports"]["2"]["state"] == "blocking");
    CHECK(s3["ports"]["2"]["role"] == "alternate");
    CHECK(s3["root_port"] == "3");
    // 100 Mb/s: IEEE 802.1D-2004 table 17-3 gives 200,000 per link.
    CHECK(r.summary["nodes"]["S2"]["stp"]["root_path_cost"] == 200000);
    // Every designated or root port: listening at 0, learning at 15 s, forwarding at 30 s.
    for (const auto& [node, port] : std::vector<std::pair<std::string, std::string>>{{"S1", "1"}, {"S2", "2"}, {"S3", "3"}}) {
        INFO(node << ":" << port);
        const auto states = stp_states(r, node, port);
        REQUIRE(states.size() == 4);
        CHECK(states[1]["to"] == "listening");
        CHECK(ns(states[1]) == 0);
        CHECK(states[2]["to"] == "learning");
        CHECK(ns(states[2]) == 15 * kSecond);
        CHECK(states[3]["to"] == "forwarding");
        CHECK(ns(states[3]) == 30 * kSecond);
    }
    // A switch running STP never floods a BPDU on: it is for the bridge it reached.
    for (const Json& e : events_where(r, "flood")) CHECK(layer_field(e, "eth", "dst") != "01:80:c2:00:00:00");
}

TEST_CASE("802.1D timers scale: a tenth of every timer converges in a tenth of the time", "[stp]") {
    auto sc = hopsim::sim::load_scenario_file(scenario_path("20-stp-loop"));
    REQUIRE(sc);
    sc->stp_timers = {hopsim::sim::SimTime::ms(200), hopsim::sim::SimTime::s(2), hopsim::sim::SimTime::ms(1500)};
    sc->traffic.clear();
    sc->until = hopsim::sim::SimTime::s(10);
    const ScenarioRun r = run_loaded(std::move(*sc));
    const auto states = stp_states(r, "S2", "2");
    REQUIRE(states.size() == 4);
    CHECK(ns(states[3]) == 3 * kSecond);
    CHECK(r.summary["nodes"]["S3"]["stp"]["ports"]["2"]["state"] == "blocking");
}

TEST_CASE("802.1D failover: the blocked port takes over after max age and two forward delays", "[stp]") {
    const ScenarioRun r = run_scenario("21-stp-failover");
    // The last BPDU S3 heard from S2 on port 2, before the link failed at 42 s.
    std::int64_t last_bpdu = 0;
    for (const Json& e : events_where(r, "rx", "S3"))
        if (e["port"] == "2" && layer_field(e, "eth", "dst") == "01:80:c2:00:00:00" && ns(e) < 42 * kSecond) last_bpdu = ns(e);
    REQUIRE(last_bpdu > 38 * kSecond);
    const auto states = stp_states(r, "S3", "2");
    REQUIRE(states.size() >= 3);
    const Json& fwd = states.back();
    CHECK(fwd["to"] == "forwarding");
    // Max age less the BPDU's message age (one tick, 1/256 s, as Linux adds), then 15 s + 15 s.
    const std::int64_t expected = last_bpdu + 20 * kSecond - kSecond / 256 + 30 * kSecond;
    CHECK(std::llabs(ns(fwd) - expected) < kSecond / 256);
    // At the failure S1 forgets B, learned on the dead port, at once.
    bool flushed = false;
    for (const Json& e : events_where(r, "expire", "S1"))
        flushed |= ns(e) == 42 * kSecond && e["key"] == "02:00:00:00:02:01" && e["value"] == "2";
    CHECK(flushed);
    // During the topology change S2 ages its table in twice the forward delay (Linux), not 300 s.
    bool fast_ageing = false;
    for (const Json& e : events_where(r, "expire", "S2")) fast_ageing |= ns(e) > 42 * kSecond && ns(e) < 100 * kSecond && !e.contains("detail");
    CHECK(fast_ageing);
}

TEST_CASE("a link going down drops what it carries, and a switch without STP forgets the port", "[events]") {
    const std::string text = R"({
      "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"},
                "S1": {"kind": "switch"}},
      "links": [{"endpoints": ["A", "S1:1"]}, {"endpoints": ["B", "S1:2"]}],
      "events": [{"at": "1500ms", "link_down": ["S1:2", "B"]}, {"at": "3500ms", "link_up": ["B", "S1"]}],
      "traffic": [{"kind": "ping", "from": "A", "to": "B", "at": "1s", "count": 4, "interval": "1s"}],
      "run": {"until": "6s"}})";
    const ScenarioRun r = run_text(text);
    CHECK(flow(r, "traffic[0]")["delivered_packets"] == 2);  // at 1 s and 4 s; 2 s and 3 s meet a dead link
    int link_down = 0;
    for (const Json& e : events_where(r, "drop")) link_down += e["reason"] == "link-down";
    CHECK(link_down == 2);
    bool forgot = false;
    for (const Json& e : events_where(r, "expire", "S1")) forgot |= ns(e) == 1'500'000'000 && e["value"] == "2";
    CHECK(forgot);
}
