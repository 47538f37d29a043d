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
    : IpNode(net, node, spec), gateway_(spec.gateway), isn_rng_(net.stream(fmt::format("host {} tcp isn", node))) {
    for (const ServiceSpec& s : spec.services) {
        if (s.kind == ServiceKind::UdpEcho) udp_[s.port] = {Listener::Echo, -1};
        else if (s.kind == ServiceKind::UdpSink) udp_[s.port] = {Listener::Sink, -1};
        else tcp_listen_[s.port] = s.kind;
    }
}

void Host::add_source(int flow) {
    Source s;
    s.flow = flow;
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(flow)];
    if (t.kind == TrafficKind::Udp) {
        s.sport = next_port_++;
        udp_.try_emplace(s.sport, Listener::Reply, flow);
    }
    if (t.kind == TrafficKind::Ping || t.kind == TrafficKind::Traceroute) s.ping_id = static_cast<std::uint16_t>(flow + 1);
    if (t.kind == TrafficKind::Traceroute || t.kind == TrafficKind::Tcp) s.sport = next_port_++;
    sources_.push_back(s);
}

void Host::add_udp_listener(std::uint16_t port, int flow) { udp_.try_emplace(port, Listener::FlowSink, flow); }

void Host::start() {
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(sources_[i].flow)];
        net_.engine.schedule(t.at, this, kTraffic, static_cast<std::uint32_t>(i), 0);
    }
}

void Host::on_timer(const Event& e) {
    if (e.kind == kTraffic) send_next(static_cast<int>(e.a), static_cast<int>(e.b));
    else if (e.kind == kProbeTimeout) probe_timeout(static_cast<int>(e.a), e.b);
    else if (e.kind == kTcpTimer) {
        Conn& k = conns_[e.a];
        if (e.b != k.timer_generation) return;  // re-armed or cancelled since
        k.tcp->on_timer(net_.now());
        tcp_progress(k);
    }
}

void Host::trace_send(FrameRef f, int flow, std::string_view detail) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Send, node_, -1, 0,
                 net_.pool.pkt(f), net_.pool.bytes(f));
    e.flow = flow;
    e.detail = detail;
    net_.tracer.emit(e);
}

void Host::send_next(int index, int repetition) {
    const Source& s = sources_[static_cast<std::size_t>(index)];
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(s.flow)];
    if (t.kind == TrafficKind::Traceroute) return send_probe(index);
    if (t.kind == TrafficKind::Tcp) return start_tcp(index);
    FlowStats& fs = net_.flows[static_cast<std::size_t>(s.flow)];
    fs.sent_packets++;
    fs.sent_bytes += t.payload.size();
    fs.first_send = std::min(fs.first_send, net_.now());
    const std::uint64_t pkt = net_.new_pkt();
    net::FrameBuilder b(l4_scratch_, t.payload.bytes());

    switch (t.kind) {
        case TrafficKind::Ping:
            b.icmp(net::IcmpHeader::echo(net::kIcmpEchoRequest, s.ping_id, static_cast<std::uint16_t>(repetition + 1)));
            send_ip(net::kIpProtoIcmp, t.to_ip, t.ttl, b.bytes(), pkt, s.flow, t.df);
            break;
        case TrafficKind::Udp: {
            b.udp({s.sport, t.to_port, 0}, source_for(t.to_ip), t.to_ip);
            send_ip(net::kIpProtoUdp, t.to_ip, t.ttl, b.bytes(), pkt, s.flow, t.df);
            break;
        }
        case TrafficKind::Frame: {
            b.ethernet({t.dst_mac, ifaces_[0].mac, std::nullopt, t.ethertype});
            const FrameRef f = net_.pool.make(b.bytes(), pkt, s.flow);
            trace_send(f, s.flow, "");
            send(0, f);
            break;
        }
        case TrafficKind::Tcp:
        case TrafficKind::Traceroute: break;  // started elsewhere
    }
    if (repetition + 1 < t.count)
        net_.engine.schedule_in(t.interval, this, kTraffic, static_cast<std::uint32_t>(index),
                                static_cast<std::uint64_t>(repetition + 1));
}

