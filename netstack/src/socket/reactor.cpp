#include "hopsim/netstack/socket/reactor.hpp"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <functional>
#include <vector>
#include <cerrno>

namespace hopsim::net::sock {

Reactor::Reactor() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}

SysResult<bool> Reactor::add(int fd, std::uint32_t events, Handler* h) {
    epoll_event ev{};
    ev.events = events | EPOLLET;
    ev.data.ptr = h;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return Unexpected<SysError>{sys_error("epoll_ctl add")};
    return true;
}

void Reactor::remove(int fd) { ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

void Reactor::at(Clock::time_point when, std::function<void()> fn) { timers_.emplace(when, std::move(fn)); }

void Reactor::poll_once(Clock::time_point limit) {
    const auto now = Clock::now();
    auto until = limit;
    if (!timers_.empty()) until = std::min(until, timers_.begin()->first);
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
    std::array<epoll_event, 256> events{};
    const int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                               static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
    for (int i = 0; i < n; ++i) static_cast<Handler*>(events[static_cast<std::size_t>(i)].data.ptr)->on_ready(events[static_cast<std::size_t>(i)].events);
    // The timers due now, and only those: a timer that schedules another
    // already due (a sender behind its schedule) waits for the next call,
    // so sockets are read between sends and the caller sees its deadline.
    const auto after = Clock::now();
    std::vector<std::function<void()>> due;
    while (!timers_.empty() && timers_.begin()->first <= after) {
        due.push_back(std::move(timers_.begin()->second));
        timers_.erase(timers_.begin());
    }
    for (auto& fn : due) fn();
}

}  // namespace hopsim::net::sock
