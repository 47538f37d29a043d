#include "hopsim/viz/layout.hpp"

#include <algorithm>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/topology.hpp>

#include "hopsim/sim/topology_graph.hpp"

#include "hopsim/sim/rng.hpp"

namespace hopsim::viz {

namespace {
void normalise(std::vector<Point>& p) {
    if (p.empty()) return;
    double x0 = p[0][0], x1 = x0, y0 = p[0][1], y1 = y0;
    for (const Point& q : p) x0 = std::min(x0, q[0]), x1 = std::max(x1, q[0]), y0 = std::min(y0, q[1]), y1 = std::max(y1, q[1]);
    const double w = std::max(x1 - x0, 1e-9), h = std::max(y1 - y0, 1e-9);
    for (Point& q : p) q = {(x1 > x0) ? (q[0] - x0) / w : 0.5, (y1 > y0) ? (q[1] - y0) / h : 0.5};
}
}  // namespace

std::vector<Point> layout(const sim::Scenario& sc) {
    std::vector<Point> out(sc.nodes.size());
    const bool given = std::all_of(sc.nodes.begin(), sc.nodes.end(), [](const sim::NodeSpec& n) { return n.pos.has_value(); });
    if (given) {
        for (std::size_t i = 0; i < sc.nodes.size(); ++i) out[i] = *sc.nodes[i].pos;
        normalise(out);
        return out;
    }
    using Topology = boost::square_topology<>;
    using Pos = Topology::point_type;
    std::vector<Pos> pos(sc.nodes.size());
    sim::Rng rng(sc.seed, "viewer layout");
    for (std::size_t i = 0; i < pos.size(); ++i) {
        pos[i][0] = rng.uniform01() * 1000 - 500;
        pos[i][1] = rng.uniform01() * 1000 - 500;
    }
    Topology space(1000);  // only its extent is used: no random draws happen inside
    const sim::TopologyGraph graph = sim::topology_graph(sc);
    boost::fruchterman_reingold_force_directed_layout(
        graph, boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, graph)), space);
    for (std::size_t i = 0; i < pos.size(); ++i) out[i] = {pos[i][0], pos[i][1]};
    normalise(out);
    return out;
}

}  // namespace hopsim::viz
