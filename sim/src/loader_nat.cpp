// A router's "nat": which interfaces are inside, which one is outside, and
// the ports forwarded from outside to a host inside.

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

int interface_index(const NodeSpec& n, std::string_view name) {
    for (std::size_t k = 0; k < n.interfaces.size(); ++k)
        if (n.interfaces[k].name == name) return static_cast<int>(k);
    return -1;
}

// An interface named at `path`: it must exist and have an address.
int named_interface(LoadContext& c, const NodeSpec& n, const Json& j, const std::string& path) {
    if (!j.is_string()) return c.error(path, "expected an interface name, e.g. \"eth0\""), -1;
    const int k = interface_index(n, j.get_ref<const std::string&>());
    if (k < 0) return c.error(path, fmt::format("{} has no interface \"{}\"", n.id, j.get<std::string>())), -1;
    if (!n.interfaces[static_cast<std::size_t>(k)].ip)
        return c.error(path, fmt::format("{} has no address to translate to or from", j.get<std::string>())), -1;
    return k;
}

void load_forward(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    if (!c.is_object(j, path)) return;
    c.check_keys(j, path, {"outside_port", "to", "protocol"});
    PortForward f;
    if (auto p = c.string(j, "protocol", path, false)) {
        if (*p == "tcp" || *p == "udp") f.protocol = *p == "tcp" ? 6 : 17;
        else return c.error(join(path, "protocol"), fmt::format("\"{}\" is not tcp or udp", *p));
    }
    const auto port = c.integer(j, "outside_port", path, 1, 65535, true);
    const auto to = c.string(j, "to", path, true);
    if (!port || !to) return;
    f.outside_port = static_cast<std::uint16_t>(*port);
    const auto colon = to->rfind(':');
    const auto addr = net::Ipv4Address::parse(to->substr(0, colon));
    const auto to_port = colon == std::string::npos ? std::nullopt : parse_port(std::string_view(*to).substr(colon + 1), 65535);
    if (!addr || !to_port)
        return c.error(join(path, "to"), fmt::format("\"{}\" is not ADDRESS:PORT, e.g. \"10.0.0.5:80\"", *to));
    f.to = *addr;
    f.to_port = static_cast<std::uint16_t>(*to_port);
    const bool inside = std::any_of(n.nat.inside.begin(), n.nat.inside.end(), [&](int k) {
        const auto& ip = n.interfaces[static_cast<std::size_t>(k)].ip;
        return ip && ip->contains(f.to);
    });
    if (!inside) return c.error(join(path, "to"), fmt::format("{} is not on an inside interface's subnet", f.to.to_string()));
    for (const PortForward& g : n.nat.forwards)
        if (g.protocol == f.protocol && g.outside_port == f.outside_port)
            return c.error(join(path, "outside_port"), fmt::format("{} port {} is forwarded twice", f.protocol == 6 ? "tcp" : "udp", f.outside_port));
    n.nat.forwards.push_back(f);
}

}  // namespace

void load_nat(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    if (!c.is_object(j, path)) return;
    c.check_keys(j, path, {"inside", "outside", "forwards"});
    const Json* inside = c.field(j, "inside");
    const Json* outside = c.field(j, "outside");
    if (!inside) c.error(join(path, "inside"), "missing: the interfaces whose hosts share the outside address, e.g. [\"eth0\"]");
    if (!outside) c.error(join(path, "outside"), "missing: the interface towards the rest of the world, e.g. \"eth1\"");
    if (!inside || !outside) return;
    n.nat.outside = named_interface(c, n, *outside, join(path, "outside"));
    const std::string ip = join(path, "inside");
    if (!inside->is_array() || inside->empty()) return c.error(ip, "expected a list of interface names, e.g. [\"eth0\"]");
    for (std::size_t i = 0; i < inside->size(); ++i) {
        const int k = named_interface(c, n, (*inside)[i], index(ip, i));
        if (k < 0) continue;
        if (k == n.nat.outside)
            c.error(index(ip, i), fmt::format("{} is the outside interface: inside and outside must differ",
                                              n.interfaces[static_cast<std::size_t>(k)].name));
        else if (std::find(n.nat.inside.begin(), n.nat.inside.end(), k) == n.nat.inside.end())
            n.nat.inside.push_back(k);
    }
    std::sort(n.nat.inside.begin(), n.nat.inside.end());
    n.nat.enabled = n.nat.outside >= 0 && !n.nat.inside.empty();
    if (const Json* fw = c.field(j, "forwards")) {
        const std::string fp = join(path, "forwards");
        if (!fw->is_array()) return c.error(fp, "expected a list of {\"outside_port\": 8080, \"to\": \"10.0.0.5:80\"}");
        for (std::size_t i = 0; i < fw->size(); ++i) load_forward(c, (*fw)[i], index(fp, i), n);
    }
}

}  // namespace hopsim::sim::detail
