// The viewer's index and layout (no display needed), and real pixels from a
// headless render under xvfb-run.

#include <catch2/catch.hpp>

#include <SFML/Graphics/Image.hpp>
#include <set>

#include "hopsim/sim/loader.hpp"
#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/player.hpp"
#include "support/process.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {
sim::Scenario load(const std::string& name) { return load_bundled(name); }

// Everything the picture shows at t, as comparable values.
std::vector<std::string> state(const viz::Timeline& tl, std::int64_t t) {
    std::vector<std::string> s;
    for (const viz::Flight* f : tl.in_flight(t)) s.push_back("flight " + std::to_string(f->frame));
    for (std::size_t n = 0; n < tl.scenario().nodes.size(); ++n) {
        for (const sim::Table table : {sim::Table::Mac, sim::Table::Arp})
            for (const auto& row : tl.table_at(static_cast<int>(n), table, t)) s.push_back(row.key + "=" + row.value);
        s.push_back("rx " + std::to_string(tl.frames_received(static_cast<int>(n), t)));
    }
    return s;
}
}  // namespace

TEST_CASE("frames in flight at t are exactly the flights whose interval holds t", "[viz]") {
    viz::Pane pane(load("03-hub-vs-switch"));
    const viz::Timeline& tl = pane.timeline();
    REQUIRE(tl.flights().size() > 20);
    for (std::int64_t t = 0; t < tl.end_time(); t += 997) {
        std::set<std::uint64_t> brute, indexed;
        for (const viz::Flight& f : tl.flights())
            if (f.start <= t && t < f.end) brute.insert(f.frame);
        for (const viz::Flight* f : tl.in_flight(t)) indexed.insert(f->frame);
        REQUIRE(brute == indexed);
    }
}

TEST_CASE("stepping forward then back gives the state computed directly", "[viz]") {
    viz::Pane pane(load("02-switch-learning"));
    const viz::Timeline& tl = pane.timeline();
    std::vector<std::int64_t> stops;
    for (std::int64_t t = 0; t < tl.end_time(); t = tl.next_event(t)) stops.push_back(t);
    REQUIRE(stops.size() > 10);
    std::vector<std::vector<std::string>> forward;
    for (std::int64_t t : stops) forward.push_back(state(tl, t));
    viz::Pane fresh(load("02-switch-learning"));  // a second index, asked directly
    std::int64_t t = stops.back();
    for (std::size_t i = stops.size(); i-- > 0;) {
        REQUIRE(t == stops[i]);
        REQUIRE(state(tl, t) == forward[i]);
        REQUIRE(state(fresh.timeline(), t) == forward[i]);
        t = tl.prev_event(t);
    }
    // The MAC table grows to the four hosts.
    CHECK(tl.table_at(4, sim::Table::Mac, tl.end_time()).size() == 4);
}

TEST_CASE("frames get a protocol and a label a student can read", "[viz]") {
    viz::Pane pane(load("12-tcp-handshake"));
    std::set<std::string> labels;
    for (const viz::Flight& f : pane.timeline().flights()) labels.insert(f.label);
    CHECK(labels.count("ARP who-has 10.0.0.2") == 1);
    CHECK(labels.count("TCP SYN") == 1);
    CHECK(labels.count("TCP SYN-ACK") == 1);
    // 3000 bytes as Wireshark numbers them, relative to each side's SYN:
    // the handshake's ACK acknowledges 1, the data is 1460 + 1460 + 80 from 1.
    CHECK(labels.count("TCP ACK 1") == 1);
    CHECK(labels.count("TCP 1460B seq=1") == 1);
    CHECK(labels.count("TCP 1460B seq=1461") == 1);
    CHECK(labels.count("TCP 80B seq=2921") == 1);
    CHECK(labels.count("TCP ACK 3001") == 1);  // B has all of it
}

TEST_CASE("layout: the scenario's positions, or a stable force layout without them", "[viz]") {
    const sim::Scenario with = load("08-router-chain");
    const auto p = viz::layout(with);
    CHECK(p[0][0] == Approx(0.0));  // A, leftmost
    CHECK(p[4][0] == Approx(1.0));  // B, rightmost
    sim::Scenario without = with;
    for (auto& n : without.nodes) n.pos.reset();
    const auto a = viz::layout(without), b = viz::layout(without);
    CHECK(a == b);
    for (const auto& q : a) {
        CHECK(q[0] >= 0.0);
        CHECK(q[0] <= 1.0);
        CHECK(q[1] >= 0.0);
        CHECK(q[1] <= 1.0);
    }
    std::set<std::pair<int, int>> cells;  // no two nodes on top of each other
    for (const auto& q : a) cells.emplace(static_cast<int>(q[0] * 20), static_cast<int>(q[1] * 20));
    CHECK(cells.size() == a.size());
}

