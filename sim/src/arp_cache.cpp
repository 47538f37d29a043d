#include "hopsim/sim/arp_cache.hpp"

namespace hopsim::sim {

ArpCache::Update ArpCache::learn(net::Ipv4Address ip, net::MacAddress mac, SimTime now) {
    auto [it, fresh] = table_.try_emplace(ip, Value{mac, now});
    if (fresh) return {true, std::nullopt};
    Value& v = it->second;
    const bool alive = now - v.confirmed <= lifetime_;
    const net::MacAddress old = v.mac;
    v = {mac, now};
    if (alive && old == mac) return {};
    return {true, alive ? std::optional(old) : std::nullopt};
}

bool ArpCache::contains(net::Ipv4Address ip, SimTime now) const {
    auto it = table_.find(ip);
    return it != table_.end() && now - it->second.confirmed <= lifetime_;
}

ArpCache::Lookup ArpCache::lookup(net::Ipv4Address ip, SimTime now) {
    auto it = table_.find(ip);
    if (it == table_.end()) return {};
    if (now - it->second.confirmed > lifetime_) {
        const net::MacAddress old = it->second.mac;
        table_.erase(it);
        return {std::nullopt, old};
    }
    return {it->second.mac, std::nullopt};
}

std::vector<ArpCache::Entry> ArpCache::entries() const {
    std::vector<Entry> out;
    out.reserve(table_.size());
    for (const auto& [ip, v] : table_) out.push_back({ip, v.mac});
    return out;
}

}  // namespace hopsim::sim
