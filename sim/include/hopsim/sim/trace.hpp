#pragma once
// Devices report what happens to a tracer; sinks subscribe (JSONL file, pcap
// per link, the viewer's recorder). With no sink attached, reporting is one
// branch on an empty list: callers test enabled() before building an event.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/dissector.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

enum class Ev : std::uint8_t {
    Send, Tx, Rx, Flood, Forward, Filter, Learn, Expire, State, Drop, Rewrite, Deliver, Collision, Retransmit, Cwnd,
};
const char* to_string(Ev e);

// The tables learn and expire events change; printed "mac", "arp", "route", "nat".
// Stp names a switch's spanning tree, as expectations read it ("S3.stp").
enum class Table : std::uint8_t { None, Mac, Arp, Route, Stp, Nat };
const char* to_string(Table t);

// A field a router changed while forwarding ("ipv4.ttl" 64 -> 63). The
// values are held inline: a MAC's 17 characters are one more than a
// std::string holds without allocating, and this is built at every hop.
class FieldChange {
public:
    static constexpr std::size_t kMaxText = 23;
    FieldChange(const char* field_, std::string_view from, std::string_view to, bool numeric_ = false)
        : field(field_), numeric(numeric_) {
        from_len_ = copy(from, from_);
        to_len_ = copy(to, to_);
    }
    std::string_view from() const { return {from_, from_len_}; }
    std::string_view to() const { return {to_, to_len_}; }

    const char* field;
    bool numeric = false;  // print from/to as JSON numbers

private:
    static std::uint8_t copy(std::string_view s, char* out) {
        const std::size_t n = s.size() < kMaxText ? s.size() : kMaxText;
        for (std::size_t i = 0; i < n; ++i) out[i] = s[i];
        return static_cast<std::uint8_t>(n);
    }
    char from_[kMaxText], to_[kMaxText];
    std::uint8_t from_len_ = 0, to_len_ = 0;
};

// The change of `field` ("ipv4.ttl") among a rewrite's changes, or null.
inline const FieldChange* find_change(std::span<const FieldChange> changes, std::string_view field) {
    for (const FieldChange& c : changes)
        if (field == c.field) return &c;
    return nullptr;
}

// One event, borrowed for the duration of the call: views point into the
// caller's state. Unused members stay at their defaults and are not printed.
struct TraceEvent {
    TraceEvent(SimTime t_, Ev ev_, int node_ = -1, int port_ = -1, std::uint64_t frame_ = 0,
               std::uint64_t pkt_ = 0, net::Bytes bytes_ = {})
        : t(t_), ev(ev_), node(node_), port(port_), frame(frame_), pkt(pkt_), bytes(bytes_) {}

    SimTime t;
    Ev ev = Ev::Send;
    int node = -1;
    int port = -1;             // port index on `node`, -1 when none applies
    std::uint64_t frame = 0;   // one transmission onto one wire; 0 = none
    std::uint64_t pkt = 0;     // the unit a person follows hop by hop; 0 = none
    net::Bytes bytes;          // the frame's bytes, dissected into "layers"
    const char* reason = nullptr;  // drop / filter
    int link = -1;             // tx
    SimTime wire;              // tx: how long the frame occupies the wire
    Table table = Table::None;     // learn / expire
    std::string_view key, value, old;
    int flow = -1;             // deliver, send
    std::uint64_t nbytes = 0;  // deliver
    std::span<const FieldChange> changes;  // rewrite
    std::string_view detail;   // free text for people ("attempt 2, backing off 3 slots")
    std::string_view conn, from_state, to_state;  // state (TCP); conn also on retransmit, cwnd
    const char* role = nullptr;       // state of a spanning-tree port: root, designated, alternate
    std::uint16_t vlan = 0;           // learn/expire in a VLAN-aware switch's MAC table
    std::uint32_t seq = 0, len = 0;   // retransmit: the segment's sequence number and data bytes
    const char* cause = nullptr;      // retransmit: "rto", "fast", "partial-ack"
    SimTime rto;                      // retransmit after a timeout: the timer now armed
    std::uint32_t cwnd = 0, ssthresh = 0;  // cwnd (bytes)
    // send: the Ethernet destination is not known yet. An IP packet leaves
    // the stack before its next hop's MAC is filled in at output, from the
    // ARP cache or after an ARP exchange, so the bytes hold zeros there.
    bool eth_dst_unresolved = false;
};

// The layers a trace event shows: its bytes dissected, placeholders marked.
inline net::Dissection dissect_event(net::Bytes bytes, bool eth_dst_unresolved) {
    net::Dissection d = net::dissect(bytes);
    if (eth_dst_unresolved) d.mark_unknown("eth", "dst");
    return d;
}

class TraceSink {
public:
    virtual ~TraceSink() = default;
    virtual void on_event(const TraceEvent& e) = 0;
    virtual void finish() {}
};

class Tracer {
public:
    bool enabled() const { return !sinks_.empty(); }
    void add(TraceSink* s) { sinks_.push_back(s); }
    void emit(const TraceEvent& e) {
        for (TraceSink* s : sinks_) s->on_event(e);
    }
    void finish() {
        for (TraceSink* s : sinks_) s->finish();
    }

private:
    std::vector<TraceSink*> sinks_;
};

}  // namespace hopsim::sim
