#pragma once
// One client connection on the reactor: connect, send a payload (partial
// writes resume on EPOLLOUT), half-close, then read until the server closes,
// checking any echoed bytes against what was sent, byte for byte.

#include <functional>
#include <optional>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/socket/reactor.hpp"
#include "hopsim/netstack/socket/sockets.hpp"

namespace hopsim::net::sock {

class TcpClient final : public Handler {
public:
    struct Outcome {
        bool connected = false;
        bool done = false;      // the server closed after we half-closed
        std::string error;      // "connect 127.0.1.2:80: Connection refused"
        std::size_t sent = 0, received = 0;
        bool echo_matches = true;  // every byte received equals the byte sent at that offset
        TcpCounters counters;      // the kernel's view, read before closing
        Reactor::Clock::time_point started, finished;
    };

    // `payload` must outlive the client. `from` may have port 0 (any).
    TcpClient(Reactor& r, SocketAddress from, SocketAddress to, Bytes payload, std::function<void()> on_done = {});
    void on_ready(std::uint32_t events) override;
    const Outcome& outcome() const { return out_; }
    SocketAddress local() const { return local_; }

private:
    void fail(std::string message);
    void complete();

    Reactor& reactor_;
    SocketAddress to_, local_;
    Bytes payload_;
    Fd fd_;
    Outcome out_;
    bool shut_ = false;
    std::function<void()> on_done_;
};

}  // namespace hopsim::net::sock
