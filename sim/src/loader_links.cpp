// links: endpoints resolved to (node, port), and the physical properties,
// each falling back to defaults.link. Explicit ports ("S1:3") are placed
// first; plain endpoints ("S1") then take the lowest free port in link order.

#include <fmt/core.h>

#include <algorithm>

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

namespace {

// Reads one link's properties and its two endpoints' node and port text;
// false if the link cannot be placed.
bool read_link(LoadContext& c, const Json& j, const std::string& path, LinkSpec& l, std::array<PendingEnd, 2>& ends) {
    if (!c.is_object(j, path)) return false;
    c.check_keys(j, path, {"endpoints", "bandwidth", "delay", "loss", "queue", "mtu"});
    load_link_properties(c, j, path, l);
    const Json* ep = c.field(j, "endpoints");
    const std::string epp = join(path, "endpoints");
    if (!ep) return c.error(epp, "missing"), false;
    if (!ep->is_array() || ep->size() != 2) return c.error(epp, "expected two endpoints, e.g. [\"A\", \"S1:3\"]"), false;
    bool ok = true;
    for (std::size_t e = 0; e < 2; ++e) {
        const std::string p = index(epp, e);
        if (!(*ep)[e].is_string()) {
            c.error(p, "expected \"node\" or \"node:port\"");
            ok = false;
            continue;
        }
        const std::string& text = (*ep)[e].get_ref<const std::string&>();
        const auto colon = text.find(':');
        const std::string node_id = text.substr(0, colon);
        const int node = c.sc.find_node(node_id);
        if (node < 0) {
            c.error(p, fmt::format("unknown node \"{}\"", node_id));
            ok = false;
        } else if (c.broken_nodes[static_cast<std::size_t>(node)]) {
            ok = false;  // its own problem is reported already
        } else {
            ends[e] = {p, node, colon == std::string::npos ? "" : text.substr(colon + 1)};
        }
    }
    if (ok && ends[0].node == ends[1].node) {
        c.error(epp, fmt::format("a link from {} to itself", c.sc.nodes[static_cast<std::size_t>(ends[0].node)].id));
        return false;
    }
    return ok;
}

// Which link holds each port of each node (-1: free), and the claiming of
// ports. A hub or switch without "ports" grows its list as links take ports
// (up to kMaxImplicitPorts), so 130,000 switches cost what they use.
class PortMap {
public:
    explicit PortMap(LoadContext& c) : c_(c), taken_(c.sc.nodes.size()) {
        for (std::size_t n = 0; n < c.sc.nodes.size(); ++n) {
            const NodeSpec& node = c.sc.nodes[n];
            if (growing(node)) continue;
            taken_[n].assign(static_cast<std::size_t>(node.port_count()), -1);
            for (int k = 0; k < node.port_count(); ++k)
                if (node.is_subinterface(k)) taken_[n][static_cast<std::size_t>(k)] = kNoCable;
        }
    }
    static constexpr int kNoCable = -2;  // a VLAN subinterface: links attach to its parent
    static bool numbered(const NodeSpec& n) { return n.kind == NodeKind::Hub || n.kind == NodeKind::Switch; }
    static bool growing(const NodeSpec& n) { return numbered(n) && n.ports == 0; }
    std::vector<int>& of(int node) { return taken_[static_cast<std::size_t>(node)]; }
    // Ports the node may have: declared, or the most an undeclared one grows to.
    std::size_t capacity(int node) const {  // (subinterfaces included)
        const NodeSpec& n = c_.sc.nodes[static_cast<std::size_t>(node)];
        return growing(n) ? kMaxImplicitPorts : taken_[static_cast<std::size_t>(node)].size();
    }

