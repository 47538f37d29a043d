// The scene model without a display: layouts that read, and on every bundled
// scenario at many instants, no two texts overlapping and none leaving its
// part of the picture. Widths come from DejaVu's own advance table
// (ApproxMetrics); the render test under xvfb checks the same with the
// widths SFML draws with.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "hopsim/sim/loader.hpp"
#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/player.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {

sim::Scenario without_positions(const std::string& name) {
    sim::Scenario sc = load_bundled(name);
    for (auto& n : sc.nodes) n.pos.reset();
    return sc;
}

viz::Point at(const sim::Scenario& sc, const std::vector<viz::Point>& p, const std::string& id) {
    return p[static_cast<std::size_t>(sc.find_node(id))];
}


// Every pair of texts of one part that overlap, and every text outside its part.
std::vector<std::string> collisions(const viz::Canvas& c, const std::map<int, viz::Box>& areas) {
    std::vector<std::string> found;
    std::vector<const viz::Item*> texts;
    for (const viz::Item& i : c.items())
        if (i.kind == viz::Item::Kind::Text && areas.count(i.pane)) texts.push_back(&i);
    for (std::size_t a = 0; a < texts.size(); ++a) {
        if (!texts[a]->box.inside(areas.at(texts[a]->pane))) found.push_back("\"" + texts[a]->text + "\" leaves its part");
        for (std::size_t b = a + 1; b < texts.size(); ++b)
            if (texts[a]->pane == texts[b]->pane && texts[a]->box.overlaps(texts[b]->box))
                found.push_back("\"" + texts[a]->text + "\" over \"" + texts[b]->text + "\"");
    }
    return found;
}

}  // namespace

TEST_CASE("layout: a chain without positions is a line from its first end, left to right", "[viz][layout]") {
    const sim::Scenario sc = without_positions("08-router-chain");  // A - R1 - R2 - R3 - B
    const auto p = viz::layout(sc);
    const char* order[] = {"A", "R1", "R2", "R3", "B"};
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(at(sc, p, order[i])[1] == Approx(0.5));
        CHECK(at(sc, p, order[i])[0] == Approx(static_cast<double>(i) / 4));
    }
    // Switches in the chain are nodes of the line like any other (07: A - S1 - R1 - S2 - B).
    const sim::Scenario two = without_positions("07-router-two-subnets");
    const auto q = viz::layout(two);
    CHECK(at(two, q, "A")[0] < at(two, q, "S1")[0]);
    CHECK(at(two, q, "S1")[0] < at(two, q, "R1")[0]);
    CHECK(at(two, q, "R1")[0] < at(two, q, "S2")[0]);
    CHECK(at(two, q, "S2")[0] < at(two, q, "B")[0]);
    for (const auto& pt : q) CHECK(pt[1] == Approx(0.5));
}

TEST_CASE("layout: a star is drawn as a star, the same for a hub and a switch", "[viz][layout]") {
    const sim::Scenario hub = without_positions("01-hub-broadcast"), sw = without_positions("02-switch-learning");
    const auto a = viz::layout(hub), b = viz::layout(sw);
    CHECK(a == b);  // the same topology the same way, whatever its centre is
    const viz::Point c = at(hub, a, "H1");
    CHECK(c[0] == Approx(0.5));
    CHECK(c[1] == Approx(0.5));
    std::set<std::pair<int, int>> quadrants;  // four hosts around it, one on each side
    for (const char* id : {"A", "B", "C", "D"}) {
        const viz::Point h = at(hub, a, id);
        quadrants.emplace(h[0] < 0.5 ? -1 : 1, h[1] < 0.5 ? -1 : 1);
        CHECK(std::hypot(h[0] - 0.5, h[1] - 0.5) > 0.4);
    }
    CHECK(quadrants.size() == 4);
}

TEST_CASE("layout: a tree top-down, a loop layered, pieces side by side, stable", "[viz][layout]") {
    sim::Scenario sc = without_positions("06-switch-loop-storm");  // S1, S2, S3 in a loop; A on S1, B on S2
    const auto p = viz::layout(sc), again = viz::layout(sc);
    CHECK(p == again);
    std::set<std::pair<int, int>> cells;  // no two nodes on top of each other
    for (const auto& q : p) cells.emplace(static_cast<int>(q[0] * 20), static_cast<int>(q[1] * 20));
    CHECK(cells.size() == p.size());
    // A tree that is not a path with leaves: a root switch, three access switches, two hosts each.
    const auto tree = sim::load_scenario(R"({"nodes": {
        "core": {"kind": "switch", "ports": 3}, "mid": {"kind": "switch", "ports": 3},
        "e": {"kind": "host", "ip": "10.0.0.5/24"}, "f": {"kind": "host", "ip": "10.0.0.6/24"}, "left": {"kind": "switch", "ports": 3}, "right": {"kind": "switch", "ports": 3},
        "a": {"kind": "host", "ip": "10.0.0.1/24"}, "b": {"kind": "host", "ip": "10.0.0.2/24"},
        "c": {"kind": "host", "ip": "10.0.0.3/24"}, "d": {"kind": "host", "ip": "10.0.0.4/24"},
        "lone": {"kind": "host", "ip": "10.0.0.9/24"}, "pal": {"kind": "host", "ip": "10.0.0.10/24"}},
      "links": [{"endpoints": ["core:1", "left:1"]}, {"endpoints": ["core:2", "right:1"]}, {"endpoints": ["core:3", "mid:1"]},
                {"endpoints": ["mid:2", "e"]}, {"endpoints": ["mid:3", "f"]},
                {"endpoints": ["left:2", "a"]}, {"endpoints": ["left:3", "b"]},
                {"endpoints": ["right:2", "c"]}, {"endpoints": ["right:3", "d"]}, {"endpoints": ["lone", "pal"]}]})");
    INFO((tree ? std::string() : tree.error().front()));
    REQUIRE(tree);
    const auto t = viz::layout(*tree);
    const double core = at(*tree, t, "core")[1], left = at(*tree, t, "left")[1], host = at(*tree, t, "a")[1];
    CHECK(core < left);  // layers from the top
    CHECK(left < host);
    CHECK(at(*tree, t, "left")[0] < at(*tree, t, "right")[0]);
    CHECK(at(*tree, t, "a")[0] < at(*tree, t, "b")[0]);
    CHECK(at(*tree, t, "b")[0] < at(*tree, t, "c")[0]);
    CHECK(at(*tree, t, "lone")[0] > at(*tree, t, "d")[0]);  // a piece of its own, to the right
    CHECK(at(*tree, t, "pal")[0] == Approx(1.0));
}

