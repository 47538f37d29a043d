#pragma once
// Private to sim: the socket layer a router offers the one application it
// runs, a DHCP server on its interfaces ("dhcp_server"): UDP on one port,
// as a home router's dnsmasq binds 67 and nothing else. A datagram arrives
// on an interface; the server's answer to a broadcast, and the address it
// speaks from, are that interface's. What a router's server never asks for
// (timers, ICMP, TCP, packet sockets) is a logic error.

#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/udp.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class Router;

class RouterSocket final : public SocketApi {
public:
    explicit RouterSocket(Router& router) : router_(router) {}
    bool bound(std::uint16_t port) const { return app_ && port == port_; }
    // Hands a datagram for the bound port, arrived by `in_port`, to the application.
    void deliver(int in_port, FrameRef f, const net::Ipv4View& ip, const net::UdpView& udp);

    SimTime now() const override;
    FlowLedger& ledger() override;
    net::Ipv4Address source_for(net::Ipv4Address dst) const override;
    SocketId udp_bind(Application& app, std::uint16_t port) override;
    std::uint16_t udp_port(SocketId) const override { return port_; }
    void udp_send(SocketId s, net::Ipv4Address dst, std::uint16_t port, net::Bytes data, const SendOptions& o) override;
    void trace_delivery(const Received& r, std::size_t n, std::string_view detail) override;

    void set_timer(Application&, SimTime, std::uint64_t) override { unsupported(); }
    SocketId icmp_open(Application&, std::uint16_t) override { unsupported(); }
    void icmp_echo(SocketId, net::Ipv4Address, std::uint16_t, net::Bytes, const SendOptions&) override { unsupported(); }
    SocketId tcp_listen(Application&, std::uint16_t) override { unsupported(); }
    SocketId tcp_socket(Application&) override { unsupported(); }
    void tcp_connect(SocketId, net::Ipv4Address, std::uint16_t, int) override { unsupported(); }
    void tcp_write(SocketId, net::Bytes) override { unsupported(); }
    void tcp_write(SocketId, const Payload&) override { unsupported(); }
    void tcp_close(SocketId) override { unsupported(); }
    TcpState tcp_state(SocketId) const override { unsupported(); }
    TcpError tcp_error(SocketId) const override { unsupported(); }
    bool tcp_all_acked(SocketId) const override { unsupported(); }
    int tcp_flow(SocketId) const override { unsupported(); }
    void frame_send(net::MacAddress, std::uint16_t, net::Bytes, int) override { unsupported(); }
    SocketId packet_open(Application&) override { unsupported(); }
    void trace_stream_delivery(int, std::size_t, std::string_view) override { unsupported(); }

private:
    [[noreturn]] static void unsupported();

    Router& router_;
    Application* app_ = nullptr;
    std::uint16_t port_ = 0;
    int in_port_ = -1;  // the interface of the datagram being handled
};

}  // namespace hopsim::sim
