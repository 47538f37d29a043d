#pragma once
// A neighbour (ARP) cache, as hosts and routers keep one. Time is an argument.
// Entries live `lifetime` after their last confirmation by an ARP packet;
// Linux instead marks them STALE after ~30 s and re-probes by unicast, which
// hopsim simplifies to a fresh broadcast request once an entry has aged out.

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

class ArpCache {
public:
    explicit ArpCache(SimTime lifetime = SimTime::s(60)) : lifetime_(lifetime) {}

    struct Update {
        bool changed = false;  // new entry or a different MAC
        std::optional<net::MacAddress> old;
    };
    Update learn(net::Ipv4Address ip, net::MacAddress mac, SimTime now);
    bool contains(net::Ipv4Address ip, SimTime now) const;

    struct Lookup {
        std::optional<net::MacAddress> mac;
        std::optional<net::MacAddress> expired;  // an aged entry, now removed
    };
    Lookup lookup(net::Ipv4Address ip, SimTime now);

    struct Entry {
        net::Ipv4Address ip;
        net::MacAddress mac;
    };
    std::vector<Entry> entries() const;  // ordered by IP

private:
    struct Value {
        net::MacAddress mac;
        SimTime confirmed;
    };
    SimTime lifetime_;
    std::map<net::Ipv4Address, Value> table_;
};

}  // namespace hopsim::sim
