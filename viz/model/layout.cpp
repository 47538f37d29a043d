#include "hopsim/viz/layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace hopsim::viz {

namespace {

using Adjacency = std::vector<std::vector<int>>;

void normalise(std::vector<Point>& p) {
    if (p.empty()) return;
    double x0 = p[0][0], x1 = x0, y0 = p[0][1], y1 = y0;
    for (const Point& q : p) x0 = std::min(x0, q[0]), x1 = std::max(x1, q[0]), y0 = std::min(y0, q[1]), y1 = std::max(y1, q[1]);
    for (Point& q : p) q = {x1 > x0 ? (q[0] - x0) / (x1 - x0) : 0.5, y1 > y0 ? (q[1] - y0) / (y1 - y0) : 0.5};
}

// Hops from `from` to every node of its piece (-1 elsewhere).
std::vector<int> distances(const Adjacency& adj, int from) {
    std::vector<int> d(adj.size(), -1);
    std::queue<int> q;
    d[static_cast<std::size_t>(from)] = 0;
    q.push(from);
    while (!q.empty()) {
        const int u = q.front();
        q.pop();
        for (int v : adj[static_cast<std::size_t>(u)])
            if (d[static_cast<std::size_t>(v)] < 0) d[static_cast<std::size_t>(v)] = d[static_cast<std::size_t>(u)] + 1, q.push(v);
    }
    return d;
}

std::size_t degree(const Adjacency& adj, int n) { return adj[static_cast<std::size_t>(n)].size(); }

// The node with the smallest greatest distance to the others; ties go to
// more links, then to the one listed first.
int centre(const Adjacency& adj, const std::vector<int>& piece) {
    int best = piece[0], best_ecc = 1 << 30;
    for (int n : piece) {
        const auto d = distances(adj, n);
        const int ecc = *std::max_element(d.begin(), d.end());
        if (ecc < best_ecc || (ecc == best_ecc && degree(adj, n) > degree(adj, best))) best = n, best_ecc = ecc;
    }
    return best;
}

// The longest path of a tree, from its end listed first.
std::vector<int> longest_path(const Adjacency& adj, const std::vector<int>& piece) {
    auto farthest = [&](int from, std::vector<int>& d) {
        d = distances(adj, from);
        int far = from;
        for (int n : piece)
            if (d[static_cast<std::size_t>(n)] > d[static_cast<std::size_t>(far)]) far = n;
        return far;
    };
    std::vector<int> d;
    const int a = farthest(piece[0], d), b = farthest(a, d);
    std::vector<int> path{b};  // walk back from b to a along falling distance
    for (int at = b; at != a;)
        for (int v : adj[static_cast<std::size_t>(at)])
            if (d[static_cast<std::size_t>(v)] == d[static_cast<std::size_t>(at)] - 1) {
                path.push_back(at = v);
                break;
            }
    if (path.back() < path.front()) std::reverse(path.begin(), path.end());
    return path;
}

// Layers breadth first from `root`, each ordered by the mean position of its
// neighbours in the layer above (a tree's children under their parent).
void layered(const Adjacency& adj, int root, std::vector<Point>& pos) {
    const auto d = distances(adj, root);
    std::vector<std::vector<int>> layers;
    for (std::size_t n = 0; n < adj.size(); ++n)
        if (d[n] >= 0) {
            if (layers.size() <= static_cast<std::size_t>(d[n])) layers.resize(static_cast<std::size_t>(d[n]) + 1);
            layers[static_cast<std::size_t>(d[n])].push_back(static_cast<int>(n));
        }
    std::size_t widest = 0;
    for (const auto& l : layers) widest = std::max(widest, l.size());
    std::vector<double> x(adj.size(), 0);
    for (std::size_t k = 0; k < layers.size(); ++k) {
        auto& layer = layers[k];
        std::vector<double> key(adj.size(), 0);
        for (int n : layer) {
            double sum = 0;
            int count = 0;
            for (int v : adj[static_cast<std::size_t>(n)])
                if (d[static_cast<std::size_t>(v)] == static_cast<int>(k) - 1) sum += x[static_cast<std::size_t>(v)], ++count;
            key[static_cast<std::size_t>(n)] = count ? sum / count : 0;
        }
        std::stable_sort(layer.begin(), layer.end(), [&](int a, int b) { return key[static_cast<std::size_t>(a)] < key[static_cast<std::size_t>(b)]; });
        // Spread every layer over the widest one's span, so a layer of two is not squeezed into the middle.
        for (std::size_t i = 0; i < layer.size(); ++i)
            x[static_cast<std::size_t>(layer[i])] =
                (static_cast<double>(i) + 0.5) * static_cast<double>(widest) / static_cast<double>(layer.size());
        for (int n : layer) pos[static_cast<std::size_t>(n)] = {x[static_cast<std::size_t>(n)], static_cast<double>(k)};
    }
}

// A tree top-down: leaves take consecutive slots in depth-first order, a
// parent sits over its children. Many leaves under one node (an access
// switch's hosts) go in a block of rows under it rather than one long row.
double tidy(const Adjacency& adj, int n, int parent, int depth, double& next_slot, std::vector<Point>& pos) {
    std::vector<int> children;
    for (int c : adj[static_cast<std::size_t>(n)])
        if (c != parent) children.push_back(c);
    if (children.empty()) {
        pos[static_cast<std::size_t>(n)] = {next_slot, static_cast<double>(depth)};
        return next_slot++;
    }
    const bool leaves = std::all_of(children.begin(), children.end(), [&](int c) { return degree(adj, c) == 1; });
    constexpr std::size_t kRowOfLeaves = 8;
    if (leaves && children.size() > kRowOfLeaves) {
        const auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(children.size()) * 2)));
        for (std::size_t j = 0; j < children.size(); ++j)
            pos[static_cast<std::size_t>(children[j])] = {next_slot + static_cast<double>(j % cols) * 0.5,
                                                          depth + 1 + static_cast<double>(j / cols) * 0.25};
        const double x = next_slot + static_cast<double>(cols - 1) * 0.25;
        next_slot += static_cast<double>(cols) * 0.5 + 0.5;
        pos[static_cast<std::size_t>(n)] = {x, static_cast<double>(depth)};
        return x;
    }
    double first = 0, last = 0;
    for (std::size_t k = 0; k < children.size(); ++k) {
        const double x = tidy(adj, children[k], n, depth + 1, next_slot, pos);
        if (k == 0) first = x;
        last = x;
    }
    const double x = (first + last) / 2;
    pos[static_cast<std::size_t>(n)] = {x, static_cast<double>(depth)};
    return x;
}

