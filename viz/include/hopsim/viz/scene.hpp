#pragma once
// Draws one scenario at one instant into a rectangle of a render target:
// the topology (hosts, hubs, switches, routers as distinct labelled icons,
// links with their speed), frames in flight as envelopes coloured by
// protocol with a short label, collisions flashing on hubs, drops marked
// where they happen, per-host frame counters, and the switches' MAC tables
// with the newest row highlighted. A pure function of (timeline, t).

#include <SFML/Graphics.hpp>

#include "hopsim/viz/layout.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

sf::Color colour(Proto p);

class Scene {
public:
    Scene(const Timeline& tl, const sf::Font& font) : tl_(tl), font_(font), pos_(layout(tl.scenario())) {}
    // `recent`: how far back (simulated ns) a change still counts as new.
    void draw(sf::RenderTarget& target, sf::FloatRect area, std::int64_t t, std::int64_t recent) const;

private:
    sf::Vector2f at(int node, sf::FloatRect topo) const;
    void text(sf::RenderTarget& target, const std::string& s, sf::Vector2f p, unsigned size, sf::Color c,
              bool centred = false, bool bold_box = false) const;

    const Timeline& tl_;
    const sf::Font& font_;
    std::vector<Point> pos_;
};

// The colour legend and the clock, along the bottom of the window.
void draw_legend(sf::RenderTarget& target, const sf::Font& font, sf::FloatRect area, std::int64_t t,
                 const std::string& status);

}  // namespace hopsim::viz
