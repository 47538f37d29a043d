#include "hopsim/sim/host.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4_fragment.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

Host::Host(Network& net, int node, const NodeSpec& spec)
    : IpNode(net, node, spec), gateway_(spec.gateway), isn_rng_(net.stream(fmt::format("host {} tcp isn", node))) {}

Host::~Host() {
    while (!apps_.empty()) apps_.pop_back();
}

int Host::node_of(net::Ipv4Address a) const { return net_.node_of(a); }

Rng Host::rng(std::string_view key) const { return net_.stream(key); }

void Host::apply_lease(int port, const Lease& l) {
    ifaces_[static_cast<std::size_t>(port)].ip = l.address;
    gateway_ = l.gateway;
    lease_ = l;
    net_.own(l.address.address(), node_);
}

void Host::end_lease(int port) {
    if (lease_) net_.disown(lease_->address.address());
    ifaces_[static_cast<std::size_t>(port)].ip.reset();
    gateway_.reset();
    lease_.reset();
}

void Host::trace_state(std::string_view conn, std::string_view from, std::string_view to, std::string_view detail) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::State, node_);
    e.conn = conn;
    e.from_state = from;
    e.to_state = to;
    e.detail = detail;
    net_.tracer.emit(e);
}

Application& Host::add_application(std::unique_ptr<Application> app) {
    app->stack_slot = static_cast<std::uint32_t>(apps_.size());
    apps_.push_back(std::move(app));
    return *apps_.back();
}

void Host::start() {
    for (std::size_t i = 0; i < apps_.size(); ++i) apps_[i]->start();
}

SimTime Host::now() const { return net_.now(); }

FlowLedger& Host::ledger() { return net_.flows; }

void Host::set_timer(Application& app, SimTime at, std::uint64_t token) {
    net_.engine.schedule(at, this, kAppTimer, app.stack_slot, token);
}

void Host::on_timer(const Event& e) {
    if (e.kind == kAppTimer) return apps_[e.a]->on_timer(e.b);
    if (e.kind == kLoopback) {  // a datagram we sent ourselves arrives
        const auto f = static_cast<FrameRef>(e.b);
        net_.last_packet = net_.now();
        handle_ipv4(0, f, net_.pool.bytes(f).subspan(net::kEthernetHeaderLen));
        return net_.pool.release(f);
    }
    if (e.kind == kTcpTimer) {
        const Conn& k = conns_[e.a];
        if (e.b != k.timer_generation) return;  // re-armed or cancelled since
        Application* app = k.app;  // a callback may add connections
        k.tcp->on_timer(net_.now());
        app->on_tcp_progress(static_cast<SocketId>(e.a));
    }
}

// ---- sending ----------------------------------------------------------------

Host::Route Host::route(net::Ipv4Address dst) const {
    if (dst.is_broadcast()) return {0, dst};
    if (const int port = connected_port(dst); port >= 0) return {port, dst};
    if (gateway_) return {connected_port(*gateway_), *gateway_};
    return {-1, dst};
}

net::Ipv4Address Host::source_for(net::Ipv4Address dst) const {
    if (to_self(dst)) return dst;  // Linux: ping 127.0.0.1 comes from 127.0.0.1, ping of our own address from it
    const auto& ip = ifaces_[static_cast<std::size_t>(std::max(route(dst).port, 0))].ip;
    return ip ? ip->address() : net::Ipv4Address();
}

void Host::trace_send(FrameRef f, int flow, bool eth_dst_unresolved) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Send, node_, -1, 0, net_.pool.pkt(f), net_.pool.bytes(f));
    e.flow = flow;
    e.eth_dst_unresolved = eth_dst_unresolved;
    net_.tracer.emit(e);
}

