#pragma once
// A single-producer single-consumer ring of length-framed messages in shared
// memory. Each index is written by one side only and published with release,
// read by the other with acquire; a side with nothing to do sleeps on a futex
// and is woken only when it said it sleeps, so a busy ring makes no system
// call and an idle one burns no CPU.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "hopsim/ipc/channel.hpp"

namespace hopsim::ipc {

// Lives at the start of each ring's part of the segment; each group of fields
// on its own cache line, so the two sides do not invalidate each other's.
struct RingHeader {
    alignas(64) std::atomic<std::uint64_t> head{0};  // bytes published (producer writes)
    std::atomic<std::uint32_t> head_moved{0};         // futex word the consumer sleeps on
    std::atomic<std::uint32_t> consumer_asleep{0};
    alignas(64) std::atomic<std::uint64_t> tail{0};  // bytes taken (consumer writes)
    std::atomic<std::uint32_t> tail_moved{0};         // futex word the producer sleeps on
    std::atomic<std::uint32_t> producer_asleep{0};
    alignas(64) std::atomic<std::uint32_t> flags{0};  // kFinished | kWriterDied | kReaderDied
    std::uint64_t capacity = 0;                       // data bytes after the header, a power of two
};
inline constexpr std::uint32_t kFinished = 1, kWriterDied = 2, kReaderDied = 4;

class ShmRing {
public:
    // Formats a ring over `bytes` of shared memory (header then data).
    static ShmRing format(void* at, std::size_t bytes);
    static std::size_t bytes_for(std::size_t capacity) { return sizeof(RingHeader) + capacity; }
    // The largest message: half the data area, so a full-size message never
    // waits for a ring that can hold it only empty.
    std::size_t max_message() const { return h_->capacity / 2; }

    // Producer side. Waits (asleep) for room; errors if the consumer died or
    // took nothing for `idle`.
    [[nodiscard]] Error push(net::Bytes msg, std::chrono::milliseconds idle);
    void finish();
    // Consumer side: one message; 0 once the producer finished and all is read.
    Result<std::size_t, Error> pop(std::span<std::uint8_t> buf, std::chrono::milliseconds idle);
    // From the parent: kWriterDied or kReaderDied; the side still alive stops waiting.
    void mark_died(std::uint32_t flag);

private:
    ShmRing(RingHeader* h, std::uint8_t* data) : h_(h), data_(data) {}
    void copy_in(std::uint64_t at, const std::uint8_t* from, std::size_t n);
    void copy_out(std::uint64_t at, std::uint8_t* to, std::size_t n) const;
    template <class Ready>
    Error sleep_until(Ready ready, std::atomic<std::uint32_t>& moved, std::atomic<std::uint32_t>& asleep,
                      std::chrono::milliseconds idle, const char* waiting_for);
    static void wake(std::atomic<std::uint32_t>& moved, std::atomic<std::uint32_t>& asleep);

    RingHeader* h_;
    std::uint8_t* data_;
};

}  // namespace hopsim::ipc
