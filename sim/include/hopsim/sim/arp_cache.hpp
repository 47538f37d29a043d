#pragma once
// A neighbour (ARP) cache, as hosts and routers keep one. Time is an argument.
// Entries live `lifetime` after their last confirmation by an ARP packet;
// Linux instead marks them STALE after ~30 s and re-probes by unicast, which
// hopsim simplifies to a fresh broadcast request once an entry has aged out.
// An entry dies at confirmed + lifetime; its node calls expire_due() then
// (next_expiry() says when), so the `expire` event has the very time.

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/expiry_queue.hpp"
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

    // The MAC of a live entry (a dead one not yet removed counts as none).
    std::optional<net::MacAddress> lookup(net::Ipv4Address ip, SimTime now) const;

    std::optional<SimTime> next_expiry() const { return expiry_.next(); }
    // Removes the entries dead at `now`, calling expired(ip, mac) for each.
    template <class F>
    void expire_due(SimTime now, F expired) {
        expiry_.expire_from(
            table_, now, [&](const Value& v) { return v.confirmed + lifetime_; },
            [&](net::Ipv4Address ip, const Value& v) { expired(ip, v.mac); });
    }

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
    bool alive(const Value& v, SimTime now) const { return now < v.confirmed + lifetime_; }
    SimTime lifetime_;
    std::map<net::Ipv4Address, Value> table_;
    ExpiryQueue<net::Ipv4Address> expiry_;
};

}  // namespace hopsim::sim
