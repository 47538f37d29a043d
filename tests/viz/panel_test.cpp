// The event list's protocol filter, collided frames cut short, the hop table
// the window draws, and real pixels of the inspector and the hop table.

#include <catch2/catch.hpp>

#include <SFML/Graphics/Image.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/loader.hpp"
#include "hopsim/viz/panel.hpp"
#include "hopsim/viz/player.hpp"
#include "support/process.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {
sim::Scenario load(const std::string& name) { return load_bundled(name); }

// Read straight from the bytes (Ethernet II, no VLAN tag), not through the dissector.
std::uint16_t ethertype(const std::vector<std::uint8_t>& b) { return static_cast<std::uint16_t>(b[12] << 8 | b[13]); }
std::uint8_t ip_protocol(const std::vector<std::uint8_t>& b) { return b[14 + 9]; }

std::size_t count_colour(const sf::Image& img, sf::Color c, sf::IntRect where) {
    std::size_t n = 0;
    for (int y = where.top; y < where.top + where.height; ++y)
        for (int x = where.left; x < where.left + where.width; ++x)
            if (img.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y)) == c) ++n;
    return n;
}

std::string render(const std::string& scenario, const std::string& args, const TempDir& dir) {
    auto r = run_command("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                         quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/" + scenario + ".json") + " --max-frames 1 --out " +
                         quote(dir.path().string()) + " " + args + " 2>&1");
    INFO(r.out);
    REQUIRE(r.status == 0);
    return dir.file("frame_00000.png");
}

// The index of the first event of kind `ev` at node `node` about packet `pkt`.
int find_event(const viz::Timeline& tl, sim::Ev ev, const std::string& node, std::uint64_t pkt) {
    for (std::size_t i = 0; i < tl.events().size(); ++i) {
        const auto& e = tl.events()[i];
        if (e.ev == ev && e.pkt == pkt && e.node >= 0 && tl.scenario().nodes[static_cast<std::size_t>(e.node)].id == node)
            return static_cast<int>(i);
    }
    return -1;
}
}  // namespace

TEST_CASE("event list filter: exactly the events whose frame is that protocol", "[viz]") {
    viz::Pane pane(load("12-tcp-handshake"));
    const viz::Timeline& tl = pane.timeline();
    const auto& all = tl.events_about(std::nullopt);
    REQUIRE(all.size() == tl.events().size());
    std::size_t arp = 0, tcp = 0, arp_tables = 0;
    for (const auto& e : tl.events()) {
        if (e.bytes.size() >= 34 && ethertype(e.bytes) == 0x0800 && ip_protocol(e.bytes) == 6) ++tcp;
        if (e.bytes.size() >= 14 && ethertype(e.bytes) == 0x0806) ++arp;
        if (e.bytes.empty() && e.table == hopsim::sim::Table::Arp) ++arp_tables;  // a host caching an ARP entry belongs to the ARP story
    }
    REQUIRE(tcp > 20);
    REQUIRE(arp >= 4);
    CHECK(tl.events_about(viz::Proto::Tcp).size() == tcp);
    CHECK(tl.events_about(viz::Proto::Arp).size() == arp + arp_tables);
    for (int i : tl.events_about(viz::Proto::Tcp)) CHECK(ip_protocol(tl.events()[static_cast<std::size_t>(i)].bytes) == 6);
    // Every event is in exactly one protocol's list (or none's), in time order.
    std::size_t sum = 0;
    for (viz::Proto p : {viz::Proto::Arp, viz::Proto::Icmp, viz::Proto::Udp, viz::Proto::Tcp, viz::Proto::Raw, viz::Proto::None}) {
        const auto& rows = tl.events_about(p);
        sum += rows.size();
        CHECK(std::is_sorted(rows.begin(), rows.end()));
    }
    CHECK(sum == all.size());
    CHECK(tl.describe(tl.events_about(viz::Proto::Arp).front()).find("ARP who-has 10.0.0.2") != std::string::npos);
}