void Host::send_ip(std::uint8_t proto, net::Ipv4Address dst, int ttl, net::Bytes l4, std::uint64_t pkt, int flow,
                   bool df, std::uint8_t tos) {
    const auto [port, next_hop] = route(dst);
    const int egress = std::max(port, 0);
    net::Ipv4Header h;
    h.id = next_ip_id_++;
    h.ttl = static_cast<std::uint8_t>(ttl);
    h.protocol = proto;
    h.dscp = static_cast<std::uint8_t>(tos >> 2);
    h.ecn = static_cast<std::uint8_t>(tos & 3);
    h.src = ifaces_[static_cast<std::size_t>(egress)].ip.value_or(net::Ipv4Prefix()).address();
    h.dst = dst;
    if (to_self(dst)) {  // the loopback interface: no ARP, no wire, no fragmenting
        h.src = dst;
        h.dont_fragment = df;
        const FrameRef f = build_ipv4(0, h, l4, pkt, flow);  // the loader keeps every datagram within 65,535 bytes
        trace_send(f, flow, true);
        return net_.engine.schedule(net_.now(), this, kLoopback, 0, f);
    }
    // Linux (IP_PMTUDISC_WANT): DF on what fits the path (the interface, or
    // less once a router said so), local fragmentation without DF for what does not.
    const int path = path_mtu(dst, egress);
    const bool fits = h.header_len() + l4.size() <= static_cast<std::size_t>(path);
    h.dont_fragment = df && fits;
    const FrameRef f = build_ipv4(egress, h, l4, pkt, flow);
    trace_send(f, flow, true);  // output() fills in the next hop's MAC
    if (port < 0) {
        net_.drop(node_, -1, f, Reason::NoRoute, fmt::format("no route to {} and no gateway", dst.to_string()));
        net_.pool.release(f);
        return;
    }
    if (fits) return output(port, next_hop, f);
    const auto datagram = net::Ipv4View::parse(net_.pool.bytes(f).subspan(net::kEthernetHeaderLen));
    for (const auto& piece : net::fragment_ipv4(*datagram, static_cast<std::size_t>(path))) {
        net::FrameBuilder b(piece);
        b.ethernet({net::MacAddress(), ifaces_[static_cast<std::size_t>(port)].mac, std::nullopt, net::kEtherTypeIpv4});
        output(port, next_hop, net_.pool.make(b.bytes(), pkt, flow));
    }
    net_.pool.release(f);
}

int Host::path_mtu(net::Ipv4Address dst, int egress) const {
    const auto it = path_mtu_.find(dst);
    return it == path_mtu_.end() ? mtu(egress) : std::min(it->second, mtu(egress));
}

// RFC 1191 as Linux does it (__ip_rt_update_pmtu): a "fragmentation needed"
// about a datagram we sent lowers the path MTU to that destination, never
// below 552 (net.ipv4.route.min_pmtu) and never up; the next datagrams are
// fragmented to fit. (Linux forgets it after 10 minutes; runs are shorter.)
void Host::learn_path_mtu(const net::IcmpView& icmp, net::Bytes quoted) {
    if (icmp.type() != net::kIcmpDestUnreachable || icmp.code() != net::kIcmpFragNeeded) return;
    if (quoted.size() < net::kIpv4MinHeaderLen || icmp.next_hop_mtu() == 0) return;
    const net::Ipv4Address src = net::Ipv4Address::load(quoted, net::ipv4_field::kSrc), dst = net::Ipv4Address::load(quoted, net::ipv4_field::kDst);
    if (!is_local(src)) return;
    const int mtu = std::max<int>(icmp.next_hop_mtu(), 552);
    auto [it, fresh] = path_mtu_.try_emplace(dst, mtu);
    if (!fresh) it->second = std::min(it->second, mtu);
}

std::uint16_t Host::ephemeral_port() {
    // One counter for UDP and TCP, as the scenario's order of applications
    // gives them out; a port something already listens on is skipped.
    while (udp_by_port_.count(next_port_) || tcp_ports_.count(next_port_)) ++next_port_;
    return next_port_++;
}

// ---- sockets ----------------------------------------------------------------

SocketId Host::udp_bind(Application& app, std::uint16_t port) {
    if (port == 0) port = ephemeral_port();
    const SocketId s = static_cast<SocketId>(udp_.size());
    if (!udp_by_port_.try_emplace(port, s).second) return kNoSocket;
    udp_.push_back({&app, port});
    return s;
}

void Host::udp_send(SocketId s, net::Ipv4Address dst, std::uint16_t port, net::Bytes data, const SendOptions& o) {
    const std::uint64_t pkt = net_.new_pkt();
    net::FrameBuilder b(l4_scratch_, data);
    b.udp({udp_port(s), port, 0}, source_for(dst), dst);
    send_ip(net::kIpProtoUdp, dst, o.ttl, b.bytes(), pkt, o.flow, o.df);
}

SocketId Host::icmp_open(Application& app, std::uint16_t id) {
    // Two sockets with one identifier (a host with over 65,535 ping flows)
    // both send; replies reach the first.
    const SocketId s = static_cast<SocketId>(icmp_.size());
    icmp_by_id_.try_emplace(id, s);
    icmp_.push_back({&app, id});
    return s;
}

void Host::icmp_echo(SocketId s, net::Ipv4Address dst, std::uint16_t seq, net::Bytes data, const SendOptions& o) {
    const std::uint64_t pkt = net_.new_pkt();
    net::FrameBuilder b(l4_scratch_, data);
    b.icmp(net::IcmpHeader::echo(net::kIcmpEchoRequest, icmp_[static_cast<std::size_t>(s)].id, seq));
    send_ip(net::kIpProtoIcmp, dst, o.ttl, b.bytes(), pkt, o.flow, o.df);
}

