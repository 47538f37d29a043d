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

class MacTable {
public:
    explicit MacTable(SimTime ageing) : ageing_(ageing) {}

    struct Learned {
        bool changed = false;         // new entry or moved port
        std::optional<int> old_port;  // the port it moved from
    };
    Learned learn(net::MacAddress mac, int port, SimTime now);

    // The port of a live entry (a dead one not yet removed counts as none).
    std::optional<int> lookup(net::MacAddress mac, SimTime now) const;

    // The next instant an entry may die, if any entry can.
    std::optional<SimTime> next_expiry() const { return expiry_.next(); }
    // Removes the entries dead at `now`, calling expired(mac, port) for each.
    template <class F>
    void expire_due(SimTime now, F expired) {
        expiry_.expire_from(
            table_, now, [&](const Value& v) { return v.last_seen + ageing_; },
            [&](net::MacAddress mac, const Value& v) { expired(mac, v.port); });
    }

    struct Entry {
        net::MacAddress mac;
        int port;
        SimTime last_seen;
    };
    // Ordered by MAC, so output is deterministic.
    std::vector<Entry> entries() const;
    std::size_t size() const { return table_.size(); }

private:
    struct Value {
        int port;
        SimTime last_seen;
    };
    bool dead(const Value& v, SimTime now) const { return v.last_seen + ageing_ <= now; }
    SimTime ageing_;
    std::map<net::MacAddress, Value> table_;
    ExpiryQueue<net::MacAddress> expiry_;
};

}  // namespace hopsim::sim
