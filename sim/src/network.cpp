#include "hopsim/sim/network.hpp"

#include "hopsim/sim/device.hpp"

namespace hopsim::sim {

const char* to_string(Reason r) {
    switch (r) {
        case Reason::TtlExpired: return "ttl-expired";
        case Reason::NoRoute: return "no-route";
        case Reason::QueueFull: return "queue-full";
        case Reason::Loss: return "loss";
        case Reason::Collision: return "collision";
        case Reason::NotForMe: return "not-for-me";
        case Reason::SamePort: return "same-port";
        case Reason::ArpTimeout: return "arp-timeout";
        case Reason::ArpQueueFull: return "arp-queue-full";
        case Reason::BadChecksum: return "bad-checksum";
        case Reason::Malformed: return "malformed";
        case Reason::PortUnreachable: return "port-unreachable";
        case Reason::TooBig: return "too-big";
        case Reason::NoListener: return "no-listener";
        case Reason::NotModelled: return "not-modelled";
        case Reason::DirectedBroadcast: return "directed-broadcast";
        case Reason::BroadcastIgnored: return "broadcast-ignored";
        case Reason::VlanFiltered: return "vlan-filtered";
        case Reason::LinkDown: return "link-down";
        case Reason::StpBlocked: return "stp-blocked";
        case Reason::RipRejected: return "rip-rejected";
        case Reason::NatNoMapping: return "nat-no-mapping";
        case Reason::kCount: break;
    }
    return "?";
}

const char* to_string(Table t) {
    switch (t) {
        case Table::None: return "";
        case Table::Mac: return "mac";
        case Table::Arp: return "arp";
        case Table::Route: return "route";
        case Table::Stp: return "stp";
        case Table::Nat: return "nat";
    }
    return "?";
}

const char* to_string(Ev e) {
    switch (e) {
        case Ev::Send: return "send";
        case Ev::Tx: return "tx";
        case Ev::Rx: return "rx";
        case Ev::Flood: return "flood";
        case Ev::Forward: return "forward";
        case Ev::Filter: return "filter";
        case Ev::Learn: return "learn";
        case Ev::Expire: return "expire";
        case Ev::State: return "state";
        case Ev::Drop: return "drop";
        case Ev::Rewrite: return "rewrite";
        case Ev::Deliver: return "deliver";
        case Ev::Collision: return "collision";
        case Ev::Retransmit: return "retransmit";
        case Ev::Cwnd: return "cwnd";
    }
    return "?";
}

Network::Network(const Scenario& s) : sc(s), stats(s.nodes.size()), flows(s.traffic) {
    for (std::size_t n = 0; n < s.nodes.size(); ++n)
        for (const InterfaceSpec& i : s.nodes[n].interfaces)
            if (i.ip) ip_owner_.emplace(i.ip->address(), static_cast<int>(n));
}

int Network::node_of(net::Ipv4Address a) const {
    auto it = ip_owner_.find(a);
    return it == ip_owner_.end() ? -1 : it->second;
}

std::string Network::node_name(net::Ipv4Address a) const {
    auto it = ip_owner_.find(a);
    return it == ip_owner_.end() ? a.to_string() : sc.nodes[static_cast<std::size_t>(it->second)].id;
}

std::uint64_t NodeStats::total_drops() const {
    std::uint64_t n = 0;
    for (std::uint64_t d : drops) n += d;
    return n;
}

void Network::drop(int node, int port, FrameRef f, Reason r, std::string_view detail) {
    stats[static_cast<std::size_t>(node)].drops[static_cast<std::size_t>(r)]++;
    last_packet = now();
    if (const int flow = pool.flow(f); flow >= 0) flows.dropped(flow, node, r);
    if (!tracer.enabled()) return;
    TraceEvent e(now(), Ev::Drop, node, port, 0, pool.pkt(f), pool.bytes(f));
    e.reason = to_string(r);
    e.detail = detail;
    tracer.emit(e);
}

void Network::drop_malformed(int node, int port, FrameRef f, const net::ParseError& e) {
    drop(node, port, f, Reason::Malformed, tracer.enabled() ? e.message() : std::string());
}

void Network::filter(int node, int port, FrameRef f, Reason r) {
    stats[static_cast<std::size_t>(node)].filtered++;
    if (!tracer.enabled()) return;
    TraceEvent e(now(), Ev::Filter, node, port, 0, pool.pkt(f), pool.bytes(f));
    e.reason = to_string(r);
    tracer.emit(e);
}

}  // namespace hopsim::sim
