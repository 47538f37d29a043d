#include "hopsim/sim/mac_table.hpp"

namespace hopsim::sim {

MacTable::Learned MacTable::learn(net::MacAddress mac, int port, SimTime now) {
    auto [it, fresh] = table_.try_emplace(mac, Value{port, now});
    if (fresh) return {true, std::nullopt};
    Value& v = it->second;
    const bool aged = now - v.last_seen > ageing_;
    const int old = v.port;
    v.last_seen = now;
    if (old == port && !aged) return {};
    v.port = port;
    if (aged) return {true, std::nullopt};  // the old entry had already died
    return {true, old};
}

MacTable::Lookup MacTable::lookup(net::MacAddress mac, SimTime now) {
    auto it = table_.find(mac);
    if (it == table_.end()) return {};
    if (now - it->second.last_seen > ageing_) {
        const int port = it->second.port;
        table_.erase(it);
        return {std::nullopt, true, port};
    }
    return {it->second.port, false, -1};
}

std::vector<MacTable::Entry> MacTable::entries() const {
    std::vector<Entry> out;
    out.reserve(table_.size());
    for (const auto& [mac, v] : table_) out.push_back({mac, v.port, v.last_seen});
    return out;
}

}  // namespace hopsim::sim
