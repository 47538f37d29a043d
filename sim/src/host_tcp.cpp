// The host stack's TCP: sockets, demultiplexing of arriving segments to
// connections and listeners, resets for segments nobody expects, and the
// environment each TcpConnection runs in (its segments, timer, state events).
#include <fmt/core.h>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/sim/host.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

SocketId Host::tcp_listen(Application& app, std::uint16_t port) {
    if (!tcp_ports_.insert(port).second) return kNoSocket;
    tcp_listeners_.emplace(port, &app);
    if (net_.tracer.enabled()) {  // the listener is in LISTEN from now on; its connections start there
        const std::string name = fmt::format("{}:{}", net_.sc.nodes[static_cast<std::size_t>(node_)].id, port);
        TraceEvent e(net_.now(), Ev::State, node_);
        e.conn = name;
        e.from_state = to_string(TcpState::Closed);
        e.to_state = to_string(TcpState::Listen);
        net_.tracer.emit(e);
    }
    return port;
}

SocketId Host::tcp_socket(Application& app) {
    const std::uint16_t port = ephemeral_port();
    tcp_ports_.insert(port);
    conns_.push_back({nullptr, &app, port, true, 0});
    return static_cast<SocketId>(conns_.size() - 1);
}

void Host::tcp_connect(SocketId s, net::Ipv4Address dst, std::uint16_t port, int flow) {
    Conn& k = conn(s);
    const int egress = std::max(0, route(dst).port);
    const TcpEndpoints ends{source_for(dst), dst, k.local_port, port};
    const std::size_t link_mtu = to_self(dst) ? kLoopbackMtu : static_cast<std::size_t>(mtu(egress));
    k.tcp = std::make_unique<TcpConnection>(static_cast<TcpEnv&>(*this), ends, static_cast<std::uint32_t>(isn_rng_.next()),
                                            static_cast<std::uint16_t>(link_mtu - 40), flow, s);
    conn_index_[{ends.local_port, ends.remote_ip.to_u32(), ends.remote_port}] = s;
    // A path MTU learned before: the SYN offers the interface's MSS, the data fits the path.
    if (!to_self(dst)) k.tcp->path_mtu_reduced(static_cast<std::uint16_t>(path_mtu(dst, egress) - 40), net_.now());
    k.tcp->connect(net_.now());
}

// An ICMP error about one of our segments (its quoted header names the
// connection). Only "fragmentation needed" changes anything, as in Linux;
// other errors reach the connection as ones it does not act on.
bool Host::tcp_icmp_error(const net::IcmpView& icmp, net::Bytes quoted, std::size_t header_len) {
    const net::Ipv4Address dst = net::Ipv4Address::load(quoted, net::ipv4_field::kDst);
    const auto key = std::tuple{net::load16(quoted, header_len), dst.to_u32(), net::load16(quoted, header_len + 2)};
    const auto it = conn_index_.find(key);
    if (it == conn_index_.end() || !conn(it->second).tcp) return false;
    if (icmp.type() == net::kIcmpDestUnreachable && icmp.code() == net::kIcmpFragNeeded)
        conn(it->second).tcp->path_mtu_reduced(static_cast<std::uint16_t>(path_mtu(dst, std::max(0, route(dst).port)) - 40), net_.now());
    return true;
}

void Host::tcp_write(SocketId s, net::Bytes data) { conn(s).tcp->write(data, net_.now()); }
void Host::tcp_write(SocketId s, const Payload& data) { conn(s).tcp->write(data, net_.now()); }
void Host::tcp_close(SocketId s) { conn(s).tcp->close(net_.now()); }
TcpState Host::tcp_state(SocketId s) const { return conn(s).tcp ? conn(s).tcp->state() : TcpState::Closed; }
TcpError Host::tcp_error(SocketId s) const { return conn(s).tcp ? conn(s).tcp->error() : TcpError::None; }
bool Host::tcp_all_acked(SocketId s) const { return conn(s).tcp && conn(s).tcp->all_acked(); }
int Host::tcp_flow(SocketId s) const { return conn(s).tcp ? conn(s).tcp->flow() : -1; }

