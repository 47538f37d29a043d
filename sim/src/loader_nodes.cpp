// nodes: hosts, hubs, switches and routers, with their interfaces, services
// and routes. Cross-node checks (duplicate addresses) are in check_topology.

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/netstack/dns.hpp"
#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 32) return false;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
    return true;
}

void load_pos(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    const Json* p = c.field(j, "pos");
    if (!p) return;
    if (!p->is_array() || p->size() != 2 || !(*p)[0].is_number() || !(*p)[1].is_number()) {
        c.error(join(path, "pos"), "expected [x, y] with two numbers");
        return;
    }
    n.pos = std::array<double, 2>{(*p)[0].get<double>(), (*p)[1].get<double>()};
}

// One interface from {ip, mac}; a missing MAC is assigned after all nodes load.
InterfaceSpec load_interface(LoadContext& c, const Json& j, const std::string& path, std::string name,
                             bool& mac_given) {
    InterfaceSpec i;
    i.name = std::move(name);
    const Json* ip = c.field(j, "ip");
    if (!(ip && ip->is_string() && ip->get_ref<const std::string&>() == "dhcp")) i.ip = c.prefix(j, "ip", path);
    i.dhcp_relay = c.ipv4(j, "dhcp_relay", path);
    if (i.ip && i.ip->length() < 31) {
        const auto net = i.ip->network();
        if (i.ip->address() == net.address())
            c.error(join(path, "ip"), fmt::format("{} is the network address of {}", i.ip->address().to_string(),
                                                  net.to_string()));
        else if (i.ip->address() == i.ip->broadcast_address())
            c.error(join(path, "ip"), fmt::format("{} is the broadcast address of {}", i.ip->address().to_string(),
                                                  net.to_string()));
    }
    auto m = c.mac(j, "mac", path);
    mac_given = m.has_value();
    if (m) {
        i.mac = *m;
        if (m->is_multicast()) c.error(join(path, "mac"), fmt::format("{} is a multicast address", m->to_string()));
    }
    return i;
}

void load_services(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    const Json* s = c.field(j, "services");
    if (!s) return;
    const std::string sp = join(path, "services");
    if (!s->is_array()) return c.error(sp, "expected a list of {\"kind\", \"port\"}");
    for (std::size_t i = 0; i < s->size(); ++i) {
        const std::string p = index(sp, i);
        const Json& e = (*s)[i];
        if (!c.is_object(e, p)) continue;
        auto kind = c.string(e, "kind", p, true);
        if (!kind) continue;
        const bool dns = *kind == "dns-server", dhcp = *kind == "dhcp-server";
        if (dns) c.check_keys(e, p, {"kind", "port", "records", "ttl", "forwarder"});
        else if (dhcp) c.check_keys(e, p, {"kind", "port", "pool", "subnet", "gateway", "dns", "lease", "pools"});
        else c.check_keys(e, p, {"kind", "port"});
        if (dhcp && c.field(e, "port"))
            c.error(join(p, "port"), fmt::format("a dhcp-server listens on port {}, where clients send their broadcasts",
                                                 net::kDhcpServerPort));
        auto port = dhcp ? std::optional<std::int64_t>(net::kDhcpServerPort) : c.integer(e, "port", p, 1, 65535, !dns);
        if (!port && !dns) continue;
        ServiceKind k;
        if (*kind == "tcp-echo") k = ServiceKind::TcpEcho;
        else if (*kind == "udp-echo") k = ServiceKind::UdpEcho;
        else if (*kind == "tcp-sink") k = ServiceKind::TcpSink;
        else if (*kind == "udp-sink") k = ServiceKind::UdpSink;
        else if (dns) k = ServiceKind::DnsServer;
        else if (dhcp) k = ServiceKind::DhcpServer;
        else {
            c.error(join(p, "kind"), fmt::format("unknown service kind \"{}\" (tcp-echo, udp-echo, tcp-sink, udp-sink, dns-server, dhcp-server)", *kind));
            continue;
        }
        const auto port16 = static_cast<std::uint16_t>(port.value_or(net::kDnsPort));
        for (const ServiceSpec& other : n.services)
            if (other.port == port16 && is_udp(other.kind) == is_udp(k))
                c.error(join(p, "port"), fmt::format("{} port {} is already taken by {}", is_udp(k) ? "UDP" : "TCP",
                                                     port16, to_string(other.kind)));
        ServiceSpec spec{k, port16};
        if (dns) load_dns_server(c, e, p, spec);
        if (dhcp) load_dhcp_server(c, e, p, n, spec);
        n.services.push_back(std::move(spec));
    }
}