Host::Route Host::route(net::Ipv4Address dst) const {
    if (dst.is_broadcast()) return {0, dst};
    if (const int port = connected_port(dst); port >= 0) return {port, dst};
    if (gateway_) return {connected_port(*gateway_), *gateway_};
    return {-1, dst};
}

net::Ipv4Address Host::source_for(net::Ipv4Address dst) const {
    const auto& ip = ifaces_[static_cast<std::size_t>(std::max(route(dst).port, 0))].ip;
    return ip ? ip->address() : net::Ipv4Address();
}

void Host::send_ip(std::uint8_t proto, net::Ipv4Address dst, int ttl, net::Bytes l4, std::uint64_t pkt, int flow,
                   bool df) {
    const auto [port, next_hop] = route(dst);
    const int egress = std::max(port, 0);
    net::Ipv4Header h;
    h.id = next_ip_id_++;
    h.ttl = static_cast<std::uint8_t>(ttl);
    h.protocol = proto;
    h.src = ifaces_[static_cast<std::size_t>(egress)].ip.value_or(net::Ipv4Prefix()).address();
    h.dst = dst;
    // Linux (IP_PMTUDISC_WANT): DF on what fits the interface, local
    // fragmentation without DF for what does not.
    const bool fits = h.header_len() + l4.size() <= static_cast<std::size_t>(mtu(egress));
    h.dont_fragment = df && fits;
    const FrameRef f = build_ipv4(egress, h, l4, pkt, flow);
    trace_send(f, flow, "");
    if (port < 0) {
        net_.drop(node_, -1, f, Reason::NoRoute, fmt::format("no route to {} and no gateway", dst.to_string()));
        net_.pool.release(f);
        return;
    }
    if (fits) return output(port, next_hop, f);
    const auto datagram = net::Ipv4View::parse(net_.pool.bytes(f).subspan(net::kEthernetHeaderLen));
    for (const auto& piece : net::fragment_ipv4(*datagram, static_cast<std::size_t>(mtu(port)))) {
        net::FrameBuilder b(piece);
        b.ethernet({net::MacAddress(), ifaces_[static_cast<std::size_t>(port)].mac, std::nullopt, net::kEtherTypeIpv4});
        output(port, next_hop, net_.pool.make(b.bytes(), pkt, flow));
    }
    net_.pool.release(f);
}

void Host::on_frame(int port, FrameRef f) {
    const net::Bytes bytes = net_.pool.bytes(f);
    const auto eth = net::EthernetView::parse(bytes);
    if (!eth) return net_.drop(node_, port, f, Reason::Malformed);
    if (!accept(port, f, eth->dst())) return;
    switch (eth->ethertype()) {
        case net::kEtherTypeArp: return handle_arp(port, f);
        case net::kEtherTypeIpv4: return handle_ipv4(port, f, eth->payload());
        default: return handle_raw(port, f, eth->payload());
    }
}

void Host::handle_raw(int, FrameRef f, net::Bytes payload) {
    const int flow = net_.pool.flow(f);
    deliver(f, flow, payload, flow >= 0);
}