    // Link `link`'s end `e` takes `port` of its node, unless another link has it.
    bool claim(std::size_t link, std::size_t e, const PendingEnd& p, int port) {
        auto& slots = of(p.node);
        if (static_cast<std::size_t>(port) >= slots.size()) slots.resize(static_cast<std::size_t>(port) + 1, -1);
        if (const int prior = slots[static_cast<std::size_t>(port)]; prior >= 0) {
            c_.error(p.path, fmt::format("{}:{} is already linked by links[{}]", c_.sc.nodes[static_cast<std::size_t>(p.node)].id,
                                         c_.sc.port_name(p.node, port), prior));
            return false;
        }
        slots[static_cast<std::size_t>(port)] = static_cast<int>(link);
        c_.sc.links[link].ends[e] = {p.node, port};
        return true;
    }

private:
    LoadContext& c_;
    std::vector<std::vector<int>> taken_;
};

// "S1:3" or "R1:eth1": the port index it names, or -1 (reported).
int named_port(LoadContext& c, PortMap& ports, const PendingEnd& p) {
    const NodeSpec& node = c.sc.nodes[static_cast<std::size_t>(p.node)];
    if (!PortMap::numbered(node)) {
        for (std::size_t k = 0; k < node.interfaces.size(); ++k) {
            const InterfaceSpec& i = node.interfaces[k];
            if (i.name != p.port_text) continue;
            if (i.parent < 0) return static_cast<int>(k);
            const std::string& parent = node.interfaces[static_cast<std::size_t>(i.parent)].name;
            c.error(p.path, fmt::format("{} is VLAN {} on {}: link {}:{}, whose frames carry the tag", i.name, i.vlan,
                                        parent, node.id, parent));
            return -1;
        }
        c.error(p.path, fmt::format("{} has no interface \"{}\"", node.id, p.port_text));
        return -1;
    }
    const auto num = parse_port(p.port_text, 65535);
    if (!num) {
        c.error(p.path, fmt::format("{} ports are numbered from 1, not \"{}\"", to_string(node.kind), p.port_text));
        return -1;
    }
    if (static_cast<std::size_t>(*num) > ports.capacity(p.node)) {
        c.error(p.path, node.ports ? fmt::format("port {} on a {}-port {}", *num, node.ports, to_string(node.kind))
                                   : fmt::format("port {}: a {} has at most {} ports", *num, to_string(node.kind),
                                                 kMaxImplicitPorts));
        return -1;
    }
    return *num - 1;
}

// A plain endpoint ("S1") takes the lowest free port; false if none is left (reported).
bool take_free_port(LoadContext& c, PortMap& ports, std::size_t link, std::size_t e, const PendingEnd& p) {
    auto& slots = ports.of(p.node);
    const auto free = std::find(slots.begin(), slots.end(), -1);
    if (free != slots.end()) return ports.claim(link, e, p, static_cast<int>(free - slots.begin()));
    if (slots.size() < ports.capacity(p.node)) return ports.claim(link, e, p, static_cast<int>(slots.size()));
    const NodeSpec& node = c.sc.nodes[static_cast<std::size_t>(p.node)];
    if (PortMap::numbered(node))
        c.error(p.path, fmt::format("all {} ports of {} {} are linked already", ports.capacity(p.node),
                                    to_string(node.kind), node.id));
    else
        c.error(p.path, fmt::format("{} has no free interface ({} linked already)", node.id,
                                    std::count_if(slots.begin(), slots.end(), [](int s) { return s >= 0; })));
    return false;
}

// A hub or switch without "ports" has as many as its highest port in use.
void settle_port_counts(LoadContext& c, PortMap& ports) {
    for (std::size_t n = 0; n < c.sc.nodes.size(); ++n) {
        NodeSpec& node = c.sc.nodes[n];
        if (!PortMap::numbered(node) || node.ports != 0) continue;
        const auto& slots = ports.of(static_cast<int>(n));
        int highest = 0;
        for (std::size_t p = 0; p < slots.size(); ++p)
            if (slots[p] >= 0) highest = static_cast<int>(p) + 1;
        node.ports = highest;
    }
}

}  // namespace

void load_links(LoadContext& c, const Json& links) {
    if (!links.is_array()) return c.error("links", "expected a list of links");
    Scenario& sc = c.sc;
    std::vector<std::array<PendingEnd, 2>> pending(links.size());
    std::vector<bool> ok(links.size(), false);
    for (std::size_t i = 0; i < links.size(); ++i) {
        sc.links.push_back(c.link_defaults);
        ok[i] = read_link(c, links[i], index("links", i), sc.links.back(), pending[i]);
    }
    // Explicit ports first, so plain endpoints fill in around them.
    PortMap ports(c);
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (!ok[i]) continue;
        for (std::size_t e = 0; e < 2; ++e) {  // both ends, so both ends' problems are reported
            const PendingEnd& p = pending[i][e];
            if (p.port_text.empty()) continue;
            const int port = named_port(c, ports, p);
            if (port < 0 || !ports.claim(i, e, p, port)) ok[i] = false;
        }
    }
    for (std::size_t i = 0; i < links.size(); ++i)
        for (std::size_t e = 0; e < 2 && ok[i]; ++e)
            if (pending[i][e].port_text.empty() && !take_free_port(c, ports, i, e, pending[i][e])) ok[i] = false;
    settle_port_counts(c, ports);
    // Links that failed are dropped so nothing later trips over a half-made one.
    std::vector<LinkSpec> kept;
    for (std::size_t i = 0; i < sc.links.size(); ++i)
        if (ok[i]) kept.push_back(sc.links[i]);
    sc.links = std::move(kept);
}

}  // namespace hopsim::sim::detail