// "eth0.10" is VLAN 10 on eth0, as Linux's `ip link add link eth0 name
// eth0.10 type vlan id 10` names it. The parent need not be listed: it is
// made (no address) just before its first subinterface.
void resolve_subinterfaces(LoadContext& c, const std::string& path, NodeSpec& n, std::vector<bool>& mac_given) {
    for (std::size_t k = 0; k < n.interfaces.size(); ++k) {
        const std::string name = n.interfaces[k].name;
        const auto dot = name.rfind('.');
        if (dot == std::string::npos || dot == 0) continue;
        const std::string parent = name.substr(0, dot), tail = name.substr(dot + 1);
        if (tail.empty() || tail.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto vid = parse_port(tail, 4094);
        if (!vid) {
            c.error(join(path, name), fmt::format("VLAN {} is outside 1..4094", tail));
            continue;
        }
        auto at = std::find_if(n.interfaces.begin(), n.interfaces.end(), [&](const InterfaceSpec& i) { return i.name == parent; });
        if (at == n.interfaces.end()) {
            InterfaceSpec made;
            made.name = parent;
            at = n.interfaces.insert(n.interfaces.begin() + static_cast<long>(k), made);
            mac_given.insert(mac_given.begin() + static_cast<long>(k), false);
            ++k;
        } else if (at->parent >= 0) {
            c.error(join(path, name), fmt::format("{} is itself a VLAN subinterface (stacked VLANs are not modelled)", parent));
            continue;
        }
        n.interfaces[k].vlan = static_cast<std::uint16_t>(*vid);
        n.interfaces[k].parent = static_cast<int>(at - n.interfaces.begin());
    }
    // Parents may have moved as parents were inserted: settle indices by name.
    for (InterfaceSpec& i : n.interfaces) {
        if (i.parent < 0) continue;
        const std::string parent = i.name.substr(0, i.name.rfind('.'));
        for (std::size_t k = 0; k < n.interfaces.size(); ++k)
            if (n.interfaces[k].name == parent) i.parent = static_cast<int>(k);
    }
    for (std::size_t a = 0; a < n.interfaces.size(); ++a)
        for (std::size_t b = a + 1; b < n.interfaces.size(); ++b)
            if (n.interfaces[a].parent >= 0 && n.interfaces[a].parent == n.interfaces[b].parent &&
                n.interfaces[a].vlan == n.interfaces[b].vlan)
                c.error(join(path, n.interfaces[b].name),
                        fmt::format("{} and {} are both VLAN {} on {}", n.interfaces[a].name, n.interfaces[b].name,
                                    n.interfaces[a].vlan, n.interfaces[static_cast<std::size_t>(n.interfaces[a].parent)].name));
}

void load_interfaces_object(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n,
                            std::vector<bool>& mac_given) {
    const Json* ifs = c.field(j, "interfaces");
    const std::string ip = join(path, "interfaces");
    if (!ifs->is_object() || ifs->empty()) return c.error(ip, "expected an object of name: {ip, mac}");
    for (const std::string& name : c.ordered_keys(*ifs, {"nodes", n.id, "interfaces"})) {
        const Json& spec = (*ifs)[name];
        const std::string p = join(ip, name);
        if (!valid_id(name)) c.error(p, "interface names use letters, digits, _ - . (at most 32)");
        if (!c.is_object(spec, p)) continue;
        c.check_keys(spec, p, {"ip", "mac", "dhcp_relay", "dhcp_server"});
        if (c.field(spec, "dhcp_server") && n.kind != NodeKind::Router)
            c.error(join(p, "dhcp_server"), fmt::format("a host serves DHCP with a service: \"services\": [{{\"kind\": \"dhcp-server\", ...}}]"));
        if (const Json* ip = c.field(spec, "ip"); ip && ip->is_string() && ip->get_ref<const std::string&>() == "dhcp")
            c.error(join(p, "ip"), "\"dhcp\" is for a host with one interface: give the host \"ip\": \"dhcp\"");
        bool given = false;
        n.interfaces.push_back(load_interface(c, spec, p, name, given));
        mac_given.push_back(given);
    }
    resolve_subinterfaces(c, ip, n, mac_given);
}

void load_routes(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    const Json* r = c.field(j, "routes");
    if (!r) return;
    const std::string rp = join(path, "routes");
    if (!r->is_array()) return c.error(rp, "expected a list of {\"to\", \"via\", \"dev\"}");
    for (std::size_t i = 0; i < r->size(); ++i) {
        const std::string p = index(rp, i);
        const Json& e = (*r)[i];
        if (!c.is_object(e, p)) continue;
        c.check_keys(e, p, {"to", "via", "dev"});
        RouteSpec route;
        if (auto to_text = c.string(e, "to", p, true); to_text) {
            const std::string t = *to_text == "default" ? "0.0.0.0/0" : *to_text;
            auto to = net::Ipv4Prefix::parse(t);
            if (!to) {
                c.error(join(p, "to"), fmt::format("bad CIDR \"{}\" {}", t, to.error().message()));
                continue;
            }
            if (to->network() != *to) {
                c.error(join(p, "to"), fmt::format("{} has host bits set (did you mean {}?)", to->to_string(),
                                                   to->network().to_string()));
                continue;
            }
            route.to = *to;
        } else {
            continue;
        }
        route.via = c.ipv4(e, "via", p);
        if (auto dev = c.string(e, "dev", p, false)) {
            for (std::size_t k = 0; k < n.interfaces.size(); ++k)
                if (n.interfaces[k].name == *dev) route.dev = static_cast<int>(k);
            if (route.dev < 0) c.error(join(p, "dev"), fmt::format("{} has no interface \"{}\"", n.id, *dev));
        }
        if (!route.via && route.dev < 0 && !c.field(e, "dev")) c.error(p, "a route needs \"via\", \"dev\" or both");
        n.routes.push_back(route);
    }
}

void load_host(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n, std::vector<bool>& mac_given) {
    n.kind = NodeKind::Host;
    c.check_keys(j, path, {"kind", "ip", "mac", "gateway", "dns", "services", "interfaces", "pos", "rip", "nat"});
    if (c.field(j, "rip"))
        c.error(join(path, "rip"), "RIP runs on routers; a host sends what is not on its subnet to its \"gateway\"");
    if (c.field(j, "nat")) c.error(join(path, "nat"), "NAT runs on routers: a host does not forward other hosts' packets");
    if (c.field(j, "interfaces")) {
        if (c.field(j, "ip") || c.field(j, "mac")) c.error(path, "give either ip/mac or interfaces, not both");
        load_interfaces_object(c, j, path, n, mac_given);
    } else {
        bool given = false;
        n.interfaces.push_back(load_interface(c, j, path, "eth0", given));
        mac_given.push_back(given);
    }
    const Json* ip = c.field(j, "ip");
    n.dhcp = ip && ip->is_string() && ip->get_ref<const std::string&>() == "dhcp";
    if (n.dhcp) {
        for (const char* key : {"gateway", "dns"})
            if (c.field(j, key))
                c.error(join(path, key), fmt::format("a DHCP host takes its {} from the lease (the server's \"{}\")", key, key));
    } else {
        n.gateway = c.ipv4(j, "gateway", path);
        n.dns = c.ipv4(j, "dns", path);
    }
    for (const InterfaceSpec& i : n.interfaces)
        if (i.dhcp_relay) c.error(join(join(join(path, "interfaces"), i.name), "dhcp_relay"), "only a router's interface relays DHCP");
    load_services(c, j, path, n);
}

void load_router(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n, std::vector<bool>& mac_given) {
    n.kind = NodeKind::Router;
    c.check_keys(j, path, {"kind", "interfaces", "routes", "pos", "rip", "nat"});
    if (!c.field(j, "interfaces")) c.error(join(path, "interfaces"), "missing (a router needs interfaces)");
    else load_interfaces_object(c, j, path, n, mac_given);
    for (std::size_t k = 0; k < n.interfaces.size(); ++k) {
        const InterfaceSpec& i = n.interfaces[k];
        const bool trunk_only = std::any_of(n.interfaces.begin(), n.interfaces.end(),
                                            [&](const InterfaceSpec& sub) { return sub.parent == static_cast<int>(k); });
        if (!i.ip && !trunk_only)
            c.error(join(join(join(path, "interfaces"), i.name), "ip"), "missing (a router interface needs an address)");
    }
    if (const Json* ifs = c.field(j, "interfaces")) load_router_dhcp_servers(c, *ifs, join(path, "interfaces"), n);
    load_routes(c, j, path, n);
    if (const Json* rip = c.field(j, "rip")) load_rip(c, *rip, join(path, "rip"), n);
    if (const Json* nat = c.field(j, "nat")) load_nat(c, *nat, join(path, "nat"), n);
}

std::optional<std::uint16_t> vlan_id(LoadContext& c, const Json& j, const std::string& path) {
    if (!j.is_number_integer() || j.get<std::int64_t>() < 1 || j.get<std::int64_t>() > 4094) {
        c.error(path, fmt::format("{} is not a VLAN id (1..4094)", describe(j)));
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(j.get<int>());
}

// One port's VLAN and STP settings: {"vlan": 20} or {"trunk": [10, 20], "native": 1}.
SwitchPortSpec load_port_spec(LoadContext& c, const Json& j, const std::string& path) {
    SwitchPortSpec s;
    if (!c.is_object(j, path)) return s;
    c.check_keys(j, path, {"vlan", "trunk", "native", "stp_cost"});
    if (const Json* v = c.field(j, "vlan")) {
        if (c.field(j, "trunk")) c.error(path, "a port is an access port (\"vlan\") or a trunk (\"trunk\"), not both");
        if (auto vid = vlan_id(c, *v, join(path, "vlan"))) s.access = *vid;
    }
    if (const Json* t = c.field(j, "trunk")) {
        const std::string tp = join(path, "trunk");
        if (!t->is_array() || t->empty()) c.error(tp, "expected a list of VLAN ids, e.g. [10, 20]");
        else
            for (std::size_t i = 0; i < t->size(); ++i)
                if (auto vid = vlan_id(c, (*t)[i], index(tp, i))) s.trunk.push_back(*vid);
        std::sort(s.trunk.begin(), s.trunk.end());
        s.trunk.erase(std::unique(s.trunk.begin(), s.trunk.end()), s.trunk.end());
    }
    if (const Json* nv = c.field(j, "native")) {
        if (!c.field(j, "trunk")) c.error(join(path, "native"), "only a trunk has a native VLAN (an access port has \"vlan\")");
        else if (auto vid = vlan_id(c, *nv, join(path, "native"))) s.native = *vid;
    }
    if (auto cost = c.integer(j, "stp_cost", path, 1, 200'000'000)) s.stp_cost = static_cast<std::uint32_t>(*cost);
    return s;
}

// "ports": a count, or an object of port number: settings (VLANs, STP cost).
void load_switch_ports(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    const Json* ports = c.field(j, "ports");
    if (!ports || !ports->is_object()) {
        n.ports = static_cast<int>(c.integer(j, "ports", path, 1, 4096).value_or(0));
        return;
    }
    const std::string pp = join(path, "ports");
    std::vector<std::pair<int, SwitchPortSpec>> given;
    for (const auto& [key, spec] : ports->items()) {
        const auto num = parse_port(key, 4096);
        if (!num) {
            c.error(join(pp, key), "switch ports are numbered 1..4096");
            continue;
        }
        given.emplace_back(*num, load_port_spec(c, spec, join(pp, key)));
    }
    int highest = 0;
    for (const auto& g : given) highest = std::max(highest, g.first);
    n.port_specs.resize(static_cast<std::size_t>(highest));
    for (auto& [num, spec] : given) n.port_specs[static_cast<std::size_t>(num - 1)] = std::move(spec);
    if (n.port_specs.empty()) n.port_specs.resize(1);  // "ports": {} still means VLAN-aware
}

void load_hub_or_switch(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n, NodeKind kind) {
    n.kind = kind;
    if (kind == NodeKind::Hub) {
        c.check_keys(j, path, {"kind", "ports", "pos"});
        if (const Json* p = c.field(j, "ports"); p && p->is_object())
            return c.error(join(path, "ports"), "a hub repeats every frame to every port: it has no VLANs or port "
                                                "settings (\"ports\" is a number here)");
        n.ports = static_cast<int>(c.integer(j, "ports", path, 1, 4096).value_or(0));
        return;
    }
    c.check_keys(j, path, {"kind", "ports", "mac_ageing", "stp", "stp_priority", "pos"});
    load_switch_ports(c, j, path, n);
    if (const Json* stp = c.field(j, "stp")) {
        if (!stp->is_boolean()) c.error(join(path, "stp"), "expected true or false");
        else n.stp = stp->get<bool>();
    }
    if (auto prio = c.integer(j, "stp_priority", path, 0, 65535)) {
        n.stp_priority = static_cast<std::uint16_t>(*prio);
        if (!n.stp) c.error(join(path, "stp_priority"), "set \"stp\": true for the priority to mean anything");
    }
    if (auto age = c.duration(j, "mac_ageing", path, false)) {
        if (*age <= SimTime()) c.error(join(path, "mac_ageing"), "must be positive");
        else n.mac_ageing = *age;
    }
}

// Deterministic MACs for interfaces without one: 02:00:00:NN:NN:II, from the
// node's position in the file (1-based) and the interface's, skipping any
// MAC the scenario gives explicitly.
void assign_macs(Scenario& sc, const std::vector<std::vector<bool>>& mac_given) {
    std::set<net::MacAddress> explicit_macs;
    for (std::size_t i = 0; i < sc.nodes.size(); ++i)
        for (std::size_t k = 0; k < sc.nodes[i].interfaces.size(); ++k)
            if (mac_given[i][k]) explicit_macs.insert(sc.nodes[i].interfaces[k].mac);
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        for (std::size_t k = 0; k < sc.nodes[i].interfaces.size(); ++k) {
            if (mac_given[i][k]) continue;
            std::uint64_t v = 0x020000000000ull | ((i + 1) << 8) | (k + 1);
            while (explicit_macs.count(net::MacAddress::from_u64(v)))
                v += 0x0000010000000000ull;  // move to 02:01:..., 02:02:...
            sc.nodes[i].interfaces[k].mac = net::MacAddress::from_u64(v);
        }
        // A VLAN subinterface takes its parent's MAC, as Linux's does.
        for (std::size_t k = 0; k < sc.nodes[i].interfaces.size(); ++k) {
            InterfaceSpec& sub = sc.nodes[i].interfaces[k];
            if (sub.parent >= 0 && !mac_given[i][k]) sub.mac = sc.nodes[i].interfaces[static_cast<std::size_t>(sub.parent)].mac;
        }
    }
}

}  // namespace