TEST_CASE("a collided frame is a fragment: it stops 32 bit times after the sender notices", "[viz]") {
    viz::Pane pane(load("05-hub-collisions"));
    const viz::Timeline& tl = pane.timeline();
    // Scenario 05: 10 Mbps, so the jam is 32 bits = 3.2 us; the first collision is noticed at 400 ns.
    std::size_t cut = 0;
    for (const viz::Flight& f : tl.flights()) {
        if (!f.cut) continue;
        ++cut;
        CHECK(f.damaged);
        CHECK(f.end < f.full);
        CHECK_FALSE(f.arrived);
    }
    CHECK(cut >= 8);  // every station's first try (4) and the hub's copies of them
    const viz::Flight& first = tl.flights().front();
    REQUIRE(first.cut);
    const std::int64_t delay = tl.scenario().links[static_cast<std::size_t>(first.link)].delay.count();
    CHECK(first.end == 400 + 3200 + delay);
    CHECK(first.full - first.start > 100'000);  // the whole frame would have taken over 100 us
}

TEST_CASE("hop table: at each router only the Ethernet addresses, the TTL and the IP checksum change", "[viz][follow]") {
    viz::Pane pane(load("08-router-chain"));
    const viz::Timeline& tl = pane.timeline();
    const auto pkt = sim::resolve_packet(tl.scenario(), tl.events(), "hello-B");
    REQUIRE(pkt);
    const sim::HopTable t = sim::hop_table(tl.scenario(), tl.events(), *pkt);
    REQUIRE(t.hops.size() >= 4);
    const auto row = [&](const std::string& f) {
        const auto it = std::find(t.fields.begin(), t.fields.end(), f);
        REQUIRE(it != t.fields.end());
        return static_cast<std::size_t>(it - t.fields.begin());
    };
    std::set<std::string> changed;
    for (std::size_t r = 0; r < t.fields.size(); ++r)
        for (std::size_t h = 0; h < t.hops.size(); ++h)
            if (t.changed(r, h)) changed.insert(t.fields[r]);
    CHECK(changed == std::set<std::string>{"eth.src", "eth.dst", "ipv4.ttl", "ipv4.checksum"});
    // TTL as each hop received it, from the sender's 64 down by one per router.
    const std::size_t ttl = row("ipv4.ttl");
    CHECK(t.cells[ttl].front() == "64");
    int routers = 0;  // receptions at routers along the path: each forwards with TTL - 1
    for (const std::string& h : t.hops)
        for (const auto& n : tl.scenario().nodes)
            if (n.kind == sim::NodeKind::Router && h.rfind(n.id + ":", 0) == 0) ++routers;
    REQUIRE(routers == 3);  // scenario 08: A - R1 - R2 - R3 - B
    CHECK(t.cells[ttl].back() == "61");
}

TEST_CASE("routers' tables: the routes as configured, from the start", "[viz]") {
    viz::Pane pane(load("07-router-two-subnets"));
    const viz::Timeline& tl = pane.timeline();
    const auto rows = tl.table_at(2, hopsim::sim::Table::Route, 0);  // R1
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].key == "192.168.1.0/24");
    CHECK(rows[0].value == "dev eth0");
    CHECK(rows[1].key == "192.168.2.0/24");
}

TEST_CASE("inspector: the selected field's bytes are highlighted in the hex dump", "[viz][render]") {
    viz::Pane pane(load("07-router-two-subnets"));
    const int rewrite = find_event(pane.timeline(), sim::Ev::Rewrite, "R1", 1);
    REQUIRE(rewrite >= 0);
    const sf::Color selected(200, 220, 250);  // the panel's selection colour
    TempDir a("inspect-ttl"), b("inspect-none");
    sf::Image ttl, none;
    REQUIRE(ttl.loadFromFile(render("07-router-two-subnets", "--panel --select " + std::to_string(rewrite) + " --field ipv4.ttl --boxes " +
                                                                 quote(a.file("boxes.json")), a)));
    REQUIRE(none.loadFromFile(render("07-router-two-subnets", "--panel --select " + std::to_string(rewrite), b)));
    // Where the hex dump's lines are ("0000  02 00 ..."), from the boxes render wrote.
    std::ifstream in(a.file("boxes.json"));
    const auto boxes = nlohmann::json::parse(in);
    float top = 1e9f, bottom = 0, left = 1e9f, right = 0;
    std::size_t lines = 0;
    for (const auto& t : boxes["frames"][0]["texts"]) {
        const std::string text = t["text"];
        if (t["pane"] != viz::Player::kPanelPane || text.size() < 6 || text.substr(4, 2) != "  " ||
            text.find_first_not_of("0123456789abcdef") != 4)
            continue;
        ++lines;
        top = std::min(top, t["y"].get<float>()), bottom = std::max(bottom, t["y"].get<float>() + t["h"].get<float>());
        left = std::min(left, t["x"].get<float>()), right = std::max(right, t["x"].get<float>() + t["w"].get<float>());
    }
    // The ping R1 forwards: 14 + 20 + 8 + 56 = 98 bytes, seven lines of 16, every one shown.
    CHECK(lines == 7);
    const sf::IntRect hex_rows(static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left), static_cast<int>(bottom - top));
    // One byte's box (two hex digits) is ~15x13 pixels; the TTL is one byte.
    const std::size_t lit = count_colour(ttl, selected, hex_rows);
    CHECK(lit > 120);
    CHECK(lit < 400);
    CHECK(count_colour(none, selected, hex_rows) == 0);
}

