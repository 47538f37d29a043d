// The shared-memory ring on its own: framing, wrap-around, a full ring, the
// end and a dead peer, and two threads streaming through it.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "shm_ring.hpp"

using namespace hopsim::ipc;
using namespace std::chrono_literals;

namespace {

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};

// A ring over ordinary memory: the futex calls work on private memory too.
struct LocalRing {
    explicit LocalRing(std::size_t data) : mem(std::aligned_alloc(64, ShmRing::bytes_for(data))), ring(ShmRing::format(mem.get(), ShmRing::bytes_for(data))) {}
    RingHeader& header() { return *static_cast<RingHeader*>(mem.get()); }
    std::unique_ptr<void, FreeDeleter> mem;
    ShmRing ring;
};

// Message k of length len: bytes that differ with k and position.
std::vector<std::uint8_t> message(std::uint32_t k, std::size_t len) {
    std::vector<std::uint8_t> m(len);
    for (std::size_t i = 0; i < len; ++i) m[i] = static_cast<std::uint8_t>(k * 31 + i * 7);
    return m;
}

}  // namespace

TEST_CASE("the ring frames a message as a 4-byte length and pads to 8 bytes", "[ipc][ring]") {
    LocalRing r(4096);
    CHECK(r.header().capacity == 4096);
    CHECK(r.ring.max_message() == 2048);
    const auto m = message(1, 5);
    REQUIRE(r.ring.push(m, 10ms).empty());
    CHECK(r.header().head.load() == 16);  // 4 + 5 = 9, rounded up to 16
    std::uint32_t len = 0;
    std::memcpy(&len, reinterpret_cast<std::uint8_t*>(r.mem.get()) + sizeof(RingHeader), 4);
    CHECK(len == 5);
    std::vector<std::uint8_t> out(64);
    auto n = r.ring.pop(out, 10ms);
    REQUIRE(n);
    CHECK(*n == 5);
    CHECK(std::equal(m.begin(), m.end(), out.begin()));
    CHECK(r.header().tail.load() == 16);
}

TEST_CASE("messages that straddle the end of the ring come out whole", "[ipc][ring]") {
    LocalRing r(4096);
    std::vector<std::uint8_t> out(4096);
    std::uint32_t next_in = 0, next_out = 0;
    // Lengths chosen so records land at every alignment across the wrap,
    // and the indices wrap the 4 KiB area hundreds of times.
    for (int round = 0; round < 400; ++round) {
        for (int i = 0; i < 3; ++i, ++next_in) {
            const auto m = message(next_in, 1 + (next_in * 389) % 1300);
            REQUIRE(r.ring.push(m, 100ms).empty());
        }
        for (int i = 0; i < 3; ++i, ++next_out) {
            const auto want = message(next_out, 1 + (next_out * 389) % 1300);
            auto n = r.ring.pop(out, 100ms);
            REQUIRE(n);
            REQUIRE(*n == want.size());
            REQUIRE(std::equal(want.begin(), want.end(), out.begin()));
        }
    }
    CHECK(r.header().head.load() > 100 * 4096);
}

TEST_CASE("a full ring makes the producer wait, and says so when nobody empties it", "[ipc][ring]") {
    LocalRing r(4096);
    const auto big = message(0, 2040);
    REQUIRE(r.ring.push(big, 10ms).empty());  // 2048 bytes framed
    REQUIRE(r.ring.push(big, 10ms).empty());  // 4096: full
    const Error e = r.ring.push(message(1, 1), 50ms);
    CHECK_THAT(e, Catch::Contains("idle timeout"));
    CHECK_THAT(r.ring.push(message(2, 2049), 10ms), Catch::Contains("does not fit"));
    r.ring.mark_died(kReaderDied);
    CHECK_THAT(r.ring.push(message(1, 1), 1s), Catch::Contains("reading side died"));
}

TEST_CASE("after finish the consumer drains what is left, then sees the end", "[ipc][ring]") {
    LocalRing r(4096);
    REQUIRE(r.ring.push(message(7, 100), 10ms).empty());
    r.ring.finish();
    std::vector<std::uint8_t> out(256);
    auto first = r.ring.pop(out, 10ms);
    REQUIRE(first);
    CHECK(*first == 100);
    auto end = r.ring.pop(out, 10ms);
    REQUIRE(end);
    CHECK(*end == 0);

    LocalRing dead(4096);
    dead.ring.mark_died(kWriterDied);
    auto gone = dead.ring.pop(out, 1s);
    REQUIRE_FALSE(gone);
    CHECK_THAT(gone.error(), Catch::Contains("writing side died"));
}

TEST_CASE("two threads stream 100,000 messages through the ring in order", "[ipc][ring]") {
    LocalRing r(1 << 16);
    constexpr std::uint32_t kCount = 100000;
    std::thread producer([&] {
        for (std::uint32_t k = 0; k < kCount; ++k)
            if (!r.ring.push(message(k, 1 + k % 700), 5s).empty()) return;
        r.ring.finish();
    });
    std::vector<std::uint8_t> out(1 << 15);
    std::uint32_t k = 0;
    bool ok = true;
    for (;;) {
        auto n = r.ring.pop(out, 5s);
        if (!n || *n == 0) break;
        const auto want = message(k, 1 + k % 700);
        ok &= *n == want.size() && std::equal(want.begin(), want.end(), out.begin());
        ++k;
    }
    producer.join();
    CHECK(ok);
    CHECK(k == kCount);
}
