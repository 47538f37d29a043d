#pragma once
// Where each node sits: the scenario's `pos` when every node has one,
// otherwise a Fruchterman-Reingold force layout (Boost.Graph) from seeded
// starting points, so the same scenario always gets the same picture.

#include <array>
#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::viz {

using Point = std::array<double, 2>;

// Positions scaled into [0,1] x [0,1].
std::vector<Point> layout(const sim::Scenario& sc);

}  // namespace hopsim::viz
