#include "hopsim/sim/engine.hpp"

#include <cassert>

namespace hopsim::sim {

namespace {
// The heap is 4-ary: half the levels of a binary heap, and a node's four
// children share a cache line or two, so popping touches less memory.
constexpr std::size_t kArity = 4;

// True if x runs after y: by time, then by the order they were scheduled.
bool later(const Event& x, const Event& y) {
    return x.time != y.time ? x.time > y.time : x.seq > y.seq;
}
}  // namespace

void Engine::schedule(SimTime at, EventTarget* target, std::uint32_t kind, std::uint32_t a,
                      std::uint64_t b) {
    assert(at >= now_ && "scheduling into the past");
    const Event e{at, seq_++, target, kind, a, b};
    // Sift up from a hole at the end.
    std::size_t i = heap_.size();
    heap_.emplace_back();
    while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!later(heap_[parent], e)) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

bool Engine::step() {
    if (heap_.empty()) return false;
    const Event e = heap_.front();
    // Move the last event into the hole at the root and sift it down.
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n > 0) {
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = i * kArity + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = first + kArity < n ? first + kArity : n;
            for (std::size_t c = first + 1; c < end; ++c)
                if (later(heap_[best], heap_[c])) best = c;
            if (!later(last, heap_[best])) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = last;
    }
    now_ = e.time;
    ++events_run_;
    e.target->on_event(e);
    return true;
}

void Engine::run_until(SimTime until) {
    stopped_ = false;
    while (!stopped_ && !heap_.empty() && heap_.front().time <= until) step();
}

bool Engine::check_invariants() const {
    for (std::size_t i = 1; i < heap_.size(); ++i)
        if (later(heap_[(i - 1) / kArity], heap_[i])) return false;
    return true;
}

}  // namespace hopsim::sim
