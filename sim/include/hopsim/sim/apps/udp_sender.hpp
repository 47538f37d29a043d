#pragma once
// A udp traffic item: `count` datagrams of the payload from an ephemeral
// port. Whatever comes back to that port (an echo) is read and not counted.

#include "hopsim/sim/apps/periodic_sender.hpp"

namespace hopsim::sim {

class UdpSender final : public PeriodicSender {
public:
    using PeriodicSender::PeriodicSender;
    void on_datagram(SocketId s, const Received& r) override;

private:
    void open() override;
    void send(int repetition) override;

    SocketId socket_ = kNoSocket;
};

}  // namespace hopsim::sim