void Host::handle_ipv4(int port, FrameRef f, net::Bytes datagram) {
    const auto ip = net::Ipv4View::parse(datagram);
    if (!ip) return net_.drop(node_, port, f, Reason::Malformed);
    if (!ip->checksum_ok()) return net_.drop(node_, port, f, Reason::BadChecksum);
    const auto& mine = ifaces_[static_cast<std::size_t>(port)].ip;
    const bool broadcast = ip->dst().is_broadcast() || (mine && ip->dst() == mine->broadcast_address());
    if (!is_local(ip->dst()) && !broadcast) return net_.drop(node_, port, f, Reason::NotForMe, "hosts do not forward");
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

void Host::handle_icmp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto icmp = net::IcmpView::parse(ip.payload());
    if (!icmp) return net_.drop(node_, port, f, Reason::Malformed);
    if (!icmp->checksum_ok()) return net_.drop(node_, port, f, Reason::BadChecksum);
    const int flow = net_.pool.flow(f);
    if (icmp->type() == net::kIcmpEchoRequest) {
        net::FrameBuilder b(l4_scratch_, icmp->body());
        b.icmp(net::IcmpHeader::echo(net::kIcmpEchoReply, icmp->id(), icmp->seq()));
        return send_ip(net::kIpProtoIcmp, ip.src(), 64, b.bytes(), net_.new_pkt(), flow);
    }
    if (icmp->type() == net::kIcmpEchoReply) {
        const bool ours = flow >= 0 && net_.sc.traffic[static_cast<std::size_t>(flow)].from == node_;
        return deliver(f, flow, icmp->body(), ours);
    }
    if (const int src = probe_owner(*icmp); src >= 0) {
        const bool reached = icmp->type() == net::kIcmpEchoReply ||
                             (icmp->type() == net::kIcmpDestUnreachable && icmp->code() == net::kIcmpPortUnreachable);
        return probe_answered(src, ip.src(), reached);
    }
    if (icmp->type() == net::kIcmpEchoReply) {
        const bool ours = flow >= 0 && net_.sc.traffic[static_cast<std::size_t>(flow)].from == node_;
        return deliver(f, flow, icmp->body(), ours);
    }
    // Other errors (unreachable, time exceeded) reach the sending application.
    deliver(f, flow, icmp->body(), false);
}

int Host::probe_owner(const net::IcmpView& icmp) const {
    // An echo reply names its probe by id/seq; an error quotes the probe's
    // IPv4 header and first 8 bytes, where the UDP ports or ICMP id/seq are.
    std::uint16_t id = 0, seq = 0, sport = 0, dport = 0;
    bool udp = false;
    if (icmp.type() == net::kIcmpEchoReply) {
        id = icmp.id(), seq = icmp.seq();
    } else if (icmp.is_error()) {
        const net::Bytes q = icmp.body();
        if (q.size() < net::kIpv4MinHeaderLen + 8) return -1;
        const std::size_t hl = (q[0] & 0x0f) * 4u;
        if (q.size() < hl + 8) return -1;
        udp = q[net::ipv4_field::kProtocol] == net::kIpProtoUdp;
        if (udp) sport = net::load16(q, hl), dport = net::load16(q, hl + 2);
        else if (q[net::ipv4_field::kProtocol] == net::kIpProtoIcmp) id = net::load16(q, hl + 4), seq = net::load16(q, hl + 6);
        else return -1;
    } else {
        return -1;
    }
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        const Source& s = sources_[i];
        const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(s.flow)];
        if (t.kind != TrafficKind::Traceroute || s.done) continue;
        const bool match = udp ? !t.icmp_probes && sport == s.sport && dport == 33434 + s.seq
                               : t.icmp_probes && id == s.ping_id && seq == s.seq + 1;
        if (match) return static_cast<int>(i);
    }
    return -1;
}

void Host::send_probe(int index) {
    Source& s = sources_[static_cast<std::size_t>(index)];
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(s.flow)];
    FlowStats& fs = net_.flows[static_cast<std::size_t>(s.flow)];
    fs.sent_packets++;
    fs.sent_bytes += t.payload.size();
    fs.first_send = std::min(fs.first_send, net_.now());
    s.probe_sent = net_.now();
    s.generation++;
    net::FrameBuilder b(l4_scratch_, t.payload.bytes());
    if (t.icmp_probes) {
        b.icmp(net::IcmpHeader::echo(net::kIcmpEchoRequest, s.ping_id, static_cast<std::uint16_t>(s.seq + 1)));
        send_ip(net::kIpProtoIcmp, t.to_ip, s.ttl, b.bytes(), net_.new_pkt(), s.flow);
    } else {
        b.udp({s.sport, static_cast<std::uint16_t>(33434 + s.seq), 0}, source_for(t.to_ip), t.to_ip);
        send_ip(net::kIpProtoUdp, t.to_ip, s.ttl, b.bytes(), net_.new_pkt(), s.flow);
    }
    net_.engine.schedule_in(t.wait, this, kProbeTimeout, static_cast<std::uint32_t>(index), s.generation);
}

