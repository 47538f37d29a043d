#pragma once
// A small edge-triggered epoll loop with timers: the real backend's one thread.
// Handlers are told "something changed" and must read/write until EAGAIN.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "hopsim/netstack/socket/fd.hpp"

namespace hopsim::net::sock {

class Handler {
public:
    virtual void on_ready(std::uint32_t epoll_events) = 0;

protected:
    ~Handler() = default;
};

class Reactor {
public:
    using Clock = std::chrono::steady_clock;

    Reactor();
    SysResult<bool> add(int fd, std::uint32_t events, Handler* h);  // EPOLLET is added
    void remove(int fd);
    // Runs `fn` at `at` (timers at the same instant run in the order added).
    void at(Clock::time_point at, std::function<void()> fn);
    // Waits for events and due timers once, at most until `limit`.
    void poll_once(Clock::time_point limit);

private:
    Fd epoll_;
    std::multimap<Clock::time_point, std::function<void()>> timers_;
};

}  // namespace hopsim::net::sock
