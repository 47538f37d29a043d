#pragma once
// A UDP service on a port: the sink reads every datagram; a datagram of a
// flow addressed to this host and port is that flow's delivery. UdpEcho also
// sends each one back to where it came from.

#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class UdpSink : public Application {
public:
    UdpSink(SocketApi& stack, int node, std::uint16_t port) : stack_(stack), node_(node), port_(port) {}
    void start() override { socket_ = stack_.udp_bind(*this, port_); }
    void on_datagram(SocketId s, const Received& r) override;

protected:
    SocketApi& stack_;
    const int node_;
    const std::uint16_t port_;
    SocketId socket_ = kNoSocket;
};

class UdpEcho final : public UdpSink {
public:
    using UdpSink::UdpSink;
    void on_datagram(SocketId s, const Received& r) override;
};

}  // namespace hopsim::sim
