#pragma once
// ping: echo requests with Linux's choices (identifier per flow, sequence
// numbers from 1, the scenario's payload as the data), and the round trip of
// every reply.

#include <vector>

#include "hopsim/sim/apps/periodic_sender.hpp"

namespace hopsim::sim {

class Ping final : public PeriodicSender {
public:
    Ping(SocketApi& stack, int flow, const TrafficSpec& t);
    void on_echo_reply(SocketId s, const Received& r) override;

    static std::uint16_t identifier(int flow) { return static_cast<std::uint16_t>(flow + 1); }

private:
    void open() override;
    void send(int repetition) override;

    SocketId socket_ = kNoSocket;
    std::vector<SimTime> sent_at_;  // by sequence number (16 bits, so it wraps)
};

}  // namespace hopsim::sim
