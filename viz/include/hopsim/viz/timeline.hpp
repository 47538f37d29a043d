#pragma once
// The viewer's index of one run: built once from the recorded trace, then
// asked about any instant t. Everything a picture shows is a pure function of
// (topology, trace, t), so stepping back costs what stepping forward costs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::viz {

// A frame's top protocol; None for events that carry no frame (a TCP state
// change, a table entry expiring).
enum class Proto : std::uint8_t { Arp, Icmp, Udp, Tcp, Raw, None };
const char* to_string(Proto p);
inline constexpr Proto kFrameProtos[] = {Proto::Arp, Proto::Icmp, Proto::Udp, Proto::Tcp, Proto::Raw};

// One frame on one wire: from the start of its transmission to the end of its reception.
struct Flight {
    std::int64_t start = 0, end = 0;
    std::int64_t full = 0;   // when it would have ended uncut: motion is paced by this
    bool cut = false;        // the sender stopped it (collision): only a fragment travels
    int link = -1;
    int from = -1, to = -1;  // nodes
    std::uint64_t frame = 0, pkt = 0;
    int event = -1;          // index of its tx event
    bool arrived = false;    // an rx ended it (else lost, damaged or cut by the end of the run)
    bool damaged = false;    // part of a collision
    Proto proto = Proto::Raw;
    std::string label;       // "ARP who-has 10.0.0.2", "TCP SYN", "ICMP echo seq=1"
};

// A table row as it stands at some instant, with when it last changed.
struct TableRow {
    std::string key, value;
    std::int64_t changed = 0;
};

// The initial sequence numbers seen in SYNs, by (source address, port,
// destination address, port): TCP labels count from them, as Wireshark's
// relative sequence numbers do.
using TcpIsns = std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>, std::uint32_t>;

// A table row's key as the viewer shows it: a VLAN-aware switch keeps one
// entry per VLAN ("02:..:01 vlan 10"), so the same MAC may be in two rows.
std::string table_key(const sim::RecordedEvent& e);

class Timeline {
public:
    Timeline(const sim::Scenario& sc, std::vector<sim::RecordedEvent> events);

    const sim::Scenario& scenario() const { return sc_; }
    const std::vector<sim::RecordedEvent>& events() const { return events_; }
    const std::vector<Flight>& flights() const { return flights_; }
    std::int64_t end_time() const { return end_; }

    std::vector<const Flight*> in_flight(std::int64_t t) const;
    // The next/previous instant at which an event happens (t itself excluded).
    std::int64_t next_event(std::int64_t t) const;
    std::int64_t prev_event(std::int64_t t) const;
    // Index of the last event at or before t, or -1.
    int last_event_at(std::int64_t t) const;
    // A node's MAC / ARP / route table at t, ordered by key.
    std::vector<TableRow> table_at(int node, sim::Table table, std::int64_t t) const;
    // A spanning-tree port's last state event at or before t (null: none yet, or no STP).
    const sim::RecordedEvent* stp_state_at(int node, int port, std::int64_t t) const;
    // A DHCP host at t: "10.0.0.100 (DHCP)" while it holds a lease, else
    // "DHCP: selecting" (its client's state); empty before its client starts.
    std::string dhcp_at(int node, std::int64_t t) const;
    // Frames each node has received up to t.
    std::uint64_t frames_received(int node, std::int64_t t) const;
    // Frames waiting at t to go out of a node onto a link (its queue, or an
    // ARP answer): sent, forwarded or flooded already, not yet on the wire.
    struct Queue {
        int node = -1, link = -1;
        int frames = 0;
    };
    std::vector<Queue> queues_at(std::int64_t t) const;
    // Collisions at a hub within `window` before t (for the flash).
    bool collision_near(int node, std::int64_t t, std::int64_t window) const;

    // The event list: indexes of the events about `p` (every event when nullopt), in time order.
    const std::vector<int>& events_about(std::optional<Proto> p) const;
    Proto proto_of(int event) const { return proto_[static_cast<std::size_t>(event)]; }
    // One line for the event list: "S1 flood ARP who-has 10.0.0.2".
    std::string describe(int event) const;

private:
    const sim::Scenario& sc_;
    std::vector<sim::RecordedEvent> events_;  // in time order, as traced
    std::vector<Flight> flights_;             // ordered by start
    std::int64_t longest_ = 0, end_ = 0;
    std::vector<std::vector<std::int64_t>> rx_times_;         // per node
    std::vector<std::vector<std::int64_t>> collision_times_;  // per node
    std::vector<std::vector<int>> table_events_;              // per node: its learn/expire events
    std::vector<std::vector<int>> stp_events_;                // per node: its spanning-tree port state events
    std::vector<std::vector<int>> dhcp_events_;               // per node: its DHCP client's state events
    std::vector<Proto> proto_;                                // per event
    std::vector<std::vector<int>> about_;                     // per Proto: events; the last is every event
    TcpIsns isns_;
    struct Wait {
        std::int64_t ready = 0, leave = 0;
        int node = -1, link = -1;
    };
    std::vector<Wait> waits_;  // ordered by ready
    std::int64_t longest_wait_ = 0;
};

// Protocol and a short label of a frame, from its bytes: "ARP who-has
// 10.0.0.2", "ICMP echo seq=1", "TCP SYN", "TCP 1460B seq=2921", "TCP ACK 4381".
Proto classify(const std::vector<std::uint8_t>& frame, std::string& label, const TcpIsns* isns = nullptr);

}  // namespace hopsim::viz
