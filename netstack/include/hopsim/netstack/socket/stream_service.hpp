#pragma once
// TCP and UDP services on the epoll reactor: echo (send back what arrives) or
// sink (keep nothing). The TCP side is edge-triggered and nonblocking: accept
// until EAGAIN, read until EAGAIN, queue unsent bytes per connection and wait
// for EPOLLOUT when a write is partial. A connection's queue is bounded: when
// it is full the service stops reading that connection (so the kernel's
// buffers fill and TCP flow control slows the peer) and resumes once the queue
// drains. A peer's half-close is honoured: flush what is queued, then close.
// Resets are counted, never fatal; idle connections are closed after a timeout.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/socket/address.hpp"
#include "hopsim/netstack/socket/reactor.hpp"

namespace hopsim::net::sock {

enum class ServiceMode { Echo, Sink };

struct ServiceStats {
    std::uint64_t accepted = 0, closed = 0, resets = 0, idle_closed = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0, datagrams = 0, dropped_datagrams = 0;
    std::size_t peak_queue = 0;  // the largest any one connection's queue grew
    std::size_t active() const { return static_cast<std::size_t>(accepted - closed); }
};

// Told about every byte that arrives, with the peer it came from.
using DataObserver = std::function<void(const SocketAddress& peer, Bytes data)>;

class TcpService final : public Handler {
public:
    struct Options {
        ServiceMode mode = ServiceMode::Echo;
        std::size_t max_queue = 256 * 1024;
        std::chrono::milliseconds idle_timeout{30'000};
    };
    TcpService(Reactor& r, Fd listener, Options o, DataObserver observer = {});
    ~TcpService();
    void on_ready(std::uint32_t events) override;
    // Closes idle connections, frees closed ones, and takes connections that
    // waited while descriptors ran out; call after each poll.
    void sweep();
    const ServiceStats& stats() const { return stats_; }

    class Peer;

private:
    friend class Peer;
    void retire(int fd);
    Reactor& reactor_;
    Fd listener_;
    Options options_;
    DataObserver observer_;
    ServiceStats stats_;
    std::map<int, std::unique_ptr<Peer>> peers_;
    std::vector<std::unique_ptr<Peer>> retired_;
    bool accept_blocked_ = false;  // the last accept ran out of descriptors
};

class UdpService final : public Handler {
public:
    UdpService(Reactor& r, Fd socket, ServiceMode mode, DataObserver observer = {});
    void on_ready(std::uint32_t events) override;
    const ServiceStats& stats() const { return stats_; }

private:
    Fd fd_;
    ServiceMode mode_;
    DataObserver observer_;
    ServiceStats stats_;
};

}  // namespace hopsim::net::sock