TEST_CASE("headless render: at the echo request, the hub side shows 4 envelopes, the switch side 1", "[viz][render]") {
    TempDir dir("render");
    // 2.004 ms: the second echo request is in flight on both LANs (see scenario 03).
    // The GL driver SFML loads under Xvfb leaks a little at exit, in code that
    // is not ours; LeakSanitizer is told to look away for this one process.
    auto r = run_command("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                         quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/03-hub-vs-switch.json") + " --out " +
                         quote(dir.path().string()) + " --from 2004us --to 2004us --max-frames 1 2>&1");
    INFO(r.out);
    REQUIRE(r.status == 0);
    sf::Image img;
    REQUIRE(img.loadFromFile(dir.file("frame_00000.png")));
    const viz::Rgba c = viz::colour(viz::Proto::Icmp);
    const sf::Color icmp(c.r, c.g, c.b);
    std::size_t left = 0, right = 0;
    for (unsigned y = 0; y < img.getSize().y; ++y)
        for (unsigned x = 0; x < img.getSize().x; ++x)
            if (img.getPixel(x, y) == icmp) (x < img.getSize().x / 2 ? left : right)++;
    CHECK(right > 100);             // one envelope is ~16x10 pixels of fill
    CHECK(left > 3 * right);        // the hub repeats it onto every port
    CHECK(left < 5 * right + 400);  // ... and only those four (plus the legend's swatch)
}

TEST_CASE("render and view refuse to run without a display, with a hint", "[viz][cli]") {
    auto r = run_command("env -u DISPLAY " + std::string(HOPSIM_BINARY) + " render " +
                         quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/01-hub-broadcast.json") + " --out /tmp/x 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("xvfb-run -a hopsim render") != std::string::npos);
}

TEST_CASE("queues: frames sent but not yet on the wire, counted where they wait", "[viz]") {
    // Scenario 13's trace: at 16.5376 ms A's TCP sends packets 7 to 17 at once
    // onto its 10 Mbps link; 7 goes out at once, 8 at 16.6048 ms, 9 at 17.8352 ms.
    viz::Pane pane(load("13-tcp-over-loss"));
    const viz::Timeline& tl = pane.timeline();
    const int a = tl.scenario().find_node("A");
    auto at_a = [&](std::int64_t t) {
        int n = 0;
        for (const auto& q : tl.queues_at(t)) {
            if (q.node != a) continue;
            n += q.frames;
            CHECK(tl.scenario().link_name(q.link) == "A:eth0-R1:eth0");
        }
        return n;
    };
    CHECK(at_a(16'537'599) == 0);
    CHECK(at_a(16'537'600) == 10);  // 8 to 17
    CHECK(at_a(17'000'000) == 9);   // 9 to 17
    CHECK(at_a(17'835'200) == 8);   // 10 to 17
}

TEST_CASE("event list search: the rows whose line contains the text, in any case", "[viz]") {
    viz::Pane pane(load("08-router-chain"));
    const viz::Timeline& tl = pane.timeline();
    const auto r2 = viz::search_rows(tl, std::nullopt, "r2 ");
    REQUIRE(!r2.empty());
    for (int i : r2) CHECK(tl.describe(i).rfind("R2 ", 0) == 0);
    std::size_t by_hand = 0;  // events at R2, counted from the trace itself
    for (const auto& e : tl.events()) by_hand += e.node == tl.scenario().find_node("R2");
    CHECK(r2.size() == by_hand);
    const auto arp = viz::search_rows(tl, viz::Proto::Arp, "IS-AT");
    REQUIRE(!arp.empty());
    for (int i : arp) CHECK(tl.describe(i).find("is-at") != std::string::npos);
}

TEST_CASE("a DHCP host is labelled with its client's state, then the address its ACK gave", "[viz][dhcp]") {
    viz::Pane pane(load("28-dhcp"));
    const viz::Timeline& tl = pane.timeline();
    const int a = tl.scenario().find_node("A"), c = tl.scenario().find_node("C"), dh = tl.scenario().find_node("DH");
    // The summary (from the same run) says which address each lease holds.
    const ScenarioRun run = run_scenario("28-dhcp");
    const std::string a_address = run.summary["nodes"]["A"]["dhcp"]["address"];
    CHECK(tl.dhcp_at(a, 0) == "DHCP: selecting");
    CHECK(tl.dhcp_at(c, 9'500'000) == "DHCP: selecting");  // its OFFER is still crossing R1
    CHECK(tl.dhcp_at(a, 1'000'000'000) == a_address.substr(0, a_address.find('/')) + " (DHCP)");
    CHECK(tl.dhcp_at(a, 30'013'000'000) == "10.0.0.100 (DHCP)");  // renewing: the address is kept meanwhile
    CHECK(tl.dhcp_at(dh, 1'000'000'000).empty());                 // a fixed address
}
