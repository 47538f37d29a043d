#include "hopsim/sim/ip_node.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "hopsim/netstack/arp.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

namespace {
constexpr int kArpRequests = 3;                  // Linux mcast_solicit
constexpr SimTime kArpRetransmit = SimTime::s(1);  // Linux retrans_time_ms
constexpr std::size_t kArpQueueLimit = 100;
}  // namespace

IpNode::IpNode(Network& net, int node, const NodeSpec& spec)
    : Device(net, node, static_cast<int>(spec.interfaces.size())) {
    for (const InterfaceSpec& i : spec.interfaces) ifaces_.push_back({i.name, i.mac, i.ip, i.vlan, {}, i.dhcp_relay});
    end_vlans();
    for (std::size_t k = 0; k < spec.interfaces.size(); ++k)
        if (spec.interfaces[k].parent >= 0) bind_vlan(static_cast<int>(k), spec.interfaces[k].parent, spec.interfaces[k].vlan);
}

void IpNode::on_event(const Event& e) {
    if (e.kind == kArpRetry) return retry(net::Ipv4Address(e.a), e.b);
    if (e.kind == kArpExpiry) {
        if (e.time != arp_expiry_at_) return;  // superseded by an earlier deadline
        arp_expiry_at_ = SimTime::max();
        expire_arp();
        return arm_arp_expiry();
    }
    on_timer(e);
}

void IpNode::expire_arp() {
    arp_.expire_due(net_.now(), [&](net::Ipv4Address ip, net::MacAddress mac) { trace_arp(Ev::Expire, ip, mac, std::nullopt); });
}

void IpNode::arm_arp_expiry() {
    const auto next = arp_.next_expiry();
    if (!next || *next >= arp_expiry_at_) return;
    arp_expiry_at_ = *next;
    net_.engine.schedule(*next, this, kArpExpiry);
}

bool IpNode::joined(int port, net::Ipv4Address group) const {
    const auto& g = ifaces_[static_cast<std::size_t>(port)].groups;
    return std::find(g.begin(), g.end(), group) != g.end();
}

bool IpNode::accept(int port, FrameRef f, net::MacAddress dst) {
    if (dst == ifaces_[static_cast<std::size_t>(port)].mac || dst.is_broadcast()) return true;
    for (const net::Ipv4Address g : ifaces_[static_cast<std::size_t>(port)].groups)
        if (dst == net::MacAddress::for_group(g)) return true;
    net_.filter(node_, port, f, Reason::NotForMe);
    return false;
}

bool IpNode::is_local(net::Ipv4Address a) const {
    for (const Iface& i : ifaces_)
        if (i.ip && i.ip->address() == a) return true;
    return false;
}

bool IpNode::is_broadcast_for(net::Ipv4Address a) const {
    if (a.is_broadcast()) return true;
    for (const Iface& i : ifaces_)
        if (i.ip && i.ip->length() < 31 && i.ip->broadcast_address() == a) return true;
    return false;
}

int IpNode::connected_port(net::Ipv4Address a) const {
    for (std::size_t p = 0; p < ifaces_.size(); ++p)
        if (ifaces_[p].ip && ifaces_[p].ip->contains(a)) return static_cast<int>(p);
    return -1;
}

FrameRef IpNode::build_ipv4(int port, const net::Ipv4Header& h, net::Bytes l4, std::uint64_t pkt, int flow) {
    net::FrameBuilder b(frame_scratch_, l4);
    b.ipv4(h);
    b.ethernet({net::MacAddress(), ifaces_[static_cast<std::size_t>(port)].mac, std::nullopt, net::kEtherTypeIpv4});
    return net_.pool.make(b.bytes(), pkt, flow);
}

void IpNode::trace_arp(Ev ev, net::Ipv4Address ip, net::MacAddress mac, std::optional<net::MacAddress> old) {
    if (!net_.tracer.enabled()) return;
    const std::string key = ip.to_string(), value = mac.to_string(), was = old ? old->to_string() : "";
    TraceEvent e(net_.now(), ev, node_);
    e.table = Table::Arp;
    e.key = key;
    e.value = value;
    e.old = was;
    net_.tracer.emit(e);
}

void IpNode::send_with_mac(int port, net::MacAddress mac, FrameRef f) {
    mac.store(net_.pool.mutable_bytes(f), net::eth_field::kDst);
    before_send(port, f);
    send(port, f);
}

