// links: endpoints resolved to (node, port), and the physical properties,
// each falling back to defaults.link. Explicit ports ("S1:3") are placed
// first; plain endpoints ("S1") then take the lowest free port in link order.

#include <fmt/core.h>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

constexpr int kMaxImplicitPorts = 4096;

struct PendingEnd {
    std::string path;
    int node = -1;
    std::string port_text;  // empty: "next free"
};

}  // namespace

void load_link_properties(LoadContext& c, const Json& j, const std::string& path, LinkSpec& l) {
    if (auto bw = c.rate(j, "bandwidth", path)) l.bandwidth_bps = *bw;
    if (auto d = c.duration(j, "delay", path, false)) {
        if (*d > SimTime::s(3600)) c.error(join(path, "delay"), "more than an hour of propagation delay is absurd");
        else l.delay = *d;
    }
    if (auto loss = c.number(j, "loss", path, 0.0, 1.0)) l.loss = *loss;
    if (auto q = c.integer(j, "queue", path, 1, 1'000'000)) l.queue = static_cast<int>(*q);
    if (auto m = c.integer(j, "mtu", path, 68, 9000)) l.mtu = static_cast<int>(*m);
}

void load_links(LoadContext& c, const Json& links) {
    if (!links.is_array()) return c.error("links", "expected a list of links");
    Scenario& sc = c.sc;
    std::vector<std::array<PendingEnd, 2>> pending(links.size());
    std::vector<bool> ok(links.size(), false);

    for (std::size_t i = 0; i < links.size(); ++i) {
        const std::string path = index("links", i);
        const Json& j = links[i];
        LinkSpec l = c.link_defaults;
        sc.links.push_back(l);
        if (!c.is_object(j, path)) continue;
        c.check_keys(j, path, {"endpoints", "bandwidth", "delay", "loss", "queue", "mtu"});
        load_link_properties(c, j, path, sc.links.back());
        const Json* ep = c.field(j, "endpoints");
        const std::string epp = join(path, "endpoints");
        if (!ep) {
            c.error(epp, "missing");
            continue;
        }
        if (!ep->is_array() || ep->size() != 2) {
            c.error(epp, "expected two endpoints, e.g. [\"A\", \"S1:3\"]");
            continue;
        }
        bool ends_ok = true;
        for (std::size_t e = 0; e < 2; ++e) {
            const std::string p = index(epp, e);
            if (!(*ep)[e].is_string()) {
                c.error(p, "expected \"node\" or \"node:port\"");
                ends_ok = false;
                continue;
            }
            const std::string text = (*ep)[e].get<std::string>();
            const auto colon = text.find(':');
            const std::string node_id = text.substr(0, colon);
            const int node = sc.find_node(node_id);
            if (node < 0) {
                c.error(p, fmt::format("unknown node \"{}\"", node_id));
                ends_ok = false;
                continue;
            }
            if (c.broken_nodes[static_cast<std::size_t>(node)]) {
                ends_ok = false;  // its own problem is reported already
                continue;
            }
            pending[i][e] = {p, node, colon == std::string::npos ? "" : text.substr(colon + 1)};
        }
        if (!ends_ok) continue;
        if (pending[i][0].node == pending[i][1].node) {
            c.error(epp, fmt::format("a link from {} to itself", sc.nodes[static_cast<std::size_t>(pending[i][0].node)].id));
            continue;
        }
        ok[i] = true;
    }

    // Which link holds each (node, port); -1 free.
    std::vector<std::vector<int>> taken(sc.nodes.size());
    for (std::size_t n = 0; n < sc.nodes.size(); ++n) {
        const NodeSpec& node = sc.nodes[n];
        const bool numbered = node.kind == NodeKind::Hub || node.kind == NodeKind::Switch;
        const int size = numbered ? (node.ports > 0 ? node.ports : kMaxImplicitPorts) : node.port_count();
        taken[n].assign(static_cast<std::size_t>(size), -1);
    }
    auto claim = [&](std::size_t link, std::size_t e, int port) {
        const PendingEnd& p = pending[link][e];
        auto& slots = taken[static_cast<std::size_t>(p.node)];
        const int prior = slots[static_cast<std::size_t>(port)];
        if (prior >= 0) {
            c.error(p.path, fmt::format("{}:{} is already linked by links[{}]", sc.nodes[static_cast<std::size_t>(p.node)].id,
                                        sc.port_name(p.node, port), prior));
            return false;
        }
        slots[static_cast<std::size_t>(port)] = static_cast<int>(link);
        sc.links[link].ends[e] = {p.node, port};
        return true;
    };

    // Pass 1: explicit ports.
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (!ok[i]) continue;
        for (std::size_t e = 0; e < 2; ++e) {
            const PendingEnd& p = pending[i][e];
            if (p.port_text.empty()) continue;
            const NodeSpec& node = sc.nodes[static_cast<std::size_t>(p.node)];
            int port = -1;
            if (node.kind == NodeKind::Hub || node.kind == NodeKind::Switch) {
                const auto num = parse_port(p.port_text, 65535);
                if (!num) {
                    c.error(p.path, fmt::format("{} ports are numbered from 1, not \"{}\"", to_string(node.kind), p.port_text));
                } else if (*num > static_cast<int>(taken[static_cast<std::size_t>(p.node)].size())) {
                    c.error(p.path, node.ports ? fmt::format("port {} on a {}-port {}", *num, node.ports, to_string(node.kind))
                                               : fmt::format("port {}: a {} has at most {} ports", *num,
                                                             to_string(node.kind), kMaxImplicitPorts));
                } else {
                    port = *num - 1;
                }
            } else {
                for (std::size_t k = 0; k < node.interfaces.size(); ++k)
                    if (node.interfaces[k].name == p.port_text) port = static_cast<int>(k);
                if (port < 0) c.error(p.path, fmt::format("{} has no interface \"{}\"", node.id, p.port_text));
            }
            if (port < 0 || !claim(i, e, port)) ok[i] = false;
        }
    }
    // Pass 2: the lowest free port or interface.
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (!ok[i]) continue;
        for (std::size_t e = 0; e < 2; ++e) {
            const PendingEnd& p = pending[i][e];
            if (!p.port_text.empty()) continue;
            auto& slots = taken[static_cast<std::size_t>(p.node)];
            const auto free = std::find(slots.begin(), slots.end(), -1);
            const NodeSpec& node = sc.nodes[static_cast<std::size_t>(p.node)];
            if (free == slots.end()) {
                if (node.kind == NodeKind::Host || node.kind == NodeKind::Router)
                    c.error(p.path, fmt::format("{} has no free interface ({} linked already)", node.id, slots.size()));
                else
                    c.error(p.path, fmt::format("all {} ports of {} {} are linked already", slots.size(),
                                                to_string(node.kind), node.id));
                ok[i] = false;
                break;
            }
            claim(i, e, static_cast<int>(free - slots.begin()));
        }
    }
    // Undeclared port counts become the highest port in use.
    for (std::size_t n = 0; n < sc.nodes.size(); ++n) {
        NodeSpec& node = sc.nodes[n];
        if ((node.kind == NodeKind::Hub || node.kind == NodeKind::Switch) && node.ports == 0) {
            int highest = 0;
            for (std::size_t p = 0; p < taken[n].size(); ++p)
                if (taken[n][p] >= 0) highest = static_cast<int>(p) + 1;
            node.ports = highest;
        }
    }
    // Links that failed are dropped so nothing later trips over a half-made one.
    std::vector<LinkSpec> kept;
    for (std::size_t i = 0; i < sc.links.size(); ++i)
        if (ok[i]) kept.push_back(sc.links[i]);
    sc.links = std::move(kept);
}

}  // namespace hopsim::sim::detail