void Host::probe_answered(int index, net::Ipv4Address from, bool reached) {
    Source& s = sources_[static_cast<std::size_t>(index)];
    FlowStats& fs = net_.flows[static_cast<std::size_t>(s.flow)];
    fs.delivered_packets++;
    fs.last_deliver = net_.now();
    fs.hops.push_back({s.ttl, from.to_u32(), net_.now() - s.probe_sent, reached});
    s.reached |= reached;
    next_probe(index);
}

void Host::probe_timeout(int index, std::uint64_t generation) {
    Source& s = sources_[static_cast<std::size_t>(index)];
    if (s.done || generation != s.generation) return;  // answered in time
    net_.flows[static_cast<std::size_t>(s.flow)].hops.push_back({s.ttl, 0, SimTime(), false});
    next_probe(index);
}

void Host::next_probe(int index) {
    Source& s = sources_[static_cast<std::size_t>(index)];
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(s.flow)];
    s.generation++;  // the pending timeout no longer applies
    s.seq++;
    if (++s.probe < t.probes) return send_probe(index);
    if (s.reached || s.ttl >= t.max_ttl) {
        s.done = true;
        return;
    }
    s.ttl++;
    s.probe = 0;
    send_probe(index);
}

void Host::handle_udp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto udp = net::UdpView::parse(ip.payload());
    if (!udp) return net_.drop(node_, port, f, Reason::Malformed);
    if (!net::transport_checksum_ok(udp->segment(), ip.src(), ip.dst(), net::kIpProtoUdp))
        return net_.drop(node_, port, f, Reason::BadChecksum);
    const int flow = net_.pool.flow(f);
    auto it = udp_.find(udp->dst_port());
    if (it == udp_.end()) {
        net_.drop(node_, port, f, Reason::PortUnreachable, fmt::format("nothing listens on UDP {}", udp->dst_port()));
        return send_icmp_error(ip, net::kIcmpDestUnreachable, net::kIcmpPortUnreachable, flow);
    }
    const Listener kind = it->second.first;
    const bool to_us = flow >= 0 && net_.sc.traffic[static_cast<std::size_t>(flow)].to_node == node_ &&
                       net_.sc.traffic[static_cast<std::size_t>(flow)].to_port == udp->dst_port();
    deliver(f, flow, udp->payload(), kind != Listener::Reply && to_us);
    if (kind == Listener::Echo) {
        net::FrameBuilder b(l4_scratch_, udp->payload());
        b.udp({udp->dst_port(), udp->src_port(), 0}, ip.dst(), ip.src());
        send_ip(net::kIpProtoUdp, ip.src(), 64, b.bytes(), net_.new_pkt(), flow);
    }
}

void Host::send_icmp_error(const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code, int flow) {
    // RFC 792: the offending header and the first 8 bytes of its payload.
    const std::size_t n = std::min<std::size_t>(ip.header_len() + net::kIcmpQuotedPayload, ip.total_length());
    net::FrameBuilder b(net::Bytes(ip.header().data(), n));  // the view spans the whole datagram
    b.icmp({type, code, 0});
    send_ip(net::kIpProtoIcmp, ip.src(), 64, b.bytes(), net_.new_pkt(), flow);
}

