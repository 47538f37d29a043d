#pragma once
// The discrete-event engine: one 4-ary heap of small POD events ordered by
// (time, insertion sequence), so equal-time events run in a fixed order.
// Events carry their data by value; no event allocates (STYLE rules 5-6).

#include <cstdint>
#include <vector>

#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

class EventTarget;

struct Event {
    SimTime time;
    std::uint64_t seq = 0;
    EventTarget* target = nullptr;
    std::uint32_t kind = 0;   // meaning is the target's own
    std::uint32_t a = 0;      // small argument (a port, a direction)
    std::uint64_t b = 0;      // larger argument (a frame handle, a generation)
};

class EventTarget {
public:
    virtual void on_event(const Event& e) = 0;

protected:
    ~EventTarget() = default;
};

class Engine {
public:
    SimTime now() const { return now_; }
    // Scheduling into the past is a programmer error (asserted).
    void schedule(SimTime at, EventTarget* target, std::uint32_t kind, std::uint32_t a = 0,
                  std::uint64_t b = 0);
    void schedule_in(SimTime delay, EventTarget* target, std::uint32_t kind, std::uint32_t a = 0,
                     std::uint64_t b = 0) {
        schedule(now_ + delay, target, kind, a, b);
    }
    // Runs the earliest event; false if none is left.
    bool step();
    // Runs every event at or before `until`, unless stop() is called; the clock
    // ends at the last event run.
    void run_until(SimTime until);
    void stop() { stopped_ = true; }
    bool stopped() const { return stopped_; }

    std::uint64_t events_run() const { return events_run_; }
    std::size_t pending() const { return heap_.size(); }
    SimTime next_time() const { return heap_.empty() ? SimTime::max() : heap_.front().time; }
    // Heap order holds for every parent/child pair (for tests).
    bool check_invariants() const;

private:
    std::vector<Event> heap_;
    SimTime now_;
    std::uint64_t seq_ = 0;
    std::uint64_t events_run_ = 0;
    bool stopped_ = false;
};

}  // namespace hopsim::sim
