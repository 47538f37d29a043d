#pragma once
// Flow control for UDP, which has none: a datagram sent to a full receive
// buffer is dropped without a word. The consumer returns a credit (the count
// of messages it has taken) every half window; the producer never has more
// than a window in flight, sized to fit the receive buffer, so on loopback
// nothing is dropped. A loss still shows: the producer waits for a credit
// that never comes, or the consumer's byte check fails.

#include <memory>

#include "hopsim/ipc/channel.hpp"
#include "hopsim/ipc/transport.hpp"

namespace hopsim::ipc {

class CreditWindow final : public Channel {
public:
    CreditWindow(std::unique_ptr<Channel> inner, Role role, std::uint64_t window);
    bool keeps_message_boundaries() const override { return true; }
    Error send(net::Bytes data) override;                                 // producer
    Result<std::size_t, Error> recv(std::span<std::uint8_t> buf) override;  // consumer
    // Sends the end and waits for the consumer's last credit, so the
    // producer's socket outlives every credit sent to it.
    Error finish() override;

private:
    Error take_credit();
    Error give_credit();

    std::unique_ptr<Channel> inner_;
    Role role_;
    std::uint64_t window_, sent_ = 0, acked_ = 0, taken_ = 0, credited_ = 0;
};

}  // namespace hopsim::ipc
