#include "shm_ring.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "futex.hpp"

namespace hopsim::ipc {

namespace {

std::uint64_t framed(std::size_t len) { return (4 + len + 7) & ~std::uint64_t{7}; }  // length word, payload, 8-byte aligned

}  // namespace

ShmRing ShmRing::format(void* at, std::size_t bytes) {
    auto* h = new (at) RingHeader;
    // The largest power of two that fits, so an index maps to a slot with a mask.
    std::uint64_t cap = 1;
    while (cap * 2 <= bytes - sizeof(RingHeader)) cap *= 2;
    h->capacity = cap;
    return ShmRing(h, static_cast<std::uint8_t*>(at) + sizeof(RingHeader));
}

void ShmRing::copy_in(std::uint64_t at, const std::uint8_t* from, std::size_t n) {
    const std::size_t pos = at & (h_->capacity - 1), first = std::min<std::size_t>(n, h_->capacity - pos);
    std::memcpy(data_ + pos, from, first);
    std::memcpy(data_, from + first, n - first);  // the part that wraps round
}

void ShmRing::copy_out(std::uint64_t at, std::uint8_t* to, std::size_t n) const {
    const std::size_t pos = at & (h_->capacity - 1), first = std::min<std::size_t>(n, h_->capacity - pos);
    std::memcpy(to, data_ + pos, first);
    std::memcpy(to + first, data_, n - first);
}

// The sleeper says it sleeps, then looks once more; the waker publishes, then
// looks whether anyone sleeps. With a full fence between each side's store
// and load, at least one of them sees the other's store (Dekker), so a wake
// is never lost; the futex word makes a wake between the look and the sleep
// return at once.
template <class Ready>
Error ShmRing::sleep_until(Ready ready, std::atomic<std::uint32_t>& moved, std::atomic<std::uint32_t>& asleep,
                           std::chrono::milliseconds idle, const char* waiting_for) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + idle;
    for (;;) {
        if (ready()) return {};
        const std::uint32_t seen = moved.load(std::memory_order_acquire);
        asleep.store(1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (ready()) {
            asleep.store(0, std::memory_order_relaxed);
            return {};
        }
        const auto left = deadline - Clock::now();
        if (left <= Clock::duration::zero()) {
            asleep.store(0, std::memory_order_relaxed);
            return "the shared-memory ring waited " + std::to_string(idle.count()) + " ms for " + waiting_for +
                   ": the other side stopped (idle timeout)";
        }
        futex_wait(moved, seen, left);
        asleep.store(0, std::memory_order_relaxed);
    }
}

void ShmRing::wake(std::atomic<std::uint32_t>& moved, std::atomic<std::uint32_t>& asleep) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (asleep.load(std::memory_order_relaxed)) {
        moved.fetch_add(1, std::memory_order_release);
        futex_wake_all(moved);
    }
}

Error ShmRing::push(net::Bytes msg, std::chrono::milliseconds idle) {
    if (msg.size() > max_message())
        return "a message of " + std::to_string(msg.size()) + " bytes does not fit the shared-memory ring (at most " +
               std::to_string(max_message()) + ")";
    const std::uint64_t need = framed(msg.size());
    const std::uint64_t head = h_->head.load(std::memory_order_relaxed);  // ours alone
    bool consumer_died = false;
    Error e = sleep_until(
        [&] {
            consumer_died = h_->flags.load(std::memory_order_acquire) & kReaderDied;
            return consumer_died || h_->capacity - (head - h_->tail.load(std::memory_order_acquire)) >= need;
        },
        h_->tail_moved, h_->producer_asleep, idle, "room");
    if (!e.empty()) return e;
    if (consumer_died) return "the reading side died: nobody will empty the shared-memory ring";
    const auto len = static_cast<std::uint32_t>(msg.size());
    copy_in(head, reinterpret_cast<const std::uint8_t*>(&len), 4);
    copy_in(head + 4, msg.data(), msg.size());
    h_->head.store(head + need, std::memory_order_release);  // the message is visible from here on
    wake(h_->head_moved, h_->consumer_asleep);
    return {};
}

void ShmRing::finish() {
    h_->flags.fetch_or(kFinished, std::memory_order_release);
    h_->head_moved.fetch_add(1, std::memory_order_release);
    futex_wake_all(h_->head_moved);
}

void ShmRing::mark_died(std::uint32_t flag) {
    h_->flags.fetch_or(flag, std::memory_order_release);
    for (auto* w : {&h_->head_moved, &h_->tail_moved}) {
        w->fetch_add(1, std::memory_order_release);
        futex_wake_all(*w);
    }
}

Result<std::size_t, Error> ShmRing::pop(std::span<std::uint8_t> buf, std::chrono::milliseconds idle) {
    const std::uint64_t tail = h_->tail.load(std::memory_order_relaxed);  // ours alone
    std::uint64_t head = tail;
    std::uint32_t flags = 0;
    // Flags before head: a finish is published after the last message, so a
    // finished ring whose head equals our tail has nothing more to give.
    Error e = sleep_until(
        [&] {
            flags = h_->flags.load(std::memory_order_acquire);
            head = h_->head.load(std::memory_order_acquire);
            return head != tail || flags != 0;
        },
        h_->head_moved, h_->consumer_asleep, idle, "a message");
    if (!e.empty()) return Unexpected{e};
    if (head == tail) {
        if (flags & kFinished) return std::size_t{0};
        return Unexpected{Error("the writing side died: nothing more will come through the shared-memory ring")};
    }
    std::uint32_t len = 0;
    copy_out(tail, reinterpret_cast<std::uint8_t*>(&len), 4);
    if (len > buf.size() || framed(len) > head - tail)
        return Unexpected{"the shared-memory ring holds a message of " + std::to_string(len) + " bytes, more than the " +
                          std::to_string(buf.size()) + " expected"};
    copy_out(tail + 4, buf.data(), len);
    h_->tail.store(tail + framed(len), std::memory_order_release);  // the slot may be reused from here on
    wake(h_->tail_moved, h_->producer_asleep);
    return std::size_t{len};
}

}  // namespace hopsim::ipc