void Host::handle_tcp(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto seg = net::TcpView::parse(ip.payload());
    if (!seg) return net_.drop_malformed(node_, port, f, seg.error());
    if (!net::transport_checksum_ok(seg->segment(), ip.src(), ip.dst(), net::kIpProtoTcp))
        return net_.drop(node_, port, f, Reason::BadChecksum);
    const auto key = std::tuple{seg->dst_port(), ip.src().to_u32(), seg->src_port()};
    if (auto it = conn_index_.find(key); it != conn_index_.end()) {
        Application* app = conn(it->second).app;  // a callback may add connections
        conn(it->second).tcp->on_segment(*seg, net_.now());
        return app->on_tcp_progress(it->second);
    }
    const auto listener = tcp_listeners_.find(seg->dst_port());
    const bool syn = seg->has(net::tcp_flag::kSyn) && !seg->has(net::tcp_flag::kAck);
    if (listener == tcp_listeners_.end() || !syn) {
        net_.drop(node_, port, f, Reason::NoListener,
                  fmt::format("no TCP connection or listener for port {}", seg->dst_port()));
        if (!seg->has(net::tcp_flag::kRst)) send_reset(ip, *seg, net_.pool.flow(f));
        return;
    }
    const TcpEndpoints ends{ip.dst(), ip.src(), seg->dst_port(), seg->src_port()};
    const SocketId s = static_cast<SocketId>(conns_.size());
    conns_.push_back({std::make_unique<TcpConnection>(static_cast<TcpEnv&>(*this), ends,
                                                      static_cast<std::uint32_t>(isn_rng_.next()),
                                                      static_cast<std::uint16_t>((to_self(ip.src()) ? kLoopbackMtu : static_cast<std::size_t>(mtu(port))) - 40),
                                                      net_.pool.flow(f), s),
                      listener->second, seg->dst_port(), false, 0});
    conn_index_[key] = s;
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

void Host::tcp_send(TcpConnection& c, const net::TcpHeader& h, net::Bytes payload, Retransmit why) {
    if (c.flow() >= 0) {
        if (conn(c.id()).active) net_.flows.segments_out(c.flow());
        if (why != Retransmit::No) net_.flows.retransmitted(c.flow());
        else if (conn(c.id()).active && !payload.empty()) net_.flows.segment_sent(c.flow());
    }
    const std::uint64_t pkt = net_.new_pkt();
    if (why != Retransmit::No && net_.tracer.enabled()) {  // said before the segment's own send event
        const std::string name = conn_name(c);
        TraceEvent e(net_.now(), Ev::Retransmit, node_, -1, 0, pkt);
        e.conn = name;
        e.flow = c.flow();
        e.seq = h.seq;
        e.len = static_cast<std::uint32_t>(payload.size());
        e.cause = to_string(why);
        if (why == Retransmit::Timeout) e.rto = c.rto();
        net_.tracer.emit(e);
    }
    net::FrameBuilder b(l4_scratch_, payload);
    b.tcp(h, c.ends().local_ip, c.ends().remote_ip);
    send_ip(net::kIpProtoTcp, c.ends().remote_ip, 64, b.bytes(), pkt, c.flow());
}

void Host::tcp_window(TcpConnection& c) {
    if (!net_.tracer.enabled()) return;
    const std::string name = conn_name(c);
    TraceEvent e(net_.now(), Ev::Cwnd, node_);
    e.conn = name;
    e.flow = c.flow();
    e.cwnd = c.congestion().cwnd();
    e.ssthresh = c.congestion().ssthresh();
    net_.tracer.emit(e);
}

std::string Host::conn_name(const TcpConnection& c) const {
    return fmt::format("{}:{}>{}:{}", net_.sc.nodes[static_cast<std::size_t>(node_)].id, c.ends().local_port,
                       net_.node_name(c.ends().remote_ip), c.ends().remote_port);
}

void Host::tcp_deliver(TcpConnection& c, net::Bytes data) { conn(c.id()).app->on_tcp_data(c.id(), data); }

void Host::tcp_state(TcpConnection& c, TcpState from, TcpState to) {
    if (!net_.tracer.enabled()) return;
    const std::string name = conn_name(c);
    TraceEvent e(net_.now(), Ev::State, node_);
    e.conn = name;
    e.from_state = to_string(from);
    e.to_state = to_string(to);
    e.flow = c.flow();
    net_.tracer.emit(e);
}

void Host::tcp_arm_timer(TcpConnection& c, SimTime at) {
    Conn& k = conn(c.id());
    ++k.timer_generation;
    if (at != SimTime::max())
        net_.engine.schedule(at, this, kTcpTimer, static_cast<std::uint32_t>(c.id()), k.timer_generation);
}

void Host::tcp_peer_closed(TcpConnection& c) { conn(c.id()).app->on_tcp_peer_closed(c.id()); }

}  // namespace hopsim::sim
