#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "sides.hpp"

namespace hopsim::ipc {

namespace {

constexpr std::size_t kWarmUp = 100;

// Reads exactly buf.size() bytes (a stream may deliver a message in parts).
// 0: the peer finished cleanly before the first byte.
Result<std::size_t, Error> read_exactly(Channel& ch, std::span<std::uint8_t> buf) {
    std::size_t have = 0;
    while (have < buf.size()) {
        auto n = ch.recv(buf.subspan(have));
        if (!n) return n;
        if (*n == 0) {
            if (have == 0) return std::size_t{0};
            return Unexpected{Error("the stream ended in the middle of a message")};
        }
        have += *n;
    }
    return have;
}

}  // namespace

int round_trip_producer(Channel& ch, Shared& sh, const RunPlan& plan) {
    std::vector<std::uint8_t> ping(plan.ping_size), pong(plan.ping_size);
    std::vector<double> us;
    us.reserve(plan.round_trips);
    for (std::size_t i = 0; i < kWarmUp + plan.round_trips; ++i) {
        for (std::size_t j = 0; j < ping.size(); ++j) ping[j] = static_cast<std::uint8_t>(i + j);
        const std::int64_t t0 = monotonic_ns();
        if (Error e = ch.send(ping); !e.empty()) return report_error(sh, Role::Producer, e), 1;
        auto n = read_exactly(ch, pong);
        if (!n || *n == 0)
            return report_error(sh, Role::Producer, n ? "the echo never came: the consumer finished" : n.error()), 1;
        const std::int64_t t1 = monotonic_ns();
        if (pong != ping) return report_error(sh, Role::Producer, "round trip " + std::to_string(i) + " came back changed"), 1;
        if (i >= kWarmUp) us.push_back(static_cast<double>(t1 - t0) / 1000);
    }
    if (Error e = ch.finish(); !e.empty()) return report_error(sh, Role::Producer, e), 1;
    std::sort(us.begin(), us.end());
    // Nearest rank: the smallest sample with at least p% of them at or below it.
    auto rank = [&](double p) { return us[static_cast<std::size_t>(std::ceil(p * static_cast<double>(us.size()))) - 1]; };
    if (!us.empty()) sh.p50_us = rank(0.50), sh.p99_us = rank(0.99), sh.max_us = us.back();
    sh.round_trips = us.size();
    return 0;
}

int echo_consumer(Channel& ch, Shared& sh, const RunPlan& plan) {
    std::vector<std::uint8_t> buf(plan.ping_size);
    for (;;) {
        auto n = read_exactly(ch, buf);
        if (!n) return report_error(sh, Role::Consumer, n.error()), 1;
        if (*n == 0) return 0;
        if (Error e = ch.send(buf); !e.empty()) return report_error(sh, Role::Consumer, e), 1;
    }
}

}  // namespace hopsim::ipc
