// End-to-end: each link-layer lesson in scenarios/ teaches what its
// description says. Expected values follow from how hubs, switches and ARP
// work (and from IEEE 802.3 timing), not from this simulator's output.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

std::string mac_of(const ScenarioRun& r, const std::string& node) {
    const auto& n = r.scenario.nodes[static_cast<std::size_t>(r.scenario.find_node(node))];
    return n.interfaces[0].mac.to_string();
}

int rx_addressed_to(const ScenarioRun& r, const std::string& node, const std::string& dst_mac) {
    int n = 0;
    for (const Json& e : events_where(r, "rx", node))
        if (layer_field(e, "eth", "dst") == dst_mac) ++n;
    return n;
}

}  // namespace

TEST_CASE("01 hub: every host hears every frame, and filters what is not for it", "[scenario][hub]") {
    const ScenarioRun r = run_scenario("01-hub-broadcast");
    for (const char* h : {"B", "C", "D"}) {
        INFO(h);
        CHECK(rx_addressed_to(r, h, "ff:ff:ff:ff:ff:ff") == 1);
        CHECK(rx_addressed_to(r, h, "02:00:00:00:00:0b") == 1);  // the frame for B reaches everyone
    }
    CHECK(events_where(r, "filter", "C").size() == 1);
    CHECK(events_where(r, "filter", "D").size() == 1);
    CHECK(events_where(r, "filter", "B").empty());
    CHECK(events_where(r, "rx", "A").empty());  // a hub does not echo a frame to its sender
    const Json& flows = r.summary["flows"];
    CHECK(flows[0]["delivered_packets"] == 3);  // the broadcast, at B, C and D
    CHECK(flows[1]["delivered_packets"] == 1);
    CHECK(flows[1]["intact"] == true);
    CHECK(r.summary["collisions"] == 0);
}

TEST_CASE("02 switch: learns each source, floods the unknown, then forwards to one port", "[scenario][switch]") {
    const ScenarioRun r = run_scenario("02-switch-learning");
    // One learn per host, each on the port its link uses.
    std::set<std::pair<std::string, std::string>> learned;
    for (const Json& e : events_where(r, "learn", "S1")) learned.emplace(e["key"], e["value"]);
    const std::set<std::pair<std::string, std::string>> expect = {
        {mac_of(r, "A"), "1"}, {mac_of(r, "B"), "2"}, {mac_of(r, "C"), "3"}, {mac_of(r, "D"), "4"}};
    CHECK(learned == expect);
    CHECK(r.summary["nodes"]["S1"]["mac_table"].size() == 4);

    // Once S1 has learned B (from B's ARP reply), C never sees a frame for B.
    std::int64_t b_learned = -1;
    for (const Json& e : events_where(r, "learn", "S1"))
        if (e["key"] == mac_of(r, "B")) b_learned = e["t"];
    REQUIRE(b_learned >= 0);
    for (const Json& e : events_where(r, "rx", "C")) {
        if (e["t"].get<std::int64_t>() > b_learned) CHECK(layer_field(e, "eth", "dst") != mac_of(r, "B"));
    }
    // Only the two ARP requests (broadcast) were flooded.
    const auto floods = events_where(r, "flood", "S1");
    REQUIRE(floods.size() == 2);
    for (const Json& f : floods) CHECK(layer_field(f, "eth", "dst") == "ff:ff:ff:ff:ff:ff");
    CHECK(r.summary["flows"][0]["delivered_packets"] == 3);
    CHECK(r.summary["flows"][0]["intact"] == true);
}

TEST_CASE("03 hub vs switch: the hub floods every frame, the switch only the first", "[scenario][hub][switch]") {
    const ScenarioRun r = run_scenario("03-hub-vs-switch");
    // 4 pings = ARP request + reply + 4 requests + 4 replies = 10 frames on the wire.
    CHECK(r.summary["nodes"]["hC"]["rx_frames"] == 10);
    CHECK(r.summary["nodes"]["hD"]["rx_frames"] == 10);
    CHECK(rx_addressed_to(r, "hC", mac_of(r, "hB")) == 4);  // every echo request for B
    // The switch floods the one ARP request; everything else is unicast to its port.
    CHECK(r.summary["nodes"]["sC"]["rx_frames"] == 1);
    CHECK(r.summary["nodes"]["sD"]["rx_frames"] == 1);
    CHECK(rx_addressed_to(r, "sC", mac_of(r, "sB")) == 0);
    CHECK(rx_addressed_to(r, "sC", "ff:ff:ff:ff:ff:ff") == 1);
    for (const char* f : {"hub-ping", "switch-ping"}) {
        const auto& flows = r.summary["flows"];
        const auto it = std::find_if(flows.begin(), flows.end(), [&](const Json& j) { return j["id"] == f; });
        REQUIRE(it != flows.end());
        CHECK((*it)["delivered_packets"] == 4);
        CHECK((*it)["intact"] == true);
    }
}

