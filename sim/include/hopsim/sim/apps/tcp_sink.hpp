#pragma once
// A TCP service on a port: the sink reads every connection to its end and
// closes when its peer does; the bytes of a flow's connection are that
// flow's delivery. TcpEcho also writes each byte back.

#include <unordered_map>

#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class TcpSink : public Application {
public:
    TcpSink(SocketApi& stack, std::uint16_t port) : stack_(stack), port_(port) {}
    void start() override { stack_.tcp_listen(*this, port_); }
    void on_tcp_data(SocketId s, net::Bytes data) override;
    void on_tcp_peer_closed(SocketId s) override { stack_.tcp_close(s); }

protected:
    SocketApi& stack_;
    const std::uint16_t port_;
    std::unordered_map<SocketId, std::uint64_t> received_;  // per connection, bytes read so far
};

class TcpEcho final : public TcpSink {
public:
    using TcpSink::TcpSink;
    void on_tcp_data(SocketId s, net::Bytes data) override;
};

}  // namespace hopsim::sim
