#pragma once
// The hop-by-hop header table (sim/follow.hpp) as a strip of the picture:
// one column per reception along the packet's path, one row per header
// field, the cells that changed since the previous hop coloured.

#include "hopsim/sim/follow.hpp"
#include "hopsim/viz/canvas.hpp"

namespace hopsim::viz {

// The height the whole table needs.
float hop_table_height(const sim::HopTable& table);
void draw_hop_table(Canvas& c, Box area, const sim::HopTable& table);

}  // namespace hopsim::viz