SocketId Host::packet_open(Application& app) {
    packet_ = &app;
    return 0;
}

void Host::frame_send(net::MacAddress dst, std::uint16_t ethertype, net::Bytes payload, int flow) {
    const std::uint64_t pkt = net_.new_pkt();
    net::FrameBuilder b(l4_scratch_, payload);
    b.ethernet({dst, ifaces_[0].mac, std::nullopt, ethertype});
    const FrameRef f = net_.pool.make(b.bytes(), pkt, flow);
    trace_send(f, flow, false);
    send(0, f);
}

void Host::trace_delivery(const Received& r, std::size_t n, std::string_view detail) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Deliver, node_, -1, 0, net_.pool.pkt(r.frame), net_.pool.bytes(r.frame));
    e.flow = r.flow;
    e.nbytes = n;
    e.detail = detail;
    net_.tracer.emit(e);
}

void Host::trace_stream_delivery(int flow, std::size_t n, std::string_view detail) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Deliver, node_);
    e.flow = flow;
    e.nbytes = n;
    e.detail = detail;
    net_.tracer.emit(e);
}

// ---- receiving --------------------------------------------------------------

void Host::on_frame(int port, FrameRef f) {
    const net::Bytes bytes = net_.pool.bytes(f);
    const auto eth = net::EthernetView::parse(bytes);
    if (!eth) return net_.drop_malformed(node_, port, f, eth.error());
    if (!accept(port, f, eth->dst())) return;
    switch (eth->ethertype()) {
        case net::kEtherTypeArp: return handle_arp(port, f);
        case net::kEtherTypeIpv4: return handle_ipv4(port, f, eth->payload());
        default: return handle_raw(port, f, *eth);
    }
}

void Host::handle_raw(int port, FrameRef f, const net::EthernetView& eth) {
    if (!packet_)
        return net_.drop(node_, port, f, Reason::NotModelled, fmt::format("EtherType 0x{:04x}", eth.ethertype()));
    Received r;
    r.frame = f;
    r.flow = net_.pool.flow(f);
    r.data = eth.payload();
    packet_->on_packet(r);
}

void Host::handle_ipv4(int port, FrameRef f, net::Bytes datagram) {
    const auto ip = net::Ipv4View::parse(datagram);
    if (!ip) return net_.drop_malformed(node_, port, f, ip.error());
    if (!ip->checksum_ok()) return net_.drop(node_, port, f, Reason::BadChecksum);
    const auto& mine = ifaces_[static_cast<std::size_t>(port)].ip;
    const bool broadcast = ip->dst().is_broadcast() || (mine && ip->dst() == mine->broadcast_address());
    if (!to_self(ip->dst()) && !broadcast) return net_.drop(node_, port, f, Reason::NotForMe, "hosts do not forward");
    if (!ip->is_fragment()) return dispatch(port, f, *ip);
    reassembler_.expire(net_.now().count());
    auto whole = reassembler_.add(*ip, net_.now().count());
    if (!whole) return;  // waiting for the other fragments
    dispatch(port, f, *net::Ipv4View::parse(*whole));
}

void Host::dispatch(int port, FrameRef f, const net::Ipv4View& ip) {
    switch (ip.protocol()) {
        case net::kIpProtoIcmp: return handle_icmp(port, f, ip);
        case net::kIpProtoUdp: return handle_udp(port, f, ip);
        case net::kIpProtoTcp: return handle_tcp(port, f, ip);
        default:
            return net_.drop(node_, port, f, Reason::NotModelled,
                             fmt::format("IP protocol {} has no handler yet", ip.protocol()));
    }
}

Received Host::received(FrameRef f, const net::Ipv4View& ip, net::Bytes data) const {
    Received r;
    r.frame = f;
    r.flow = net_.pool.flow(f);
    r.src = ip.src();
    r.dst = ip.dst();
    r.ttl = ip.ttl();
    r.data = data;
    return r;
}

