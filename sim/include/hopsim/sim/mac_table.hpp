#pragma once
// A learning switch's MAC address table with ageing. Time is an argument, so
// the table is testable without an engine. An entry dies `ageing` after the
// last frame from that address, at that instant (Linux's bridge: expired when
// updated + ageing <= now); the switch calls expire_due() at next_expiry(),
// and before it handles a frame, so the `expire` event has the very time.

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/expiry_queue.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

// Entries are per VLAN (IEEE 802.1Q's independent learning): the same MAC may
// sit on different ports in VLANs 10 and 20. A switch without VLANs uses 0.
struct MacKey {
    std::uint16_t vid = 0;
    net::MacAddress mac;
    auto operator<=>(const MacKey&) const = default;
    bool operator==(const MacKey&) const = default;
};

class MacTable {
public:
    explicit MacTable(SimTime ageing) : ageing_(ageing) {}
    // A new ageing time for every entry, from its last frame (a spanning-tree
    // topology change shortens it, its end restores it).
    void set_ageing(SimTime ageing);
    SimTime ageing() const { return ageing_; }

    struct Learned {
        bool changed = false;         // new entry or moved port
        std::optional<int> old_port;  // the port it moved from
    };
    Learned learn(net::MacAddress mac, int port, SimTime now, std::uint16_t vid = 0);

    // The port of a live entry (a dead one not yet removed counts as none).
    std::optional<int> lookup(net::MacAddress mac, SimTime now, std::uint16_t vid = 0) const;

    // The next instant an entry may die, if any entry can.
    std::optional<SimTime> next_expiry() const { return expiry_.next(); }
    // Removes the entries dead at `now`, calling expired(mac, port) for each.
    template <class F>
    void expire_due(SimTime now, F expired) {
        expiry_.expire_from(
            table_, now, [&](const Value& v) { return v.last_seen + ageing_; },
            [&](const MacKey& k, const Value& v) { expired(k.mac, v.port, k.vid); });
    }
    // Removes the entries for which keep(port, last_seen) is false, calling
    // removed(mac, port, vid) for each: a port leaving the tree, or the
    // short ageing of a spanning-tree topology change.
    template <class Keep, class F>
    void flush(Keep keep, F removed) {
        for (auto it = table_.begin(); it != table_.end();) {
            if (keep(it->second.port, it->second.last_seen)) {
                ++it;
                continue;
            }
            removed(it->first.mac, it->second.port, it->first.vid);
            it = table_.erase(it);  // its heap node finds nothing and is dropped
        }
    }

    struct Entry {
        net::MacAddress mac;
        int port;
        SimTime last_seen;
        std::uint16_t vid = 0;
    };
    // Ordered by VLAN, then MAC, so output is deterministic.
    std::vector<Entry> entries() const;
    std::size_t size() const { return table_.size(); }

private:
    struct Value {
        int port;
        SimTime last_seen;
    };
    bool dead(const Value& v, SimTime now) const { return v.last_seen + ageing_ <= now; }
    SimTime ageing_;
    std::map<MacKey, Value> table_;
    ExpiryQueue<MacKey> expiry_;
};

}  // namespace hopsim::sim
