#pragma once
// Private to sim: a flow's summary fields as JSON, written the same way by
// `run` (summary.cpp), `real` (real_replay.cpp) and `compare` (compare.cpp),
// so tools can diff them.

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim::detail {

using OrderedJson = nlohmann::ordered_json;

// "B:7", "10.99.0.1", "www.example.org:80", or the destination MAC of a raw frame.
inline std::string flow_to(const Scenario& sc, const TrafficSpec& t) {
    if (t.kind == TrafficKind::Frame) return t.dst_mac.to_string();
    std::string to = !t.to_name.empty() ? t.to_name
                     : t.to_node >= 0   ? sc.nodes[static_cast<std::size_t>(t.to_node)].id
                                        : t.to_ip.to_string();
    if (t.kind == TrafficKind::Udp || t.kind == TrafficKind::Tcp) to += fmt::format(":{}", t.to_port);
    return to;
}

// The counters of contract section 3, without the flow's identity.
inline OrderedJson flow_counters(const TrafficSpec& t, const FlowStats& f, bool intact) {
    OrderedJson j;
    j["sent_bytes"] = f.sent_bytes;
    j["delivered_bytes"] = f.delivered_bytes;
    j["sent_packets"] = f.sent_packets;
    j["delivered_packets"] = f.delivered_packets;
    j["intact"] = intact;
    j["retransmissions"] = f.retransmissions;
    if (t.kind == TrafficKind::Tcp) j["segments_sent"] = f.segments_sent;
    j["first_send_ns"] = f.first_send == SimTime::max() ? OrderedJson() : OrderedJson(f.first_send.count());
    j["last_deliver_ns"] = f.delivered_packets ? OrderedJson(f.last_deliver.count()) : OrderedJson();
    if (t.kind == TrafficKind::Tcp && t.echo) j["echoed_bytes"] = f.echoed_bytes;
    if (f.failure) j["failure"] = f.failure;
    return j;
}

// id, kind, from, to.
inline OrderedJson flow_identity(const Scenario& sc, const TrafficSpec& t) {
    OrderedJson j;
    j["id"] = t.id;
    j["kind"] = to_string(t.kind);
    j["from"] = sc.nodes[static_cast<std::size_t>(t.from)].id;
    j["to"] = flow_to(sc, t);
    return j;
}

// What some kinds add: a traceroute's hops, a ping's round trips and reply
// TTLs; a flow to a name or to a DHCP host, the address it went to.
inline void add_flow_details(const TrafficSpec& t, const FlowStats& f, OrderedJson& flow) {
    if (!t.to_name.empty() || t.to_lease) flow["resolved"] = f.resolved ? OrderedJson(f.resolved->to_string()) : OrderedJson();
    if (t.kind == TrafficKind::Traceroute) {
        OrderedJson hops = OrderedJson::array();
        for (const TraceHop& h : f.hops)
            hops.push_back({{"ttl", h.ttl},
                            {"from", h.from ? OrderedJson(net::Ipv4Address(h.from).to_string()) : OrderedJson()},
                            {"rtt_ns", h.from ? OrderedJson(h.rtt.count()) : OrderedJson()},
                            {"reached", h.reached}});
        flow["hops"] = std::move(hops);
    }
    if (t.kind == TrafficKind::Ping && f.rtt.count) {
        flow["rtt_min_ns"] = f.rtt.min.count();
        flow["rtt_avg_ns"] = f.rtt.avg().count();
        flow["rtt_max_ns"] = f.rtt.max.count();
        flow["reply_ttl_min"] = f.rtt.ttl_min;
        flow["reply_ttl_max"] = f.rtt.ttl_max;
    }
}

// The identity, then the counters.
inline OrderedJson flow_json(const Scenario& sc, const TrafficSpec& t, const FlowStats& f, bool intact) {
    OrderedJson j = flow_identity(sc, t);
    j.update(flow_counters(t, f, intact));
    return j;
}

}  // namespace hopsim::sim::detail