TEST_CASE("render --diff draws the hop table with the changed cells coloured", "[viz][render]") {
    viz::Pane pane(load("08-router-chain"));
    const auto pkt = sim::resolve_packet(pane.timeline().scenario(), pane.timeline().events(), "hello-B");
    REQUIRE(pkt);
    const int rx = find_event(pane.timeline(), sim::Ev::Rx, "B", *pkt);
    REQUIRE(rx >= 0);
    const sf::Color changed(255, 214, 120);
    TempDir a("diff"), b("nodiff");
    sf::Image with, without;
    REQUIRE(with.loadFromFile(render("08-router-chain", "--select " + std::to_string(rx) + " --diff", a)));
    REQUIRE(without.loadFromFile(render("08-router-chain", "--select " + std::to_string(rx), b)));
    const sf::IntRect all(0, 0, 1280, 686);
    CHECK(count_colour(with, changed, all) > 4 * 3 * 500);  // 4 fields x 3+ routers, each cell well over 500 pixels
    CHECK(count_colour(without, changed, all) == 0);
}

TEST_CASE("render rejects a selection that does not exist, saying what does", "[viz][cli]") {
    const std::string base = "xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                             quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/07-router-two-subnets.json") + " --out /tmp/unused ";
    auto r = run_command(base + "--select 100000 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("--select 100000: the run has events 0 to") != std::string::npos);
    viz::Pane pane(load("07-router-two-subnets"));
    const int rewrite = find_event(pane.timeline(), sim::Ev::Rewrite, "R1", 1);
    r = run_command(base + "--select " + std::to_string(rewrite) + " --field ipv4.nosuch 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("its frame has eth.src, eth.dst, eth.type, ipv4.") != std::string::npos);
    r = run_command(base + "--diff 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("--select an event with a packet") != std::string::npos);
    r = run_command(base + "--tables R1.routes,R9.routes 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("--tables R9.routes: no such table; the run has R1.routes, S1.mac, S2.mac") != std::string::npos);
}

TEST_CASE("render --quiz: each question drawn, then its answer in green", "[viz][render][quiz]") {
    TempDir dir("quiz");
    auto r = run_command("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                         quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/02-switch-learning.json") + " --quiz --kinds switch --out " +
                         quote(dir.path().string()) + " 2>&1");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("questions as") != std::string::npos);
    sf::Image question, answer;
    REQUIRE(question.loadFromFile(dir.file("quiz_01_question.png")));
    REQUIRE(answer.loadFromFile(dir.file("quiz_01_answer.png")));
    const sf::Color green(20, 130, 60);  // the right choice and why
    const sf::IntRect card(0, 0, 940, 260);
    CHECK(count_colour(question, green, card) == 0);
    CHECK(count_colour(answer, green, card) > 200);
    // Without a place to put the stills, or with an animation, --quiz says what it needs.
    auto gif = run_command("xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                           quote(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/02-switch-learning.json") + " --quiz --gif x.gif 2>&1");
    CHECK(gif.status == 2);
    CHECK(gif.out.find("--quiz draws stills") != std::string::npos);
}

TEST_CASE("render --boxes: on every bundled scenario no drawn text covers another or leaves its part", "[viz][render][labels]") {
    // The same rule as the scene model's own test, with the widths SFML draws with.
    for (const auto& entry : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/scenarios")) {
        const std::string name = entry.path().stem().string();
        if (entry.path().extension() != ".json" || name == "scenario.schema") continue;
        TempDir dir("boxes");
        auto r = run_command("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a " + std::string(HOPSIM_BINARY) + " render " +
                             quote(entry.path().string()) + " --panel --select 1 --ports --max-frames 8 --fps 2 --out " + quote(dir.path().string()) +
                             " --boxes " + quote(dir.file("boxes.json")) + " 2>&1");
        INFO(name << ": " << r.out);
        REQUIRE(r.status == 0);
        std::ifstream in(dir.file("boxes.json"));
        const auto boxes = nlohmann::json::parse(in);
        REQUIRE(boxes["frames"].size() >= 1);
        for (const auto& frame : boxes["frames"]) {
            std::map<int, viz::Box> areas;
            for (const auto& a : frame["areas"]) areas[a["pane"]] = {a["x"], a["y"], a["w"], a["h"]};
            std::vector<std::pair<int, viz::Box>> texts;
            std::vector<std::string> found;
            for (const auto& t : frame["texts"]) {
                const int pane = t["pane"];
                const viz::Box b{t["x"], t["y"], t["w"], t["h"]};
                if (!areas.count(pane) || !b.inside(areas[pane])) found.push_back(t["text"].get<std::string>() + " leaves its part");
                for (std::size_t k = 0; k < texts.size(); ++k)
                    if (texts[k].first == pane && texts[k].second.overlaps(b))
                        found.push_back(t["text"].get<std::string>() + " over " + frame["texts"][k]["text"].get<std::string>());
                texts.emplace_back(pane, b);
            }
            INFO("t = " << frame["t_ns"] << " ns");
            CHECK(found == std::vector<std::string>{});
        }
    }
}