void Host::handle_icmp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto icmp = net::IcmpView::parse(ip.payload());
    if (!icmp) return net_.drop_malformed(node_, port, f, icmp.error());
    if (!icmp->checksum_ok()) return net_.drop(node_, port, f, Reason::BadChecksum);
    if (icmp->type() == net::kIcmpEchoRequest && is_broadcast_for(ip.dst()))
        return net_.drop(node_, port, f, Reason::BroadcastIgnored,
                         "echo request to a broadcast address (Linux: icmp_echo_ignore_broadcasts = 1)");
    if (icmp->type() == net::kIcmpEchoRequest) {  // the kernel answers pings itself
        // Linux's icmp_reply: the request's TOS, and DF clear (a reply to a
        // ping that needed fragmenting must be able to come back).
        net::FrameBuilder b(l4_scratch_, icmp->body());
        b.icmp(net::IcmpHeader::echo(net::kIcmpEchoReply, icmp->id(), icmp->seq()));
        return send_ip(net::kIpProtoIcmp, ip.src(), 64, b.bytes(), net_.new_pkt(), net_.pool.flow(f), false,
                       static_cast<std::uint8_t>(ip.dscp() << 2 | ip.ecn()));
    }
    Received r = received(f, ip, icmp->body());
    r.type = icmp->type();
    r.code = icmp->code();
    if (icmp->type() == net::kIcmpEchoReply) {
        r.id = icmp->id();
        r.seq = icmp->seq();
        if (auto it = icmp_by_id_.find(r.id); it != icmp_by_id_.end())
            return icmp_[static_cast<std::size_t>(it->second)].app->on_echo_reply(it->second, r);
    } else if (icmp->is_error()) {
        return handle_icmp_error(f, ip, *icmp);
    }
    trace_delivery(r, r.data.size(), {});  // no socket wants it: delivered unread
}

void Host::handle_icmp_error(FrameRef f, const net::Ipv4View& ip, const net::IcmpView& icmp) {
    // The error quotes the offending datagram's IPv4 header and at least 8
    // bytes of its payload: the UDP ports or the ICMP echo's id and sequence
    // name the socket it is about.
    IcmpError e;
    e.from = ip.src();
    e.type = icmp.type();
    e.code = icmp.code();
    const net::Bytes q = icmp.body();
    learn_path_mtu(icmp, q);
    const std::size_t hl = q.empty() ? 0 : (q[0] & 0x0f) * 4u;
    bool taken = false;
    if (q.size() >= net::kIpv4MinHeaderLen + 8 && q.size() >= hl + 8) {
        if (q[net::ipv4_field::kProtocol] == net::kIpProtoUdp) {
            e.quoted_src_port = net::load16(q, hl);
            e.quoted_dst_port = net::load16(q, hl + 2);
            if (auto it = udp_by_port_.find(e.quoted_src_port); it != udp_by_port_.end())
                taken = udp_[static_cast<std::size_t>(it->second)].app->on_icmp_error(it->second, e);
        } else if (q[net::ipv4_field::kProtocol] == net::kIpProtoTcp) {
            taken = tcp_icmp_error(icmp, q, hl);
        } else if (q[net::ipv4_field::kProtocol] == net::kIpProtoIcmp) {
            e.quoted_id = net::load16(q, hl + 4);
            e.quoted_seq = net::load16(q, hl + 6);
            if (auto it = icmp_by_id_.find(e.quoted_id); it != icmp_by_id_.end())
                taken = icmp_[static_cast<std::size_t>(it->second)].app->on_icmp_error(it->second, e);
        }
    }
    // Otherwise it reaches the sending application as an error it does not read.
    if (!taken) trace_delivery(received(f, ip, q), q.size(), {});
}

void Host::handle_udp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto udp = net::UdpView::parse(ip.payload());
    if (!udp) return net_.drop_malformed(node_, port, f, udp.error());
    if (!net::transport_checksum_ok(udp->segment(), ip.src(), ip.dst(), net::kIpProtoUdp))
        return net_.drop(node_, port, f, Reason::BadChecksum);
    auto it = udp_by_port_.find(udp->dst_port());
    if (it == udp_by_port_.end()) {
        net_.drop(node_, port, f, Reason::PortUnreachable, fmt::format("nothing listens on UDP {}", udp->dst_port()));
        if (is_broadcast_for(ip.dst())) return;  // RFC 1122 3.2.2: no error about a broadcast
        return send_icmp_error(ip, net::kIcmpDestUnreachable, net::kIcmpPortUnreachable, net_.pool.flow(f));
    }
    Received r = received(f, ip, udp->payload());
    r.src_port = udp->src_port();
    r.dst_port = udp->dst_port();
    udp_[static_cast<std::size_t>(it->second)].app->on_datagram(it->second, r);
}

void Host::send_icmp_error(const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code, int flow) {
    // As much of the offending datagram as fits in 576 bytes, DF clear and
    // precedence "internetwork control", as Linux sends its errors.
    const std::size_t n = std::min<std::size_t>(net::kIcmpErrorMaxQuote, ip.total_length());
    net::FrameBuilder b(net::Bytes(ip.header().data(), n));  // the view spans the whole datagram
    b.icmp({type, code, 0});
    send_ip(net::kIpProtoIcmp, ip.src(), 64, b.bytes(), net_.new_pkt(), flow, false,
            net::icmp_error_tos(static_cast<std::uint8_t>(ip.dscp() << 2 | ip.ecn())));
}

}  // namespace hopsim::sim