void Host::deliver(FrameRef f, int flow, net::Bytes data, bool count) {
    if (count) {
        const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(flow)];
        FlowStats& fs = net_.flows[static_cast<std::size_t>(flow)];
        // Raw frames may arrive padded to the Ethernet minimum: compare the prefix.
        const bool padded = t.kind == TrafficKind::Frame && data.size() > t.payload.size();
        const net::Bytes got = padded ? data.first(t.payload.size()) : data;
        if (got.size() != t.payload.size() || !t.payload.matches(0, got)) fs.mismatched = true;
        fs.delivered_packets++;
        fs.delivered_bytes += got.size();
        fs.last_deliver = net_.now();
        data = got;
    }
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Deliver, node_, -1, 0,
                 net_.pool.pkt(f), net_.pool.bytes(f));
    e.flow = flow;
    e.nbytes = data.size();
    net_.tracer.emit(e);
}

}  // namespace hopsim::sim

namespace hopsim::sim {

void Host::start_tcp(int index) {
    Source& s = sources_[static_cast<std::size_t>(index)];
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(s.flow)];
    const int egress = std::max(0, route(t.to_ip).port);
    const TcpEndpoints ends{source_for(t.to_ip), t.to_ip, s.sport, t.to_port};
    const int id = static_cast<int>(conns_.size());
    conns_.push_back({std::make_unique<TcpConnection>(static_cast<TcpEnv&>(*this), ends, static_cast<std::uint32_t>(isn_rng_.next()),
                                                      static_cast<std::uint16_t>(mtu(egress) - 40), s.flow, id),
                      0, true, false, false, 0});
    conn_index_[{ends.local_port, ends.remote_ip.to_u32(), ends.remote_port}] = id;
    s.conn = id;
    FlowStats& fs = net_.flows[static_cast<std::size_t>(s.flow)];
    fs.first_send = std::min(fs.first_send, net_.now());
    fs.sent_bytes += t.payload.size();
    TcpConnection& c = *conns_.back().tcp;
    c.connect(net_.now());
    c.write(t.payload, net_.now());  // sent once the handshake completes
}

void Host::handle_tcp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto seg = net::TcpView::parse(ip.payload());
    if (!seg) return net_.drop(node_, port, f, Reason::Malformed);
    if (!net::transport_checksum_ok(seg->segment(), ip.src(), ip.dst(), net::kIpProtoTcp))
        return net_.drop(node_, port, f, Reason::BadChecksum);
    const auto key = std::tuple{seg->dst_port(), ip.src().to_u32(), seg->src_port()};
    if (auto it = conn_index_.find(key); it != conn_index_.end()) {
        Conn& k = conns_[static_cast<std::size_t>(it->second)];
        k.tcp->on_segment(*seg, net_.now());
        return tcp_progress(k);
    }
    const auto listener = tcp_listen_.find(seg->dst_port());
    const bool syn = seg->has(net::tcp_flag::kSyn) && !seg->has(net::tcp_flag::kAck);
    if (listener == tcp_listen_.end() || !syn) {
        net_.drop(node_, port, f, Reason::NoListener,
                  fmt::format("no TCP connection or listener for port {}", seg->dst_port()));
        if (!seg->has(net::tcp_flag::kRst)) send_reset(ip, *seg, net_.pool.flow(f));
        return;
    }
    const TcpEndpoints ends{ip.dst(), ip.src(), seg->dst_port(), seg->src_port()};
    const int id = static_cast<int>(conns_.size());
    conns_.push_back({std::make_unique<TcpConnection>(static_cast<TcpEnv&>(*this), ends, static_cast<std::uint32_t>(isn_rng_.next()),
                                                      static_cast<std::uint16_t>(mtu(port) - 40), net_.pool.flow(f), id),
                      0, false, listener->second == ServiceKind::TcpEcho, false, 0});
    conn_index_[key] = id;
    conns_.back().tcp->accept_syn(*seg, net_.now());
}