void load_nodes(LoadContext& c, const Json& nodes) {
    if (!nodes.is_object()) return c.error("nodes", "expected an object keyed by node id");
    std::vector<std::vector<bool>> mac_given;  // per node, per interface: was a MAC given?
    for (const std::string& id : c.ordered_keys(nodes, {"nodes"})) {
        const Json& j = nodes[id];
        const std::string path = join("nodes", id);
        NodeSpec n;
        n.id = id;
        mac_given.emplace_back();
        if (!valid_id(id)) c.error(path, "node ids use letters, digits, _ - . (at most 32 characters)");
        const auto kind = c.is_object(j, path) ? c.string(j, "kind", path, true) : std::nullopt;
        bool usable = kind.has_value();  // links to an unusable node say nothing more
        if (!kind) {
            // is_object() or string() reported it
        } else if (*kind == "host") {
            load_host(c, j, path, n, mac_given.back());
        } else if (*kind == "router") {
            load_router(c, j, path, n, mac_given.back());
        } else if (*kind == "hub" || *kind == "switch") {
            load_hub_or_switch(c, j, path, n, *kind == "hub" ? NodeKind::Hub : NodeKind::Switch);
        } else {
            c.error(join(path, "kind"), fmt::format("unknown kind \"{}\" (host, hub, switch or router)", *kind));
            usable = false;
        }
        if (j.is_object()) load_pos(c, j, path, n);
        c.broken_nodes.push_back(!usable);
        c.sc.nodes.push_back(std::move(n));
    }
    assign_macs(c.sc, mac_given);
}

}  // namespace hopsim::sim::detail
