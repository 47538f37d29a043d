#pragma once
// RIP version 2 (RFC 2453), the routing process of one router: it speaks
// on the interfaces the scenario names, learns routes from its neighbours'
// responses and gives them to its router's forwarding table.
//
// What it does, section by section of RFC 2453:
// - 3.9.1: at start, and when a link comes back, a request for the whole
//   table to 224.0.0.9; a whole-table request is answered with the whole
//   table (split horizon applied), a request for some entries with those.
// - 3.9.2: a response counts only from port 520 and a neighbour on the
//   interface's subnet; entries with a bad address, mask or metric are
//   skipped. Metric + 1 (every link costs 1), at most 16 = infinity. A new
//   route is taken; a better one replaces it; the next hop it came from is
//   believed whatever it says, so 16 from it withdraws the route.
// - 3.8: a response every `update` (30 s, offset by a random 1/6 either
//   way), routes not heard of for `timeout` (180 s) are withdrawn, and
//   withdrawn routes are advertised with 16 for `garbage` (120 s).
// - 3.10.1: a change is announced at once in a triggered update holding the
//   changed routes; the next waits 1/30 to 1/6 of `update`, gathering changes.
// - 3.4.3: split horizon with poisoned reverse by default (RipSpec).
// Connected networks of the interfaces RIP runs on are advertised with
// metric 1, as bird and FRR do; one whose link is down with 16. A link going
// down withdraws the routes learned through it at once (bird's "check link").
// Not modelled: authentication (such entries are skipped), RIPv1, the
// route tag's meaning, the heuristic of 3.9.2 for equal-metric routes.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/rip.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

// A route RIP holds: in the forwarding table while its metric is below 16.
struct RipRoute {
    net::Ipv4Prefix to;
    net::Ipv4Address via;
    int port = -1;
    std::uint32_t metric = net::kRipInfinity;
    SimTime timeout_at = SimTime::max();  // withdrawn then unless heard of again
    SimTime garbage_at = SimTime::max();  // withdrawn: forgotten then
    bool changed = false;                 // goes into the next triggered update
};

// What the RIP process needs of its router.
class RipHost {
public:
    enum Timer : std::uint32_t { kUpdate, kTriggered, kDeadline };
    virtual SimTime now() const = 0;
    virtual void rip_timer(SimTime at, Timer t, std::uint64_t generation) = 0;
    virtual bool rip_port_up(int port) const = 0;
    // A RIP message from UDP port 520 of the port's address to dst:dst_port.
    virtual void rip_send(int port, net::Ipv4Address dst, std::uint16_t dst_port, const net::RipMessage& m,
                          std::string_view what) = 0;
    // A route for the forwarding table, new or replacing the one to the same
    // network; `why` for the trace ("from 10.0.0.2").
    virtual void rip_install(const RipRoute& r, std::string_view why) = 0;
    virtual void rip_withdraw(const RipRoute& r, std::string_view why) = 0;
    // A message the process would not take ("from port 1234, not 520").
    virtual void rip_rejected(std::string_view why) = 0;

protected:
    ~RipHost() = default;
};

struct RipCounters {
    std::uint64_t requests_sent = 0, responses_sent = 0, triggered_updates = 0;
    std::uint64_t requests_received = 0, responses_received = 0, rejected = 0, bad_entries = 0;
    SimTime last_change;  // when the forwarding table last changed by RIP
};

class RipProcess {
public:
    struct Interface {
        std::string name;
        std::optional<net::Ipv4Prefix> ip;
        bool rip = false;
    };
    RipProcess(RipHost& host, const RipSpec& spec, const RipTimers& timers, std::vector<Interface> interfaces, Rng rng);

    void start();
    void on_timer(RipHost::Timer t, std::uint64_t generation);
    // A UDP datagram to port 520 that arrived on `port`.
    void receive(int port, net::Ipv4Address src, std::uint16_t src_port, net::Bytes payload);
    void link_changed(int port, bool up);

    const std::vector<RipRoute>& routes() const { return routes_; }
    const RipCounters& counters() const { return counters_; }

private:
    SimTime now() const { return host_.now(); }
    bool speaks_on(int port) const;
    void send_request(int port);
    void answer_request(int port, net::Ipv4Address src, std::uint16_t src_port, const net::RipView& v);
    void take_response(int port, net::Ipv4Address src, const net::RipView& v);
    bool take_entry(int port, net::Ipv4Address src, const net::RipEntry& e);  // true if something changed
    // Sends the table (or its changed routes) out of `port` to dst:dst_port.
    void output(int port, net::Ipv4Address dst, std::uint16_t dst_port, bool changed_only, std::string_view what);
    void send_update(bool changed_only);
    void trigger();
    void withdraw(RipRoute& r, std::string_view why);
    void arm_deadline();
    void expire();
    RipRoute* find(const net::Ipv4Prefix& to);
    bool is_connected(const net::Ipv4Prefix& to) const;
    SimTime jitter(SimTime lo, SimTime hi);

    RipHost& host_;
    RipSpec spec_;
    RipTimers timers_;
    std::vector<Interface> ifaces_;
    std::vector<bool> connected_changed_;  // a connected network's metric changed (its link went down or up)
    Rng rng_;
    std::vector<RipRoute> routes_;
    RipCounters counters_;
    bool holding_ = false;  // a triggered update went out; the next waits for kTriggered
    SimTime deadline_at_ = SimTime::max();
    std::uint64_t deadline_generation_ = 0;
};

}  // namespace hopsim::sim
