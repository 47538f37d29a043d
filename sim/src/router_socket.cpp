#include "router_socket.hpp"

#include <stdexcept>

#include "hopsim/sim/network.hpp"
#include "hopsim/sim/router.hpp"

namespace hopsim::sim {

void RouterSocket::unsupported() {
    throw std::logic_error("a router's socket layer carries only its DHCP server's UDP");
}

void RouterSocket::deliver(int in_port, FrameRef f, const net::Ipv4View& ip, const net::UdpView& udp) {
    Received r;
    r.frame = f;
    r.flow = router_.net_.pool.flow(f);
    r.src = ip.src();
    r.dst = ip.dst();
    r.src_port = udp.src_port();
    r.dst_port = udp.dst_port();
    r.ttl = ip.ttl();
    r.data = udp.payload();
    in_port_ = in_port;
    app_->on_datagram(0, r);
    in_port_ = -1;
}

SimTime RouterSocket::now() const { return router_.net_.now(); }

FlowLedger& RouterSocket::ledger() { return router_.net_.flows; }

net::Ipv4Address RouterSocket::source_for(net::Ipv4Address dst) const {
    int port = in_port_;
    if (!dst.is_broadcast() && !dst.is_unspecified())
        if (const Router::Route* route = router_.lookup(dst)) port = route->port;
    if (port < 0) return {};
    const auto& ip = router_.ifaces_[static_cast<std::size_t>(port)].ip;
    return ip ? ip->address() : net::Ipv4Address();
}

SocketId RouterSocket::udp_bind(Application& app, std::uint16_t port) {
    if (app_) return kNoSocket;
    app_ = &app;
    port_ = port;
    return 0;
}

void RouterSocket::udp_send(SocketId, net::Ipv4Address dst, std::uint16_t port, net::Bytes data, const SendOptions& o) {
    router_.send_udp(in_port_, source_for(dst), dst, port_, port, data, {o.ttl, o.df}, o.flow, "DHCP server's answer");
}

void RouterSocket::trace_delivery(const Received& r, std::size_t n, std::string_view detail) {
    router_.trace_local_delivery(in_port_, r.frame, n, detail);
}

}  // namespace hopsim::sim
