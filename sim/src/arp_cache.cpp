#include "hopsim/sim/arp_cache.hpp"

namespace hopsim::sim {

ArpCache::Update ArpCache::learn(net::Ipv4Address ip, net::MacAddress mac, SimTime now) {
    auto [it, fresh] = table_.try_emplace(ip, Value{mac, now});
    if (fresh) {
        expiry_.add(now + lifetime_, ip);
        return {true, std::nullopt};
    }
    Value& v = it->second;
    const bool was_alive = alive(v, now);
    const net::MacAddress old = v.mac;
    v = {mac, now};
    if (was_alive && old == mac) return {};
    return {true, was_alive ? std::optional(old) : std::nullopt};
}

bool ArpCache::contains(net::Ipv4Address ip, SimTime now) const {
    auto it = table_.find(ip);
    return it != table_.end() && alive(it->second, now);
}

std::optional<net::MacAddress> ArpCache::lookup(net::Ipv4Address ip, SimTime now) const {
    auto it = table_.find(ip);
    if (it == table_.end() || !alive(it->second, now)) return std::nullopt;
    return it->second.mac;
}

std::vector<ArpCache::Entry> ArpCache::entries() const {
    std::vector<Entry> out;
    out.reserve(table_.size());
    for (const auto& [ip, v] : table_) out.push_back({ip, v.mac});
    return out;
}

}  // namespace hopsim::sim
