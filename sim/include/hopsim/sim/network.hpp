#pragma once
// What every device and medium shares during a run: the clock, the frame
// pool, the tracer, the counters and the scenario's random streams.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/parse_error.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/flow_ledger.hpp"
#include "hopsim/sim/frame_pool.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/stats.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

struct Network {
    explicit Network(const Scenario& s);

    const Scenario& sc;
    Engine engine;
    FramePool pool;
    Tracer tracer;
    std::vector<NodeStats> stats;
    FlowLedger flows;

    SimTime now() const { return engine.now(); }
    Rng stream(std::string_view key) const { return Rng(sc.seed, key); }
    std::uint64_t new_pkt() { return ++pkt_ids_; }
    std::uint64_t new_wire_id() { return ++wire_ids_; }

    // Counts a drop and traces it; releases nothing (the caller owns the frame).
    void drop(int node, int port, FrameRef f, Reason r, std::string_view detail = {});
    // A `malformed` drop, with the parser's located message as its detail.
    void drop_malformed(int node, int port, FrameRef f, const net::ParseError& e);
    // The node that owns an address ("B"), or the address itself.
    std::string node_name(net::Ipv4Address a) const;
    int node_of(net::Ipv4Address a) const;  // the node that owns an address, or -1
    // An address a node took or gave up during the run (a DHCP lease).
    void own(net::Ipv4Address a, int node) { ip_owner_[a] = node; }
    void disown(net::Ipv4Address a) { ip_owner_.erase(a); }

    // Counts a filtered frame (not-for-me, same-port) and traces it.
    void filter(int node, int port, FrameRef f, Reason r);
    // Counts a frame received at `node` (the caller traces it).
    void received(int node) {
        stats[static_cast<std::size_t>(node)].rx_frames++;
        last_packet = now();
    }

    // When a packet last arrived or died anywhere (a reception, a drop, a
    // datagram a host looped back to itself): the end of the traffic, which
    // idle timers (TIME_WAIT, ARP entries ageing) do not stretch.
    SimTime last_packet;

private:
    std::map<net::Ipv4Address, int> ip_owner_;
    std::uint64_t pkt_ids_ = 0;
    std::uint64_t wire_ids_ = 0;
};

}  // namespace hopsim::sim
