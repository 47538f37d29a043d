#pragma once
// Forks the consumer and the producer, supervises them and reaps them with
// their resource usage. What the children report travels through one shared
// anonymous page: they never print, and leave with _exit, so nothing of the
// parent's (buffers, atexit handlers) runs twice.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "hopsim/ipc/run.hpp"

namespace hopsim::ipc {

struct Shared {
    std::atomic<std::uint32_t> ready[2];  // by Role: the side has opened its channel
    std::atomic<std::uint64_t> checked;   // consumer: bytes checked so far (progress)
    std::int64_t start_ns, end_ns;        // CLOCK_MONOTONIC: producer's first send, consumer's last check
    std::int64_t producer_end_ns;         // the producer's finish() returned
    std::uint64_t sent, messages, reads;
    std::uint8_t intact;
    double p50_us, p99_us, max_us;
    std::uint64_t round_trips;
    char error[2][1024];  // by Role
};

void report_error(Shared& sh, Role role, const std::string& error);
std::int64_t monotonic_ns();

// Runs in a child with its own channel; returns the exit status.
using SideMain = std::function<int(Channel&, Shared&)>;

struct PairOutcome {
    SideOutcome producer, consumer;
    bool timed_out = false;
    bool interrupted = false;
};

// `shared` must be a MAP_SHARED mapping (see SharedPage).
PairOutcome run_pair(Transport& t, Shared& shared, const SideMain& producer, const SideMain& consumer,
                     std::chrono::milliseconds idle, std::chrono::seconds timeout,
                     const std::function<bool(std::uint64_t)>& progress);

// The shared page, zeroed, unmapped when it goes.
class SharedPage {
public:
    SharedPage();
    ~SharedPage();
    SharedPage(const SharedPage&) = delete;
    SharedPage& operator=(const SharedPage&) = delete;
    Shared& get() { return *p_; }

private:
    Shared* p_;
};

}  // namespace hopsim::ipc