void IpNode::output(int port, net::Ipv4Address next_hop, FrameRef f) {
    const SimTime now = net_.now();
    if (next_hop.is_broadcast() || (ifaces_[static_cast<std::size_t>(port)].ip &&
                                    next_hop == ifaces_[static_cast<std::size_t>(port)].ip->broadcast_address()))
        return send_with_mac(port, net::MacAddress::broadcast(), f);
    if (next_hop.is_multicast()) return send_with_mac(port, net::MacAddress::for_group(next_hop), f);
    if (arp_expiry_at_ <= now) expire_arp();  // a deadline at this very instant goes first
    if (const auto mac = arp_.lookup(next_hop, now)) return send_with_mac(port, *mac, f);

    auto [it, fresh] = resolving_.try_emplace(next_hop);
    Resolution& r = it->second;
    if (r.waiting.size() >= kArpQueueLimit) {
        net_.drop(node_, port, r.waiting.front(), Reason::ArpQueueFull);
        net_.pool.release(r.waiting.front());
        r.waiting.erase(r.waiting.begin());
    }
    r.waiting.push_back(f);
    if (fresh) {
        r.port = port;
        r.generation = ++generations_;
        send_request(next_hop, r);
    }
}

void IpNode::send_request(net::Ipv4Address target, Resolution& r) {
    const Iface& i = ifaces_[static_cast<std::size_t>(r.port)];
    net::FrameBuilder b;
    b.arp({net::kArpRequest, i.mac, i.ip ? i.ip->address() : net::Ipv4Address(), net::MacAddress(), target});
    b.ethernet({net::MacAddress::broadcast(), i.mac, std::nullopt, net::kEtherTypeArp});
    r.requests++;
    const FrameRef f = net_.pool.make(b.bytes(), net_.new_pkt());
    if (net_.tracer.enabled()) {
        const std::string detail = fmt::format("who-has {} (request {} of {})", target.to_string(), r.requests, kArpRequests);
        TraceEvent e(net_.now(), Ev::Send, node_, r.port, 0,
                     net_.pool.pkt(f), net_.pool.bytes(f));
        e.detail = detail;
        net_.tracer.emit(e);
    }
    send(r.port, f);
    net_.engine.schedule_in(kArpRetransmit, this, kArpRetry, target.to_u32(), r.generation);
}

void IpNode::retry(net::Ipv4Address target, std::uint64_t generation) {
    auto it = resolving_.find(target);
    if (it == resolving_.end() || it->second.generation != generation) return;  // answered meanwhile
    Resolution& r = it->second;
    if (r.requests < kArpRequests) return send_request(target, r);
    const std::string detail = fmt::format("no ARP reply from {} after {} requests", target.to_string(), r.requests);
    for (FrameRef f : r.waiting) {
        net_.drop(node_, r.port, f, Reason::ArpTimeout, detail);
        unresolved(f);
        net_.pool.release(f);
    }
    resolving_.erase(it);
}

void IpNode::resolved(net::Ipv4Address ip, net::MacAddress mac) {
    auto it = resolving_.find(ip);
    if (it == resolving_.end()) return;
    Resolution r = std::move(it->second);
    resolving_.erase(it);
    for (FrameRef f : r.waiting) send_with_mac(r.port, mac, f);
}

void IpNode::handle_arp(int port, FrameRef f) {
    const net::Bytes bytes = net_.pool.bytes(f);
    const auto eth = net::EthernetView::parse(bytes);
    const auto arp = eth ? net::ArpView::parse(eth->payload()) : Unexpected<net::ParseError>{eth.error()};
    if (!arp) return net_.drop_malformed(node_, port, f, arp.error());
    const Iface& me = ifaces_[static_cast<std::size_t>(port)];
    const SimTime now = net_.now();
    const bool for_me = me.ip && arp->tpa() == me.ip->address();
    if (arp_expiry_at_ <= now) expire_arp();

    // RFC 826's merge: refresh an entry we hold; create one only if the packet is for us.
    if (!arp->spa().is_unspecified() && (for_me || arp_.contains(arp->spa(), now))) {
        const auto u = arp_.learn(arp->spa(), arp->sha(), now);
        if (u.changed) trace_arp(Ev::Learn, arp->spa(), arp->sha(), u.old);
        arm_arp_expiry();
        resolved(arp->spa(), arp->sha());
    }
    if (!for_me) return net_.filter(node_, port, f, Reason::NotForMe);
    if (arp->oper() != net::kArpRequest) return;

    net::FrameBuilder b;
    b.arp({net::kArpReply, me.mac, me.ip->address(), arp->sha(), arp->spa()});
    b.ethernet({arp->sha(), me.mac, std::nullopt, net::kEtherTypeArp});
    const FrameRef reply = net_.pool.make(b.bytes(), net_.new_pkt());
    if (net_.tracer.enabled()) {
        const std::string detail = fmt::format("{} is-at {}", me.ip->address().to_string(), me.mac.to_string());
        TraceEvent e(now, Ev::Send, node_, port, 0,
                     net_.pool.pkt(reply), net_.pool.bytes(reply));
        e.detail = detail;
        net_.tracer.emit(e);
    }
    send(port, reply);
}

}  // namespace hopsim::sim
