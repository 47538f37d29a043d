#pragma once
// A learning switch's MAC address table with ageing. Time is an argument, so
// the table is testable without an engine. Entries age out `ageing` after the
// last frame from that address; an aged entry is removed when next consulted
// (lookup or expire_before), which is when the switch reports the `expire`.

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
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

    struct Lookup {
        std::optional<int> port;
        bool expired = false;  // an entry existed but had aged out (now removed)
        int expired_port = -1;
    };
    Lookup lookup(net::MacAddress mac, SimTime now);

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
    SimTime ageing_;
    std::map<net::MacAddress, Value> table_;
};

}  // namespace hopsim::sim
