#pragma once
// What ping, the UDP sender and the raw frame sender share: `count` sends,
// `interval` apart, from the traffic item's start time.

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class PeriodicSender : public Application {
public:
    PeriodicSender(SocketApi& stack, int flow, const TrafficSpec& t) : stack_(stack), flow_(flow), t_(t) {}
    void start() override;
    void on_timer(std::uint64_t repetition) override;

protected:
    virtual void open() {}                    // sockets, at the start
    virtual void send(int repetition) = 0;  // repetition 0, 1, ... count - 1

    SocketApi& stack_;
    const int flow_;
    const TrafficSpec& t_;
};

}  // namespace hopsim::sim
