#include "hopsim/sim/scenario.hpp"

#include <algorithm>

namespace hopsim::sim {

const char* to_string(NodeKind k) {
    switch (k) {
        case NodeKind::Host: return "host";
        case NodeKind::Hub: return "hub";
        case NodeKind::Switch: return "switch";
        case NodeKind::Router: return "router";
    }
    return "?";
}

const char* to_string(SplitHorizon s) {
    switch (s) {
        case SplitHorizon::PoisonedReverse: return "poisoned-reverse";
        case SplitHorizon::Simple: return "simple";
        case SplitHorizon::Off: return "off";
    }
    return "?";
}

const char* to_string(ServiceKind k) {
    switch (k) {
        case ServiceKind::TcpEcho: return "tcp-echo";
        case ServiceKind::UdpEcho: return "udp-echo";
        case ServiceKind::TcpSink: return "tcp-sink";
        case ServiceKind::UdpSink: return "udp-sink";
        case ServiceKind::DnsServer: return "dns-server";
        case ServiceKind::DhcpServer: return "dhcp-server";
    }
    return "?";
}

const char* to_string(TrafficKind k) {
    switch (k) {
        case TrafficKind::Ping: return "ping";
        case TrafficKind::Udp: return "udp";
        case TrafficKind::Tcp: return "tcp";
        case TrafficKind::Frame: return "frame";
        case TrafficKind::Traceroute: return "traceroute";
    }
    return "?";
}

void Scenario::index_nodes() {
    node_index.clear();
    for (std::size_t i = 0; i < nodes.size(); ++i) node_index.emplace(nodes[i].id, static_cast<int>(i));
}

int Scenario::find_node(std::string_view id) const {
    if (!node_index.empty()) {
        auto it = node_index.find(std::string(id));
        return it == node_index.end() ? -1 : it->second;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].id == id) return static_cast<int>(i);
    return -1;
}

std::string Scenario::port_name(int node, int port) const {
    const NodeSpec& n = nodes[static_cast<std::size_t>(node)];
    if (n.kind == NodeKind::Host || n.kind == NodeKind::Router) return n.interfaces[static_cast<std::size_t>(port)].name;
    return std::to_string(port + 1);
}

int Scenario::link_at(int node, int port) const {
    for (std::size_t i = 0; i < links.size(); ++i)
        for (const Endpoint& e : links[i].ends)
            if (e.node == node && e.port == port) return static_cast<int>(i);
    return -1;
}

std::string Scenario::link_name(int link) const {
    const LinkSpec& l = links[static_cast<std::size_t>(link)];
    auto end = [&](const Endpoint& e) {
        return nodes[static_cast<std::size_t>(e.node)].id + ":" + port_name(e.node, e.port);
    };
    return end(l.ends[0]) + "-" + end(l.ends[1]);
}

bool SwitchPortSpec::carries(std::uint16_t vid) const {
    if (!is_trunk()) return vid == access;
    return vid == native || std::binary_search(trunk.begin(), trunk.end(), vid);
}

const SwitchPortSpec& NodeSpec::port_spec(int port) const {
    static const SwitchPortSpec kDefault;  // access port of VLAN 1
    if (port < 0 || static_cast<std::size_t>(port) >= port_specs.size()) return kDefault;
    return port_specs[static_cast<std::size_t>(port)];
}

std::vector<int> switching_loops(const Scenario& sc) {
    std::vector<int> parent(sc.nodes.size()), closing;
    for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
    auto find = [&](int x) {
        while (parent[static_cast<std::size_t>(x)] != x)
            x = parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
        return x;
    };
    // A loop through a switch running STP is broken by it (the others flood
    // its BPDUs back to it), so only loops made wholly of the rest storm.
    auto l2 = [&](int n) {
        const NodeSpec& node = sc.nodes[static_cast<std::size_t>(n)];
        return (node.kind == NodeKind::Switch && !node.stp) || node.kind == NodeKind::Hub;
    };
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const int a = sc.links[i].ends[0].node, b = sc.links[i].ends[1].node;
        if (!l2(a) || !l2(b)) continue;
        const int ra = find(a), rb = find(b);
        if (ra == rb) closing.push_back(static_cast<int>(i));
        else parent[static_cast<std::size_t>(ra)] = rb;
    }
    return closing;
}

}  // namespace hopsim::sim