TEST_CASE("04 ARP: broadcast request, unicast reply, cached, three tries for a missing host", "[scenario][arp]") {
    const ScenarioRun r = run_scenario("04-arp");
    std::vector<Json> arp_tx;
    for (const Json& e : events_where(r, "tx", "A"))
        if (layer_field(e, "arp", "op") != nullptr) arp_tx.push_back(e);
    // One request for B, then three for 10.0.0.99, one second apart (Linux's retrans_time).
    REQUIRE(arp_tx.size() == 4);
    CHECK(layer_field(arp_tx[0], "arp", "tpa") == "10.0.0.2");
    CHECK(layer_field(arp_tx[0], "eth", "dst") == "ff:ff:ff:ff:ff:ff");
    for (int i = 1; i < 4; ++i) {
        CHECK(layer_field(arp_tx[static_cast<std::size_t>(i)], "arp", "tpa") == "10.0.0.99");
        CHECK(arp_tx[static_cast<std::size_t>(i)]["t"] == 100'000'000 + (i - 1) * 1'000'000'000LL);
    }
    // B's reply is unicast back to A.
    std::vector<Json> replies;
    for (const Json& e : events_where(r, "tx", "B"))
        if (layer_field(e, "arp", "op") == 2) replies.push_back(e);
    REQUIRE(replies.size() == 1);
    CHECK(layer_field(replies[0], "eth", "dst") == mac_of(r, "A"));
    // Both ends cache each other; C, which only overheard the request, does not.
    CHECK(r.summary["nodes"]["A"]["arp_table"] == Json::array({{{"ip", "10.0.0.2"}, {"mac", mac_of(r, "B")}}}));
    CHECK(r.summary["nodes"]["B"]["arp_table"] == Json::array({{{"ip", "10.0.0.1"}, {"mac", mac_of(r, "A")}}}));
    CHECK(r.summary["nodes"]["C"]["arp_table"].empty());
    // The waiting echo request is dropped one second after the third request.
    const auto drops = events_where(r, "drop", "A");
    REQUIRE(drops.size() == 1);
    CHECK(drops[0]["reason"] == "arp-timeout");
    CHECK(drops[0]["t"] == 3'100'000'000LL);
    CHECK(r.summary["flows"][0]["delivered_packets"] == 2);
    CHECK(r.summary["flows"][1]["delivered_packets"] == 0);
    // The echo request leaves the stack before ARP has answered: its send
    // event has no Ethernet destination yet (null, not a placeholder
    // 00:00:00:00:00:00); the same packet goes on the wire addressed to B.
    const auto sends = events_where(r, "send", "A");
    REQUIRE(!sends.empty());
    const Json& first = sends[0];
    REQUIRE(layer_field(first, "icmp", "type") == 8);
    CHECK(layer_field(first, "eth", "dst").is_null());
    CHECK(layer_field(first, "eth", "src") == mac_of(r, "A"));
    for (const Json& e : events_where(r, "tx", "A"))
        if (e["pkt"] == first["pkt"]) CHECK(layer_field(e, "eth", "dst") == mac_of(r, "B"));
    // An ARP request is addressed when it is made: its send event shows the broadcast.
    for (const Json& e : sends)
        if (layer_field(e, "arp", "op") == 1) CHECK(layer_field(e, "eth", "dst") == "ff:ff:ff:ff:ff:ff");
}

TEST_CASE("05 hub collisions: jam, back off by whole slot times, and deliver everything", "[scenario][hub]") {
    const ScenarioRun r = run_scenario("05-hub-collisions");
    CHECK(r.summary["collisions"].get<int>() > 0);
    CHECK(!events_where(r, "collision", "H1").empty());
    // 10 Mbps: a slot is 512 bit times = 51.2 us, the jam 32 bit times = 3.2 us.
    // A retry starts a whole number of slots after the sender's jam ends
    // (or later, if it then has to defer to another station's carrier).
    constexpr std::int64_t kSlot = 51'200, kJam = 3'200;
    int checked = 0;
    for (const char* host : {"A", "B", "C", "D"}) {
        std::int64_t last_collision = -1;
        for (const Json& e : r.events) {
            if (e.value("node", "") != host) continue;
            if (e["ev"] == "collision") last_collision = e["t"];
            if (e["ev"] == "tx" && e.contains("detail") && last_collision >= 0) {
                const std::int64_t wait = e["t"].get<std::int64_t>() - (last_collision + kJam);
                CHECK(wait >= 0);
                if (wait % kSlot == 0) ++checked;
                last_collision = -1;
            }
        }
    }
    CHECK(checked > 0);
    for (const Json& f : r.summary["flows"]) {
        CHECK(f["delivered_packets"] == 3);
        CHECK(f["intact"] == true);
    }
    // The medium carries one frame at a time: the 12 frames the hub received
    // whole (rx at H1, the end of each) are at least one wire time apart.
    // 200 bytes of payload + 14 header + 24 preamble/FCS/gap = 1904 bits = 190.4 us.
    std::vector<std::int64_t> ends;
    for (const Json& e : events_where(r, "rx", "H1")) ends.push_back(e["t"].get<std::int64_t>());
    REQUIRE(ends.size() == 12);
    std::sort(ends.begin(), ends.end());
    for (std::size_t i = 1; i < ends.size(); ++i) CHECK(ends[i] - ends[i - 1] >= 190'400);
}

TEST_CASE("06 switching loop: one broadcast circulates until run.until", "[scenario][switch]") {
    const ScenarioRun r = run_scenario("06-switch-loop-storm");
    REQUIRE(r.scenario.warnings.size() == 1);
    CHECK(r.scenario.warnings[0].find("broadcast storm") != std::string::npos);
    // A sent one frame; B keeps receiving copies of it, and so does A itself.
    CHECK(r.summary["flows"][0]["sent_packets"] == 1);
    CHECK(r.summary["nodes"]["B"]["rx_frames"].get<int>() > 5);
    CHECK(r.summary["nodes"]["A"]["rx_frames"].get<int>() > 5);
    std::set<std::int64_t> pkts;
    for (const Json& e : events_where(r, "rx", "B")) pkts.insert(e["pkt"].get<std::int64_t>());
    CHECK(pkts.size() == 1);  // all copies are the same packet
    CHECK(r.summary["sim_time_ns"].get<std::int64_t>() <= 200'000);
}

TEST_CASE("MAC and ARP entries expire at the instant they age out, not when next consulted", "[switch][arp]") {
    // Linux's bridge: an entry is dead once (last frame from that MAC) +
    // ageing <= now. ARP entries (hopsim's model) live 60 s after the ARP
    // packet that last confirmed them.
    const auto r = run_text(R"({"run": {"until": "70s"},
      "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"},
                "S": {"kind": "switch", "mac_ageing": "10ms"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["B", "S"]}],
      "traffic": [{"kind": "ping", "from": "A", "to": "B", "count": 1}]})");
    std::map<std::string, std::int64_t> last_from;  // MAC -> its last frame's arrival at S
    for (const Json& e : events_where(r, "rx", "S")) last_from[layer_field(e, "eth", "src")] = e["t"];
    std::map<std::string, std::int64_t> mac_expired;
    for (const Json& e : events_where(r, "expire", "S")) {
        CHECK(e["table"] == "mac");
        mac_expired[e["key"]] = e["t"];
    }
    REQUIRE(last_from.size() == 2);
    for (const auto& [mac, t] : last_from) CHECK(mac_expired[mac] == t + 10'000'000);

    // ARP: each host learned the other from one ARP packet; 60 s later the entry goes.
    for (const char* host : {"A", "B"}) {
        const auto learned = events_where(r, "learn", host);
        const auto expired = events_where(r, "expire", host);
        REQUIRE(learned.size() == 1);
        REQUIRE(expired.size() == 1);
        CHECK(expired[0]["key"] == learned[0]["key"]);
        CHECK(expired[0]["value"] == learned[0]["value"]);
        CHECK(expired[0]["t"].get<std::int64_t>() == learned[0]["t"].get<std::int64_t>() + 60'000'000'000);
    }
    // The summary's tables are as the trace leaves them at the end: empty.
    CHECK(r.summary["nodes"]["S"]["mac_table"].empty());
    CHECK(r.summary["nodes"]["A"]["arp_table"].empty());
}