// One connected piece, in its own units; returns its width.
double place_piece(const Adjacency& adj, const std::vector<int>& piece, std::size_t links, std::vector<Point>& pos) {
    if (piece.size() == 1) {
        pos[static_cast<std::size_t>(piece[0])] = {0, 0};
        return 1;
    }
    const bool tree = links == piece.size() - 1;
    std::size_t max_degree = 0;
    for (int n : piece) max_degree = std::max(max_degree, degree(adj, n));
    if (tree && max_degree <= 2) {  // a chain
        const auto path = longest_path(adj, piece);
        for (std::size_t i = 0; i < path.size(); ++i) pos[static_cast<std::size_t>(path[i])] = {static_cast<double>(i), 0};
        return static_cast<double>(path.size());
    }
    if (tree && max_degree == piece.size() - 1) {  // a star: the hub in the middle, the rest around it from the top
        const int hub = *std::find_if(piece.begin(), piece.end(), [&](int n) { return degree(adj, n) == max_degree; });
        const double r = std::max(1.0, static_cast<double>(max_degree) / 4);
        pos[static_cast<std::size_t>(hub)] = {r, r};
        int k = 0;
        for (int n : adj[static_cast<std::size_t>(hub)]) {
            const double a = 2 * M_PI * k++ / static_cast<double>(max_degree) - M_PI / 2 - (max_degree % 2 ? 0 : M_PI / static_cast<double>(max_degree));
            pos[static_cast<std::size_t>(n)] = {r + r * std::cos(a), r + r * std::sin(a)};
        }
        return 2 * r + 1;
    }
    if (tree) {
        const auto spine = longest_path(adj, piece);
        std::vector<char> on_spine(adj.size(), 0);
        for (int n : spine) on_spine[static_cast<std::size_t>(n)] = 1;
        const bool caterpillar = std::all_of(piece.begin(), piece.end(), [&](int n) {
            if (on_spine[static_cast<std::size_t>(n)]) return true;
            const auto& nb = adj[static_cast<std::size_t>(n)];
            return nb.size() == 1 && on_spine[static_cast<std::size_t>(nb[0])];
        });
        if (caterpillar) {  // the longest path left to right, what hangs off it underneath
            double cursor = 0;
            for (int s : spine) {
                std::vector<int> leaves;
                for (int v : adj[static_cast<std::size_t>(s)])
                    if (!on_spine[static_cast<std::size_t>(v)]) leaves.push_back(v);
                const double w = std::max<double>(1, static_cast<double>(leaves.size()));
                pos[static_cast<std::size_t>(s)] = {cursor + (w - 1) / 2, 0};
                for (std::size_t j = 0; j < leaves.size(); ++j) pos[static_cast<std::size_t>(leaves[j])] = {cursor + static_cast<double>(j), 1};
                cursor += w;
            }
            return cursor;
        }
        double slot = 0;
        tidy(adj, centre(adj, piece), -1, 0, slot, pos);
        return slot;
    }
    layered(adj, centre(adj, piece), pos);
    double width = 0;
    for (int n : piece) width = std::max(width, pos[static_cast<std::size_t>(n)][0] + 0.5);
    return width;
}

}  // namespace

