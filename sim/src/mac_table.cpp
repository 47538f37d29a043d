#include "hopsim/sim/mac_table.hpp"

namespace hopsim::sim {

MacTable::Learned MacTable::learn(net::MacAddress mac, int port, SimTime now, std::uint16_t vid) {
    const MacKey key{vid, mac};
    auto [it, fresh] = table_.try_emplace(key, Value{port, now});
    if (fresh) {
        expiry_.add(now + ageing_, key);
        return {true, std::nullopt};
    }
    Value& v = it->second;
    const bool aged = dead(v, now);  // dead, but not yet removed by expire_due
    const int old = v.port;
    v.last_seen = now;
    if (old == port && !aged) return {};
    v.port = port;
    if (aged) return {true, std::nullopt};  // the old entry had already died
    return {true, old};
}

std::optional<int> MacTable::lookup(net::MacAddress mac, SimTime now, std::uint16_t vid) const {
    auto it = table_.find(MacKey{vid, mac});
    if (it == table_.end() || dead(it->second, now)) return std::nullopt;
    return it->second.port;
}

void MacTable::set_ageing(SimTime ageing) {
    // Shorter: every entry's deadline moves earlier than its heap node says,
    // so each gets a node at its new one. Longer: old nodes find later
    // deadlines when they come up and re-queue themselves.
    if (ageing < ageing_)
        for (const auto& [k, v] : table_) expiry_.add(v.last_seen + ageing, k);
    ageing_ = ageing;
}

std::vector<MacTable::Entry> MacTable::entries() const {
    std::vector<Entry> out;
    out.reserve(table_.size());
    for (const auto& [k, v] : table_) out.push_back({k.mac, v.port, v.last_seen, k.vid});
    return out;
}

}  // namespace hopsim::sim
