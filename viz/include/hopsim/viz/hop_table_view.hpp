#pragma once
// The hop-by-hop header table (sim/follow.hpp) drawn in the window: one
// column per reception along the packet's path, one row per header field,
// the cells that changed since the previous hop coloured.

#include <SFML/Graphics.hpp>

#include "hopsim/sim/follow.hpp"
#include "hopsim/viz/fonts.hpp"

namespace hopsim::viz {

void draw_hop_table(sf::RenderTarget& target, const Fonts& fonts, sf::FloatRect area, const sim::HopTable& table);

}  // namespace hopsim::viz
