#pragma once
// A tcp traffic item: connect, write the payload, and close once every byte
// is acknowledged (or, with echo, once every byte has come back).

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class TcpClient final : public Application {
public:
    TcpClient(SocketApi& stack, int flow, const TrafficSpec& t) : stack_(stack), flow_(flow), t_(t) {}
    void start() override;
    void on_timer(std::uint64_t token) override;
    void on_tcp_data(SocketId s, net::Bytes data) override;
    void on_tcp_progress(SocketId s) override;

private:
    SocketApi& stack_;
    const int flow_;
    const TrafficSpec& t_;
    SocketId socket_ = kNoSocket;
    std::uint64_t received_ = 0;  // bytes echoed back so far
    bool closing_ = false;
};

}  // namespace hopsim::sim
