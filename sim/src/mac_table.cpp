#include "hopsim/sim/mac_table.hpp"

namespace hopsim::sim {

MacTable::Learned MacTable::learn(net::MacAddress mac, int port, SimTime now) {
    auto [it, fresh] = table_.try_emplace(mac, Value{port, now});
    if (fresh) {
        expiry_.add(now + ageing_, mac);
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

std::optional<int> MacTable::lookup(net::MacAddress mac, SimTime now) const {
    auto it = table_.find(mac);
    if (it == table_.end() || dead(it->second, now)) return std::nullopt;
    return it->second.port;
}

std::vector<MacTable::Entry> MacTable::entries() const {
    std::vector<Entry> out;
    out.reserve(table_.size());
    for (const auto& [mac, v] : table_) out.push_back({mac, v.port, v.last_seen});
    return out;
}

}  // namespace hopsim::sim
