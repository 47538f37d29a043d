#include "hopsim/sim/topology_graph.hpp"

namespace hopsim::sim {

TopologyGraph topology_graph(const Scenario& sc) {
    TopologyGraph g(sc.nodes.size());
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const LinkSpec& l = sc.links[i];
        boost::add_edge(static_cast<std::size_t>(l.ends[0].node), static_cast<std::size_t>(l.ends[1].node),
                        static_cast<int>(i), g);
    }
    return g;
}

}  // namespace hopsim::sim