std::vector<Point> layout(const sim::Scenario& sc) {
    const std::size_t n = sc.nodes.size();
    std::vector<Point> pos(n);
    if (n == 0) return pos;
    if (std::all_of(sc.nodes.begin(), sc.nodes.end(), [](const sim::NodeSpec& s) { return s.pos.has_value(); })) {
        for (std::size_t i = 0; i < n; ++i) pos[i] = *sc.nodes[i].pos;
        normalise(pos);
        return pos;
    }
    Adjacency adj(n);
    for (const sim::LinkSpec& l : sc.links) {
        const int a = l.ends[0].node, b = l.ends[1].node;
        if (a == b) continue;
        adj[static_cast<std::size_t>(a)].push_back(b);
        adj[static_cast<std::size_t>(b)].push_back(a);
    }
    for (auto& nb : adj) {  // parallel links are one line in the picture
        std::sort(nb.begin(), nb.end());
        nb.erase(std::unique(nb.begin(), nb.end()), nb.end());
    }
    // Pieces in the order their first node is listed, side by side, one unit apart.
    std::vector<int> piece_of(n, -1);
    double x_offset = 0;
    for (std::size_t start = 0; start < n; ++start) {
        if (piece_of[start] >= 0) continue;
        const auto d = distances(adj, static_cast<int>(start));
        std::vector<int> piece;
        std::size_t ends = 0;
        for (std::size_t v = 0; v < n; ++v)
            if (d[v] >= 0) piece.push_back(static_cast<int>(v)), piece_of[v] = static_cast<int>(start), ends += adj[v].size();
        const double width = place_piece(adj, piece, ends / 2, pos);
        double left = 1e18;
        for (int v : piece) left = std::min(left, pos[static_cast<std::size_t>(v)][0]);
        for (int v : piece) pos[static_cast<std::size_t>(v)][0] += x_offset - left;
        x_offset += width + 1;
    }
    normalise(pos);
    return pos;
}

}  // namespace hopsim::viz