// RFC 9293 3.10.7.1: a segment for no connection is answered with a reset.
void Host::send_reset(const net::Ipv4View& ip, const net::TcpView& seg, int flow) {
    net::TcpHeader h;
    h.src_port = seg.dst_port();
    h.dst_port = seg.src_port();
    if (seg.has(net::tcp_flag::kAck)) {
        h.seq = seg.ack();
        h.flags = net::tcp_flag::kRst;
    } else {
        h.ack = seg.seq() + static_cast<std::uint32_t>(seg.payload().size()) + (seg.has(net::tcp_flag::kSyn) ? 1 : 0) +
                (seg.has(net::tcp_flag::kFin) ? 1 : 0);
        h.flags = net::tcp_flag::kRst | net::tcp_flag::kAck;
    }
    net::FrameBuilder b;
    b.tcp(h, ip.dst(), ip.src());
    send_ip(net::kIpProtoTcp, ip.src(), 64, b.bytes(), net_.new_pkt(), flow);
}

void Host::tcp_progress(Conn& k) {
    if (!k.client || k.close_requested || k.tcp->state() != TcpState::Established) return;
    const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(k.tcp->flow())];
    const bool done = t.echo ? k.received >= t.payload.size() : k.tcp->all_acked();
    if (!done) return;
    k.close_requested = true;
    k.tcp->close(net_.now());
}

void Host::tcp_send(TcpConnection& c, const net::TcpHeader& h, net::Bytes payload, bool retransmission) {
    Conn& k = conns_[static_cast<std::size_t>(c.id())];
    if (c.flow() >= 0) {
        FlowStats& fs = net_.flows[static_cast<std::size_t>(c.flow())];
        if (retransmission) fs.retransmissions++;
        else if (k.client && !payload.empty()) fs.sent_packets++;
    }
    net::FrameBuilder b(l4_scratch_, payload);
    b.tcp(h, c.ends().local_ip, c.ends().remote_ip);
    send_ip(net::kIpProtoTcp, c.ends().remote_ip, 64, b.bytes(), net_.new_pkt(), c.flow());
}

void Host::tcp_deliver(TcpConnection& c, net::Bytes data) {
    Conn& k = conns_[static_cast<std::size_t>(c.id())];
    const int flow = c.flow();
    if (flow >= 0) {
        const TrafficSpec& t = net_.sc.traffic[static_cast<std::size_t>(flow)];
        FlowStats& fs = net_.flows[static_cast<std::size_t>(flow)];
        // Byte k of the stream must be byte k of what the flow sent.
        if (!t.payload.matches(k.received, data)) fs.mismatched = true;
        if (k.client) {
            fs.echoed_bytes += data.size();
        } else {
            fs.delivered_bytes += data.size();
            fs.delivered_packets++;
            fs.last_deliver = net_.now();
        }
    }
    k.received += data.size();
    if (net_.tracer.enabled()) {
        TraceEvent e(net_.now(), Ev::Deliver, node_);
        e.flow = flow;
        e.nbytes = data.size();
        e.detail = k.client ? "echoed back" : "";
        net_.tracer.emit(e);
    }
    if (k.echo) c.write(data, net_.now());
}

void Host::tcp_state(TcpConnection& c, TcpState from, TcpState to) {
    if (!net_.tracer.enabled()) return;
    const std::string conn = fmt::format("{}:{}>{}:{}", net_.sc.nodes[static_cast<std::size_t>(node_)].id,
                                         c.ends().local_port, net_.node_name(c.ends().remote_ip), c.ends().remote_port);
    TraceEvent e(net_.now(), Ev::State, node_);
    e.conn = conn;
    e.from_state = to_string(from);
    e.to_state = to_string(to);
    e.flow = c.flow();
    net_.tracer.emit(e);
}

void Host::tcp_arm_timer(TcpConnection& c, SimTime at) {
    Conn& k = conns_[static_cast<std::size_t>(c.id())];
    ++k.timer_generation;
    if (at != SimTime::max())
        net_.engine.schedule(at, this, kTcpTimer, static_cast<std::uint32_t>(c.id()), k.timer_generation);
}

void Host::tcp_peer_closed(TcpConnection& c) {
    Conn& k = conns_[static_cast<std::size_t>(c.id())];
    if (!k.client) c.close(net_.now());  // services close when their peer does, after their own data
}

}  // namespace hopsim::sim
