#pragma once
// What every application body running inside a namespace needs: its result
// written whole to the parent, and sleeps to absolute times (a sender's
// interval does not drift with the time each send takes).

#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace hopsim::kernel::detail {

inline void write_all(int fd, const std::string& s) {
    for (std::size_t at = 0; at < s.size();) {
        const ssize_t n = ::write(fd, s.data() + at, s.size() - at);
        if (n <= 0) return;
        at += static_cast<std::size_t>(n);
    }
}

inline timespec monotonic_now() {
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

inline timespec later(timespec t, std::int64_t ns) {
    const std::int64_t sum = t.tv_nsec + ns;
    t.tv_sec += static_cast<time_t>(sum / 1'000'000'000);
    t.tv_nsec = static_cast<long>(sum % 1'000'000'000);
    return t;
}

inline std::int64_t ns_between(const timespec& a, const timespec& b) {
    return (static_cast<std::int64_t>(b.tv_sec) - a.tv_sec) * 1'000'000'000 + (b.tv_nsec - a.tv_nsec);
}

inline void sleep_until(const timespec& t) {
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr) != 0) {
    }
}

}  // namespace hopsim::kernel::detail
