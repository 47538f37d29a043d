#include "hopsim/sim/flow_ledger.hpp"

#include <algorithm>

namespace hopsim::sim {

std::uint64_t FlowStats::dropped(Reason r) const {
    std::uint64_t n = 0;
    for (const FlowDrop& d : drops)
        if (d.reason == r) n += d.count;
    return n;
}

bool flow_intact(const TrafficSpec& t, const FlowStats& f) {
    if (f.mismatched || f.sent_packets == 0) return false;
    switch (t.kind) {
        case TrafficKind::Frame: return f.delivered_packets > 0;
        case TrafficKind::Tcp: return f.delivered_bytes == f.sent_bytes && (!t.echo || f.echoed_bytes == f.sent_bytes);
        case TrafficKind::Traceroute:
            return std::any_of(f.hops.begin(), f.hops.end(), [](const TraceHop& h) { return h.reached; });
        case TrafficKind::Ping:
        case TrafficKind::Udp: break;
    }
    return f.delivered_packets == f.sent_packets && f.delivered_bytes == f.sent_bytes;
}

std::optional<double> flow_goodput_bps(const FlowStats& f) {
    if (!f.delivered_bytes || f.first_send == SimTime::max() || f.last_deliver <= f.first_send) return std::nullopt;
    const double secs = static_cast<double>((f.last_deliver - f.first_send).count()) / 1e9;
    return static_cast<double>(f.delivered_bytes) * 8 / secs;
}

void FlowLedger::sent(int flow, std::size_t bytes, SimTime now) {
    FlowStats& f = at(flow);
    f.sent_packets++;
    f.sent_bytes += bytes;
    f.first_send = std::min(f.first_send, now);
}

void FlowLedger::stream_opened(int flow, std::size_t bytes, SimTime now) {
    FlowStats& f = at(flow);
    f.first_send = std::min(f.first_send, now);
    f.sent_bytes += bytes;
}


void FlowLedger::retransmitted(int flow, std::uint64_t segments) { at(flow).retransmissions += segments; }

void RttStats::add(SimTime rtt, std::uint8_t ttl) {
    count++;
    min = std::min(min, rtt);
    max = std::max(max, rtt);
    total += rtt;
    ttl_min = std::min(ttl_min, ttl);
    ttl_max = std::max(ttl_max, ttl);
}

std::size_t FlowLedger::delivered(int flow, net::Bytes data, SimTime now) {
    const TrafficSpec& t = spec(flow);
    FlowStats& f = at(flow);
    // Raw frames may arrive padded to the Ethernet minimum: compare the prefix.
    if (t.kind == TrafficKind::Frame && data.size() > t.payload.size()) data = data.first(t.payload.size());
    if (data.size() != t.payload.size() || !t.payload.matches(0, data)) f.mismatched = true;
    f.delivered_packets++;
    f.delivered_bytes += data.size();
    f.last_deliver = now;
    return data.size();
}

void FlowLedger::stream_delivered(int flow, std::uint64_t offset, net::Bytes data, SimTime now) {
    FlowStats& f = at(flow);
    // Byte k of the stream must be byte k of what the flow sent.
    if (!spec(flow).payload.matches(offset, data)) f.mismatched = true;
    f.delivered_bytes += data.size();
    f.delivered_packets++;
    f.last_deliver = now;
}

void FlowLedger::echoed(int flow, std::uint64_t offset, net::Bytes data) {
    FlowStats& f = at(flow);
    if (!spec(flow).payload.matches(offset, data)) f.mismatched = true;
    f.echoed_bytes += data.size();
}

void FlowLedger::echoed(int flow, std::uint64_t bytes, bool intact) {
    FlowStats& f = at(flow);
    if (!intact) f.mismatched = true;
    f.echoed_bytes += bytes;
}

void FlowLedger::probe_answered(int flow, const TraceHop& hop, SimTime now) {
    FlowStats& f = at(flow);
    f.delivered_packets++;
    f.last_deliver = now;
    f.hops.push_back(hop);
}

void FlowLedger::probe_unanswered(int flow, int ttl) { at(flow).hops.push_back({ttl, 0, SimTime(), false}); }

void FlowLedger::dropped(int flow, int node, Reason r) {
    std::vector<FlowDrop>& drops = at(flow).drops;
    for (auto d = drops.rbegin(); d != drops.rend(); ++d)  // newest first: a flow's drops come in runs
        if (d->node == node && d->reason == r) {
            d->count++;
            return;
        }
    drops.push_back({node, r, 1});
}

void FlowLedger::resolved(int flow, net::Ipv4Address address, int node) {
    at(flow).resolved = address;
    if (resolved_node_.empty()) resolved_node_.assign(flows_.size(), -1);
    resolved_node_[static_cast<std::size_t>(flow)] = node;
}

int FlowLedger::to_node(int flow) const {
    if (!resolved_node_.empty() && resolved_node_[static_cast<std::size_t>(flow)] >= 0)
        return resolved_node_[static_cast<std::size_t>(flow)];
    return spec(flow).to_node;
}

}  // namespace hopsim::sim
