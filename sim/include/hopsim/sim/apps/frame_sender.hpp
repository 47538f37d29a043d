#pragma once
// A frame traffic item: raw Ethernet frames from the host's first interface
// (a packet socket), and FrameSink, which counts them where they arrive.

#include "hopsim/sim/apps/periodic_sender.hpp"

namespace hopsim::sim {

class FrameSender final : public PeriodicSender {
public:
    using PeriodicSender::PeriodicSender;

private:
    void send(int repetition) override;
};

// Every host of a scenario with frame traffic has one: a frame of a flow is
// delivered wherever it arrives (a broadcast at every host).
class FrameSink final : public Application {
public:
    explicit FrameSink(SocketApi& stack) : stack_(stack) {}
    void start() override { stack_.packet_open(*this); }
    void on_packet(const Received& r) override;

private:
    SocketApi& stack_;
};

}  // namespace hopsim::sim
