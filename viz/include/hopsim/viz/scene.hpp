#pragma once
// Draws one scenario at one instant into a rectangle of a render target:
// the topology (hosts, hubs, switches, routers as distinct labelled icons,
// links with their speed), frames in flight as envelopes coloured by
// protocol with a short label, collisions flashing on hubs (a collided
// frame's fragment stops where its sender stopped), drops marked where they
// happen, a router's latest rewrite next to it, per-host frame counters, and
// the nodes' tables (MAC, ARP, routes) with the newest row highlighted.
// A pure function of (timeline, what the person chose to see).

#include <SFML/Graphics.hpp>

#include "hopsim/viz/fonts.hpp"
#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

sf::Color colour(Proto p);

// What the person chose to see at this instant.
struct Look {
    std::int64_t t = 0;
    std::int64_t recent = 0;  // how far back (simulated ns) a change still counts as new
    bool addresses = false;   // every node's IP and MAC under its name
    int hover = -1;           // node under the mouse: a box with its interfaces
    int selected = -1;        // event whose frame (or packet) is outlined
};

class Scene {
public:
    Scene(const Timeline& tl, const Fonts& fonts)
        : tl_(tl), fonts_(fonts), pos_(layout(tl.scenario())), dense_(tl.scenario().nodes.size() > kDenseNodes) {}
    // Above this many nodes hosts become small unlabelled squares (hover one
    // for its name) and links lose their speed labels: otherwise labels pile up.
    static constexpr std::size_t kDenseNodes = 60;
    void draw(sf::RenderTarget& target, sf::FloatRect area, const Look& look) const;
    // What lies under a point of the picture: a node, or a frame in flight at t.
    int node_at(sf::FloatRect area, sf::Vector2f p) const;
    const Flight* flight_at(sf::FloatRect area, std::int64_t t, sf::Vector2f p) const;
    // The part of `area` the topology occupies (the rest: title and tables).
    sf::FloatRect topology(sf::FloatRect area) const;

private:
    sf::Vector2f at(int node, sf::FloatRect topo) const;
    sf::Vector2f envelope_at(const Flight& f, std::int64_t t, sf::FloatRect topo) const;
    void draw_node(sf::RenderTarget& target, int node, sf::Vector2f p, const Look& look) const;
    void draw_tables(sf::RenderTarget& target, sf::FloatRect area, float top, const Look& look) const;
    void draw_interfaces(sf::RenderTarget& target, int node, sf::Vector2f p) const;

    const Timeline& tl_;
    const Fonts& fonts_;
    std::vector<Point> pos_;
    bool dense_;
};

// The colour legend and the clock, along the bottom of the window.
void draw_legend(sf::RenderTarget& target, const sf::Font& font, sf::FloatRect area, std::int64_t t,
                 const std::string& status);

}  // namespace hopsim::viz
