#pragma once
// When the entries of an ageing table (MAC table, ARP cache) die, so the
// table can remove each at that instant and say so, rather than when it is
// next consulted. One heap node per entry, pushed when the entry is made; a
// refresh (every frame from a known MAC) does not touch the heap. When an
// entry's old deadline comes up, the table looks at its real one: past, the
// entry dies; later, the entry goes back on the heap with it. So the hot
// path pays nothing and each entry costs one node.

#include <functional>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

template <class Key>
class ExpiryQueue {
public:
    void add(SimTime deadline, const Key& k) { heap_.emplace(deadline, k); }

    // The earliest deadline still to check, if any (it may turn out refreshed).
    std::optional<SimTime> next() const {
        if (heap_.empty()) return std::nullopt;
        return heap_.top().first;
    }

    // For every node due at `now`, in deadline then key order:
    // `deadline_of(k)` gives the key's real deadline (nothing if the entry is
    // gone); a due entry is handed to `expire(k)`, a refreshed one re-queued.
    template <class DeadlineOf, class Expire>
    void pop_due(SimTime now, DeadlineOf deadline_of, Expire expire) {
        while (!heap_.empty() && heap_.top().first <= now) {
            const Key k = heap_.top().second;
            heap_.pop();
            const std::optional<SimTime> real = deadline_of(k);
            if (!real) continue;
            if (*real <= now) expire(k);
            else heap_.emplace(*real, k);
        }
    }

    // pop_due over a map from key to entry: `deadline(entry)` gives an
    // entry's real deadline; each dead entry is handed to `expired(key,
    // entry)` and then erased from `table`.
    template <class Map, class Deadline, class Expired>
    void expire_from(Map& table, SimTime now, Deadline deadline, Expired expired) {
        pop_due(
            now,
            [&](const Key& k) -> std::optional<SimTime> {
                auto it = table.find(k);
                if (it == table.end()) return std::nullopt;
                return deadline(it->second);
            },
            [&](const Key& k) {
                auto it = table.find(k);
                expired(k, it->second);
                table.erase(it);
            });
    }

private:
    using Node = std::pair<SimTime, Key>;
    std::priority_queue<Node, std::vector<Node>, std::greater<Node>> heap_;
};

}  // namespace hopsim::sim
