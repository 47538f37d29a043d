#pragma once
// The two futex calls the shared-memory ring sleeps and wakes with. The
// words live in a MAP_SHARED segment, so these are the shared (not
// FUTEX_PRIVATE) forms, which key on the page rather than the address space.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hopsim::ipc {

// Sleeps while *word == expected, at most `timeout`; returns at once if the
// word already differs (the wake that was missed is never lost).
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, std::chrono::nanoseconds timeout);
void futex_wake_all(std::atomic<std::uint32_t>& word);

}  // namespace hopsim::ipc
