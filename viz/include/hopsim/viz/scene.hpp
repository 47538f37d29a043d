#pragma once
// One scenario at one instant, as a picture in a rectangle of a Canvas: the
// topology (hosts, hubs, switches, routers as distinct labelled icons; links
// with their speed, their MTU where it is not 1500, and at a toggle the
// interface name or port number at each end), frames in flight as envelopes
// coloured by protocol with an arrow for their direction and a short label,
// collisions flashing on hubs (a collided frame's fragment stops where its
// sender stopped), drops marked where they happen, a router's latest rewrite
// next to it, per-host frame counters, and the nodes' tables (MAC, ARP,
// routes) whole, with the newest row highlighted. Every label is placed by
// the LabelPlacer: none covers another or leaves the pane. A pure function
// of (timeline, what the person chose to see); no graphics library.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

Rgba colour(Proto p);

// What the person chose to see at this instant.
struct Look {
    std::int64_t t = 0;
    std::int64_t recent = 0;  // how far back (simulated ns) a change still counts as new
    bool addresses = false;   // every node's IP and MAC under its name
    bool ports = false;       // the interface name or port number at each link end
    int hover = -1;           // node under the mouse: a box with its interfaces
    int selected = -1;        // event whose frame (or packet) is outlined
    std::vector<std::string> tables;  // the tables to show ("R3.routes", "S1.mac"); empty: as many as fit
    float tables_height = 0;  // the table strip at least this tall: side-by-side panes share one, so their topologies line up
};

// A table the scene can show: one node's MAC table, ARP cache or routes.
struct TableColumn {
    int node = -1;
    sim::Table table = sim::Table::None;
    std::string name;    // "S1.mac", "R3.routes", "A.arp": what --tables takes
    std::string title;   // "S1 MAC table"
    std::size_t max_rows = 0;  // the most it ever holds in the run
    std::string widest;  // its widest row in the run
    std::array<float, 4> width{};  // its column's width with rows at 8, 9, 10 and 11 pixels
};

class Scene {
public:
    Scene(const Timeline& tl, const Metrics& metrics);
    // Above this many nodes hosts become small unlabelled squares (hover one
    // for its name) and links lose their speed labels: otherwise labels pile up.
    static constexpr std::size_t kDenseNodes = 60;
    void draw(Canvas& c, Box area, const Look& look) const;
    // What lies under a point of the picture: a node, or a frame in flight at look.t.
    int node_at(Box area, const Look& look, Vec p) const;
    const Flight* flight_at(Box area, const Look& look, Vec p) const;
    // How tall the table strip is in `area`.
    float tables_height(Box area, const Look& look) const;
    // The part of `area` the topology occupies (the rest: title and tables).
    Box topology(Box area, const Look& look) const;
    const std::vector<TableColumn>& tables() const { return tables_; }

private:
    struct StripLayout;
    Vec at(int node, Box topo) const;
    Vec envelope_at(const Flight& f, std::int64_t t, Box topo) const;
    Box icon(int node, Vec p) const;
    void draw_node(Canvas& c, int node, Vec p, const Look& look) const;
    StripLayout strip(Box area, const Look& look) const;
    void draw_tables(Canvas& c, const StripLayout& s, const Look& look) const;
    void draw_interfaces(Canvas& c, int node, Vec p, Box area) const;

    const Timeline& tl_;
    std::vector<Point> pos_;
    bool dense_;
    std::vector<TableColumn> tables_;  // in the order they are shown: routes, MAC tables, ARP caches
};

// The colour legend and the clock, along the bottom of the window.
void draw_legend(Canvas& c, Box area, std::int64_t t, const std::string& status);

}  // namespace hopsim::viz
