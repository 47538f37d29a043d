#pragma once
// One ledger for every per-flow figure: what each traffic item sent, what
// arrived and whether it arrived intact, what was retransmitted, where and
// why its frames were dropped, and the round trips its replies measured.
// Applications report what they send and receive, the network reports each
// drop with its frame's flow; the summary, compare, real and the viewer only
// read it. The definitions of "intact" and of goodput live here, once.

#include <cstdint>
#include <optional>
#include <vector>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/stats.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

// One traceroute answer (or silence) for one probe.
struct TraceHop {
    int ttl = 0;
    std::uint32_t from = 0;  // IPv4 address of the responder; 0 = no reply in time ("*")
    SimTime rtt;
    bool reached = false;    // the destination itself answered
};

// Frames of one flow dropped at one node for one reason.
struct FlowDrop {
    int node = -1;
    Reason reason = Reason::Loss;
    std::uint64_t count = 0;
};

// Round trips measured by a flow's replies (ping's min/avg/max) and the
// TTL the replies arrived with (ping's "ttl=62": 64 less the routers on
// the way back).
struct RttStats {
    std::uint64_t count = 0;
    SimTime min = SimTime::max(), max, total;
    std::uint8_t ttl_min = 255, ttl_max = 0;
    void add(SimTime rtt, std::uint8_t ttl);
    SimTime avg() const { return count ? SimTime::ns(total.count() / static_cast<std::int64_t>(count)) : SimTime(); }
};

struct FlowStats {
    std::uint64_t sent_bytes = 0, delivered_bytes = 0;
    std::uint64_t sent_packets = 0, delivered_packets = 0;
    std::uint64_t retransmissions = 0;
    // tcp: every segment the connecting socket sent (SYN, data, ACKs, FIN,
    // retransmissions), as the kernel's tcpi_segs_out counts them;
    // sent_packets counts the data segments, first transmissions only.
    std::uint64_t segments_sent = 0;
    std::uint64_t echoed_bytes = 0;  // tcp with echo: bytes that came back to the sender
    SimTime first_send = SimTime::max(), last_deliver;  // max() = never
    bool mismatched = false;  // some delivered bytes differed from what was sent
    std::vector<TraceHop> hops;  // traceroute only
    RttStats rtt;                // ping: its echo replies
    std::vector<FlowDrop> drops;  // by node and reason, in the order first seen
    const char* failure = nullptr;  // how the flow failed as its application saw it ("connection refused")
    std::optional<net::Ipv4Address> resolved;  // "to" a name: the address the sender's resolver answered

    std::uint64_t dropped(Reason r) const;
};

// Whether a flow delivered everything it sent, unchanged (`run`, `real` and
// `compare` all ask this one function).
bool flow_intact(const TrafficSpec& t, const FlowStats& f);
// Delivered bits per second between the first send and the last delivery,
// or nothing when that span is empty.
std::optional<double> flow_goodput_bps(const FlowStats& f);

class FlowLedger {
public:
    explicit FlowLedger(const std::vector<TrafficSpec>& traffic) : traffic_(traffic), flows_(traffic.size()) {}

    std::size_t size() const { return flows_.size(); }
    const FlowStats& operator[](int flow) const { return flows_[static_cast<std::size_t>(flow)]; }
    const TrafficSpec& spec(int flow) const { return traffic_[static_cast<std::size_t>(flow)]; }
    bool intact(int flow) const { return flow_intact(spec(flow), (*this)[flow]); }

    // Sending side.
    void sent(int flow, std::size_t bytes, SimTime now);          // one datagram or frame
    void stream_opened(int flow, std::size_t bytes, SimTime now);  // a TCP flow's bytes, queued at once
    void segment_sent(int flow, std::uint64_t n = 1) { at(flow).sent_packets += n; }  // new TCP data segments
    void segments_out(int flow, std::uint64_t n = 1) { at(flow).segments_sent += n; }  // any TCP segment from the connecting side
    void retransmitted(int flow, std::uint64_t segments = 1);

    // Receiving side; each checks the bytes against what the flow sent.
    // A whole datagram or frame; returns the bytes counted (a raw frame's
    // padding to the Ethernet minimum is not).
    std::size_t delivered(int flow, net::Bytes data, SimTime now);
    void stream_delivered(int flow, std::uint64_t offset, net::Bytes data, SimTime now);
    void echoed(int flow, std::uint64_t offset, net::Bytes data);  // a TCP echo back at the sender
    // The same, counted by someone who checked the bytes itself (the real backend's client).
    void echoed(int flow, std::uint64_t bytes, bool intact);
    void round_trip(int flow, SimTime rtt, std::uint8_t ttl) { at(flow).rtt.add(rtt, ttl); }
    void probe_answered(int flow, const TraceHop& hop, SimTime now);
    void probe_unanswered(int flow, int ttl);
    void failed(int flow, const char* why) { at(flow).failure = why; }
    // "to" a name, looked up: where the flow goes from now on.
    void resolved(int flow, net::Ipv4Address address, int node);
    // The node a flow is addressed to (once resolved, for a name), or -1.
    int to_node(int flow) const;

    // The network: one of the flow's frames died at `node`.
    void dropped(int flow, int node, Reason r);

private:
    FlowStats& at(int flow) { return flows_[static_cast<std::size_t>(flow)]; }

    const std::vector<TrafficSpec>& traffic_;
    std::vector<FlowStats> flows_;
    std::vector<int> resolved_node_;  // by flow, once a name is looked up; empty until one is
};

}  // namespace hopsim::sim
