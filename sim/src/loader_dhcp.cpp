// What address lessons add: a dhcp-server service's pool and options, hosts
// that take their address from DHCP, and router interfaces that relay it.

#include <fmt/core.h>

#include "hopsim/netstack/dhcp.hpp"
#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

// One pool: "pool", and "subnet", "gateway", "dns", "lease" (at `path`),
// served from `server` (the address and prefix of the interface it serves
// from) by node `who`.
std::optional<DhcpPool> load_pool(LoadContext& c, const Json& j, const std::string& path,
                                  const std::optional<net::Ipv4Prefix>& server, const std::string& who) {
    DhcpPool pool;
    const std::optional<net::Ipv4Prefix> own = server ? std::optional(server->network()) : std::nullopt;
    if (auto subnet = c.prefix(j, "subnet", path)) {
        if (subnet->network() != *subnet)
            return c.error(join(path, "subnet"), fmt::format("{} has host bits set (did you mean {}?)", subnet->to_string(),
                                                             subnet->network().to_string())),
                   std::nullopt;
        pool.subnet = *subnet;
    } else if (own) {
        pool.subnet = *own;
    } else {
        return c.error(path, fmt::format("{} has no address: give the pool's \"subnet\"", who)), std::nullopt;
    }
    const auto text = c.string(j, "pool", path, true);
    if (!text) return std::nullopt;
    const auto dash = text->find('-');
    const auto first = net::Ipv4Address::parse(text->substr(0, dash));
    const auto last = dash == std::string::npos ? first : net::Ipv4Address::parse(text->substr(dash + 1));
    const std::string pp = join(path, "pool");
    if (!first || !last)
        return c.error(pp, fmt::format("\"{}\" is not FIRST-LAST, e.g. \"10.0.0.100-10.0.0.199\"", *text)), std::nullopt;
    pool.first = *first;
    pool.last = *last;
    if (pool.last.to_u32() < pool.first.to_u32())
        return c.error(pp, fmt::format("{} comes before {}", pool.last.to_string(), pool.first.to_string())), std::nullopt;
    for (const net::Ipv4Address a : {pool.first, pool.last}) {
        if (!pool.subnet.contains(a) || a == pool.subnet.address() || a == pool.subnet.broadcast_address())
            return c.error(pp, fmt::format("{} is not a host address of the subnet {} the pool serves", a.to_string(),
                                           pool.subnet.to_string())),
                   std::nullopt;
    }
    if (own && *own == pool.subnet) {
        const net::Ipv4Address me = server->address();
        if (me.to_u32() >= pool.first.to_u32() && me.to_u32() <= pool.last.to_u32())
            return c.error(pp, fmt::format("the pool holds {}'s own address {}", who, me.to_string())), std::nullopt;
    }
    pool.gateway = c.ipv4(j, "gateway", path);
    if (pool.gateway && !pool.subnet.contains(*pool.gateway))
        c.error(join(path, "gateway"), fmt::format("{} is not on {}", pool.gateway->to_string(), pool.subnet.to_string()));
    pool.dns = c.ipv4(j, "dns", path);
    if (auto lease = c.duration(j, "lease", path, false)) {
        if (*lease < SimTime::s(10) || *lease > SimTime::s(31'536'000) || lease->count() % 1'000'000'000 != 0)
            c.error(join(path, "lease"), "must be whole seconds, 10s to a year");
        else pool.lease = *lease;
    }
    return pool;
}

std::optional<net::Ipv4Prefix> host_address(const NodeSpec& n) {
    return n.interfaces.empty() ? std::nullopt : n.interfaces.front().ip;
}

}  // namespace

void load_router_dhcp_servers(LoadContext& c, const Json& interfaces, const std::string& path, NodeSpec& n) {
    ServiceSpec server{ServiceKind::DhcpServer, net::kDhcpServerPort};
    for (std::size_t k = 0; k < n.interfaces.size(); ++k) {
        const InterfaceSpec& i = n.interfaces[k];
        const Json* spec = interfaces.is_object() && interfaces.contains(i.name) ? c.field(interfaces[i.name], "dhcp_server") : nullptr;
        if (!spec) continue;
        const std::string p = join(join(path, i.name), "dhcp_server");
        if (!c.is_object(*spec, p)) continue;
        c.check_keys(*spec, p, {"pool", "gateway", "dns", "lease"});
        if (!i.ip) continue;  // (the missing address has its own error)
        if (i.dhcp_relay) {
            c.error(p, "an interface serves DHCP itself or relays it (\"dhcp_relay\"), not both");
            continue;
        }
        auto pool = load_pool(c, *spec, p, i.ip, n.id);
        if (!pool) continue;
        if (!pool->gateway) pool->gateway = i.ip->address();  // the router itself, as a home router hands out
        server.pools.push_back(*pool);
    }
    if (!server.pools.empty()) n.services.push_back(std::move(server));
}

void load_dhcp_server(LoadContext& c, const Json& j, const std::string& path, const NodeSpec& n, ServiceSpec& s) {
    if (n.dhcp)
        return c.error(path, fmt::format("a DHCP server needs an address of its own, and {} takes its address from DHCP: "
                                         "give {} an \"ip\"", n.id, n.id));
    const Json* pools = c.field(j, "pools");
    if (!pools) {
        if (auto p = load_pool(c, j, path, host_address(n), n.id)) s.pools.push_back(*p);
        return;
    }
    const std::string pp = join(path, "pools");
    for (const char* key : {"pool", "subnet", "gateway", "dns", "lease"})
        if (c.field(j, key)) c.error(join(path, key), "give it in each of \"pools\", not beside them");
    if (!pools->is_array() || pools->empty())
        return c.error(pp, "expected a list of {\"pool\": \"10.0.0.100-10.0.0.199\", \"subnet\": ..., \"gateway\": ...}");
    for (std::size_t i = 0; i < pools->size(); ++i) {
        const std::string p = index(pp, i);
        if (!c.is_object((*pools)[i], p)) continue;
        c.check_keys((*pools)[i], p, {"pool", "subnet", "gateway", "dns", "lease"});
        auto pool = load_pool(c, (*pools)[i], p, host_address(n), n.id);
        if (!pool) continue;
        bool twice = false;
        for (const DhcpPool& other : s.pools) twice |= other.subnet == pool->subnet;
        if (twice) c.error(join(p, "subnet"), fmt::format("{} has two pools", pool->subnet.to_string()));
        else s.pools.push_back(*pool);
    }
}

}  // namespace hopsim::sim::detail
