// What name lessons add: a dns-server service's records, and traffic sent
// to a name rather than to a node or an address.

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/dns.hpp"
#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}
}  // namespace

void load_dns_server(LoadContext& c, const Json& j, const std::string& path, ServiceSpec& s) {
    if (auto ttl = c.duration(j, "ttl", path, false)) {
        // RFC 2181 8: a TTL is a 31-bit number of seconds; whole seconds here.
        if (*ttl < SimTime() || *ttl > SimTime::s(2147483647) || ttl->count() % 1'000'000'000 != 0)
            c.error(join(path, "ttl"), "must be whole seconds, 0s to 2147483647s");
        else s.ttl = *ttl;
    }
    s.forwarder = c.ipv4(j, "forwarder", path);
    const Json* records = c.field(j, "records");
    if (!records) {
        if (!s.forwarder) c.error(path, "a dns-server needs \"records\" ({\"www.example.org\": \"10.0.2.80\"}), a \"forwarder\", or both");
        return;
    }
    const std::string rp = join(path, "records");
    if (!records->is_object()) return c.error(rp, "expected names and their addresses, e.g. {\"www.example.org\": \"10.0.2.80\"}");
    for (const auto& [name, value] : records->items()) {
        const std::string where = join(rp, name);
        std::string n = lower(name);
        if (!n.empty() && n.back() == '.') n.pop_back();  // "www.example.org." is the same name
        if (const std::string why = net::dns_name_problem(n); !why.empty()) {
            c.error(where, fmt::format("\"{}\" is not a name DNS can carry: {}", name, why));
            continue;
        }
        std::optional<net::Ipv4Address> a;
        if (value.is_string())
            if (auto parsed = net::Ipv4Address::parse(value.get<std::string>())) a = *parsed;
        if (!a) {
            c.error(where, fmt::format("{} is not an IPv4 address (an A record holds one, e.g. \"10.0.2.80\")", describe(value)));
            continue;
        }
        if (std::any_of(s.records.begin(), s.records.end(), [&](const auto& r) { return r.first == n; }))
            c.error(where, fmt::format("{} has two records (names match without regard to case)", n));
        else s.records.emplace_back(n, *a);
    }
}

bool name_destination(LoadContext& c, const std::string& name, const std::string& path, TrafficSpec& t) {
    const NodeSpec* from = t.from >= 0 ? &c.sc.nodes[static_cast<std::size_t>(t.from)] : nullptr;
    const bool resolver = from && (from->dns || from->dhcp);  // a lease may name a DNS server
    if (name.find('.') == std::string::npos || !net::dns_name_problem(name).empty() || !resolver) {
        if (from && !resolver && name.find('.') != std::string::npos && net::dns_name_problem(name).empty())
            c.error(path, fmt::format("unknown node \"{}\"; to look it up as a name, give {} a \"dns\" server", name, from->id));
        else c.error(path, fmt::format("unknown node \"{}\" (give a node id, an IPv4 address or a DNS name)", name));
        return false;
    }
    if (t.kind == TrafficKind::Frame) return c.error(path, "a frame goes to a MAC address, not a name"), false;
    t.to_name = lower(name);
    if (!t.to_name.empty() && t.to_name.back() == '.') t.to_name.pop_back();
    return true;
}

}  // namespace hopsim::sim::detail
