#pragma once
// Where each node sits: the scenario's `pos` when every node has one;
// otherwise a drawing that reads like a textbook figure, from the topology
// alone (no seed, no node kinds), so the same topology is drawn the same way
// in both panes of a side-by-side and in every frame:
// - a chain is a line left to right, from its end listed first;
// - a star (one node joined to all the others) is a star;
// - a tree whose nodes all hang within one hop of its longest path is that
//   path left to right with the rest below it;
// - any other tree is drawn top-down in layers from its centre;
// - a graph with loops is layered the same way, breadth first from its
//   centre, each layer ordered by where its neighbours above sit.
// Separate pieces are drawn side by side.

#include <array>
#include <vector>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::viz {

using Point = std::array<double, 2>;

// Positions scaled into [0,1] x [0,1].
std::vector<Point> layout(const sim::Scenario& sc);

}  // namespace hopsim::viz
