#include "hopsim/sim/engine.hpp"

#include <algorithm>
#include <cassert>

namespace hopsim::sim {

namespace {
// std::*_heap keep the largest on top; "later" puts the earliest there.
bool later(const Event& x, const Event& y) {
    return x.time != y.time ? x.time > y.time : x.seq > y.seq;
}
}  // namespace

void Engine::schedule(SimTime at, EventTarget* target, std::uint32_t kind, std::uint32_t a,
                      std::uint64_t b) {
    assert(at >= now_ && "scheduling into the past");
    heap_.push_back(Event{at, seq_++, target, kind, a, b});
    std::push_heap(heap_.begin(), heap_.end(), later);
}

bool Engine::step() {
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Event e = heap_.back();
    heap_.pop_back();
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
        if (later(heap_[(i - 1) / 2], heap_[i])) return false;
    return true;
}

}  // namespace hopsim::sim
