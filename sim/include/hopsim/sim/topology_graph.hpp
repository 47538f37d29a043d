#pragma once
// A scenario as a Boost.Graph graph: vertices are nodes (same indices),
// edges are links (edge_index = link index), for the loader's reachability
// checks and the viewer's layout. Kept out of scenario.hpp, which most of the
// code includes: Boost.Graph's headers are slow to compile.

#include <boost/graph/adjacency_list.hpp>

#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

using TopologyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                            boost::no_property, boost::property<boost::edge_index_t, int>>;

TopologyGraph topology_graph(const Scenario& sc);

}  // namespace hopsim::sim
