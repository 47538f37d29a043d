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

#include <optional>
#include <string>
#include <vector>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/label_placer.hpp"
#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/table_strip.hpp"
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
    const std::vector<TableColumn>& tables() const { return strip_.columns(); }
    const TableStrip& table_strip() const { return strip_; }

private:
    Box topology(Box area, float tables_top) const;  // above a table strip starting at tables_top
    Vec at(int node, Box topo) const;
    Vec envelope_at(const Flight& f, std::int64_t t, Box topo) const;
    Box icon(int node, Vec p) const;
    // A point `distance` along the line from node `from` towards `to` (at most a third of the way).
    Vec along(int from, int to, float distance, Box topo) const;
    struct Unlabelled {
        std::size_t total = 0, crowded = 0;  // frames without a label; of them, those with no room for one
    };
    void place_static_labels(Canvas& c, LabelPlacer& labels, const Look& look, Box topo, const std::vector<Box>& icons) const;
    void place_notes(LabelPlacer& labels, const Look& look, Box topo, const std::vector<Box>& icons) const;
    void place_stp_ports(Canvas& c, LabelPlacer& labels, const Look& look, Box topo) const;
    static std::optional<std::uint16_t> access_vlan(const sim::Scenario& sc, const sim::LinkSpec& l);
    static std::string trunk_text(const sim::Scenario& sc, const sim::LinkSpec& l);
    Unlabelled draw_flights(Canvas& c, LabelPlacer& labels, const Look& look, Box topo) const;
    void draw_node(Canvas& c, int node, Vec p, const Look& look) const;
    void draw_interfaces(Canvas& c, int node, Vec p, Box area) const;

    const Timeline& tl_;
    std::vector<Point> pos_;
    bool dense_;
    TableStrip strip_;
};

// The colour legend and the clock, along the bottom of the window.
void draw_legend(Canvas& c, Box area, std::int64_t t, const std::string& status);

}  // namespace hopsim::viz
