#pragma once
// One client connection on the reactor: connect, send a payload (partial
// writes resume on EPOLLOUT), half-close, then read until the server closes,
// checking any echoed bytes against what was sent, byte for byte.

#include <functional>
#include <optional>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/socket/byte_source.hpp"
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
    // `on_done` runs once the outcome is decided, from the reactor's loop; a
    // client that fails already here (no descriptor left, a refused
    // address) never calls it: outcome().error says so as it returns.
    TcpClient(Reactor& r, SocketAddress from, SocketAddress to, const ByteSource& payload, std::function<void()> on_done = {});
    void on_ready(std::uint32_t events) override;
    const Outcome& outcome() const { return out_; }
    SocketAddress local() const { return local_; }

private:
    void fail(std::string message);
    bool echoed(const std::uint8_t* data, std::size_t k) const;
    void complete();

    Reactor& reactor_;
    SocketAddress to_, local_;
    const ByteSource& payload_;
    Fd fd_;
    Outcome out_;
    bool shut_ = false;
    bool constructed_ = false;
    std::function<void()> on_done_;
};

}  // namespace hopsim::net::sock