TEST_CASE("every bundled scenario: no text covers another or leaves its part, at any instant", "[viz][labels]") {
    const viz::ApproxMetrics metrics;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/scenarios")) {
        const std::string name = entry.path().stem().string();
        if (entry.path().extension() != ".json" || name == "scenario.schema") continue;
        for (const bool positions : {true, false}) {
            sim::Scenario sc = positions ? load_bundled(name) : without_positions(name);
            std::vector<std::unique_ptr<viz::Pane>> panes;
            panes.push_back(std::make_unique<viz::Pane>(std::move(sc)));
            const viz::Player player(std::move(panes), metrics);
            const viz::Timeline& tl = player.panes()[0]->timeline();
            viz::Canvas canvas(metrics);
            // Forty instants spread over the run, each at a frame's mid-flight.
            const auto& flights = tl.flights();
            for (std::size_t k = 0; k < 40 && !flights.empty(); ++k) {
                const viz::Flight& f = flights[k * flights.size() / 40];
                viz::View view;
                view.look.t = (f.start + f.end) / 2;
                view.look.recent = player.natural_speed() / 2;
                view.look.ports = k % 2 == 0;
                view.look.addresses = k % 3 == 0;
                view.panel = k % 2 == 1;
                view.sel.event = f.event;
                view.sel.field = static_cast<int>(k % 7);
                view.diff = k % 4 == 1;
                for (const viz::Vec size : {viz::Vec{1280, 720}, viz::Vec{1920, 1080}}) {
                    player.draw(canvas, size, view);
                    std::map<int, viz::Box> areas{{0, player.pane_area(0, size, view)},
                                                  {viz::Player::kLegendPane, {0, size.y - viz::Player::kLegendHeight, size.x, viz::Player::kLegendHeight}}};
                    if (view.panel) areas[viz::Player::kPanelPane] = viz::Player::panel_area(size);
                    if (player.diff_area(size, view).h > 0) areas[viz::Player::kHopTablePane] = player.diff_area(size, view);
                    INFO(name << (positions ? "" : " (laid out)") << " at t=" << view.look.t << " ns, " << size.x << "x" << size.y
                              << (view.panel ? ", panel" : "") << (view.diff ? ", diff" : ""));
                    const auto found = collisions(canvas, areas);
                    CHECK(found == std::vector<std::string>{});
                }
            }
        }
    }
}

TEST_CASE("side by side: the same topology is drawn the same way in both panes", "[viz][layout]") {
    // 01 (a hub) and 02 (a switch) without positions: four hosts A-D around one box.
    const viz::ApproxMetrics metrics;
    std::vector<std::unique_ptr<viz::Pane>> panes;
    panes.push_back(std::make_unique<viz::Pane>(without_positions("01-hub-broadcast")));
    panes.push_back(std::make_unique<viz::Pane>(without_positions("02-switch-learning")));
    const viz::Player player(std::move(panes), metrics);
    viz::Canvas canvas(metrics);
    viz::View view;
    view.look.t = player.end_time();  // the switch's MAC table full, the hub has none: the strips still match
    const viz::Vec size{1280, 720};
    player.draw(canvas, size, view);
    const float offset = player.pane_area(1, size, view).x - player.pane_area(0, size, view).x;
    std::map<std::pair<int, std::string>, viz::Box> names;
    for (const viz::Item& i : canvas.items())
        if (i.kind == viz::Item::Kind::Text && i.size == 14) names[{i.pane, i.text}] = i.box;
    for (const char* host : {"A", "B", "C", "D"}) {
        INFO(host);
        REQUIRE(names.count({0, host}));
        REQUIRE(names.count({1, host}));
        CHECK(names[{1, host}].x - offset == Approx(names[{0, host}].x));
        CHECK(names[{1, host}].y == Approx(names[{0, host}].y));
    }
}
