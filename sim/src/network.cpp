#include "hopsim/sim/network.hpp"

#include <fmt/core.h>

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/protocols.hpp"
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

void Device::bind_vlan(int port, int parent, std::uint16_t vid) {
    auto& b = ports_[static_cast<std::size_t>(port)];
    b.parent = parent;
    b.vlan = vid;
    ends_vlans_ = true;
}

void Device::receive(int port, FrameRef f) {
    const net::Bytes bytes = net_.pool.bytes(f);
    const bool tagged = ends_vlans_ && bytes.size() >= net::kEthernetHeaderLen + net::kVlanTagLen &&
                        net::load16(bytes, net::eth_field::kType) == net::kEtherTypeVlan;
    if (!tagged) return on_frame(port, f);
    // A tagged frame goes to the subinterface of its VLAN, untagged, as
    // Linux's vlan driver hands it up; VLAN 0 (priority only) to the port itself.
    const auto vid = static_cast<std::uint16_t>(net::load16(bytes, net::eth_field::kVlanTci) & 0x0fff);
    int to = vid == 0 ? port : -1;
    for (std::size_t k = 0; k < ports_.size() && to < 0; ++k)
        if (ports_[k].parent == port && ports_[k].vlan == vid) to = static_cast<int>(k);
    if (to < 0) return net_.drop(node_, port, f, Reason::VlanFiltered, fmt::format("no subinterface for VLAN {}", vid));
    net::MutableBytes out;
    const FrameRef g = net_.pool.make_uninitialised(net::retagged_size(bytes, false), net_.pool.pkt(f), net_.pool.flow(f), out);
    net::retag(net_.pool.bytes(f), std::nullopt, out);
    on_frame(to, g);
    net_.pool.release(g);
}

void Device::send(int port, FrameRef f) {
    if (const auto& sub = ports_[static_cast<std::size_t>(port)]; sub.parent >= 0) {
        net::MutableBytes out;
        const net::Bytes in = net_.pool.bytes(f);
        const FrameRef g = net_.pool.make_uninitialised(net::retagged_size(in, true), net_.pool.pkt(f), net_.pool.flow(f), out);
        net::retag(net_.pool.bytes(f), net::VlanTag{0, false, sub.vlan}, out);
        net_.pool.release(f);
        f = g;
        port = sub.parent;
    }
    const auto& b = ports_[static_cast<std::size_t>(port)];
    if (!b.medium) {  // an unlinked interface: the frame goes nowhere
        net_.drop(node_, port, f, Reason::NoRoute, "interface has no link");
        net_.pool.release(f);
        return;
    }
    b.medium->transmit(b.side, f);
}

}  // namespace hopsim::sim
