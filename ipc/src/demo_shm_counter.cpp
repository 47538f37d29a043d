// The shared-memory "protocol" of a first version: the producer writes a
// message into one buffer and bumps a one-byte counter; the consumer spins
// until the counter changes and copies the buffer. Nothing makes the
// producer wait, nothing orders the accesses, the counter wraps at 256 and
// the consumer burns a core while nothing happens. Then the same messages
// through the ring (acquire/release indices, futex sleep).

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "hopsim/ipc/demo_bugs.hpp"
#include "hopsim/ipc/run.hpp"
#include "hopsim/netstack/socket/byte_source.hpp"

namespace hopsim::ipc {

namespace {

constexpr int kMessages = 200000;
constexpr std::size_t kMessageSize = 64;
constexpr auto kPause = std::chrono::milliseconds(500);  // the producer is idle this long halfway

// As a student writes it: volatile, no atomics, no waiting.
struct Naive {
    volatile std::uint8_t counter;
    volatile std::uint8_t done;
    volatile std::uint8_t message[kMessageSize];
    // What the consumer found.
    long received, torn, wraps, out_of_order;
};

double cpu_seconds(const rusage& ru) {
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void produce(Naive& s) {
    for (int i = 1; i <= kMessages; ++i) {
        // Every byte of message i is i % 251: a message mixing two values was torn.
        for (std::size_t j = 0; j < kMessageSize; ++j) s.message[j] = static_cast<std::uint8_t>(i % 251);
        s.counter = static_cast<std::uint8_t>(s.counter + 1);
        if (i == kMessages / 2) std::this_thread::sleep_for(kPause);
    }
    s.done = 1;
}

void consume(Naive& s) {
    std::uint8_t last = 0;
    int last_value = 0;
    std::uint8_t copy[kMessageSize];
    while (!s.done) {  // spins: there is nothing to sleep on
        const std::uint8_t c = s.counter;
        if (c == last) continue;
        if (c < last) ++s.wraps;
        last = c;
        for (std::size_t j = 0; j < kMessageSize; ++j) copy[j] = s.message[j];
        ++s.received;
        bool uniform = true;
        for (std::size_t j = 1; j < kMessageSize; ++j) uniform &= copy[j] == copy[0];
        if (!uniform) ++s.torn;
        if (copy[0] == last_value) ++s.out_of_order;  // the same message seen twice
        last_value = copy[0];
    }
}

struct NaiveReport {
    long received = 0, torn = 0, wraps = 0, seen_twice = 0;
    double wall = 0, consumer_cpu = 0;
};

NaiveReport run_naive() {
    auto* s = static_cast<Naive*>(::mmap(nullptr, sizeof(Naive), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    *const_cast<Naive*>(s) = {};
    std::fflush(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t consumer = ::fork();
    if (consumer == 0) consume(*s), ::_exit(0);
    const pid_t producer = ::fork();
    if (producer == 0) produce(*s), ::_exit(0);
    rusage ru{};
    ::waitpid(producer, nullptr, 0);
    ::wait4(consumer, nullptr, 0, &ru);
    NaiveReport r{s->received, s->torn, s->wraps, s->out_of_order,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), cpu_seconds(ru)};
    ::munmap(s, sizeof(Naive));
    return r;
}

}  // namespace

DemoOutcome demo_shm_counter() {
    const NaiveReport bug = run_naive();

    // The fix: the same messages through the ring, with the same pause.
    std::vector<std::uint8_t> all(std::size_t{kMessages} * kMessageSize);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>((i / kMessageSize + 1) % 251);
    const net::sock::SpanSource source(all);
    RunPlan plan;
    plan.transport = TransportKind::Shm;
    plan.source = &source;
    plan.message_size = kMessageSize;
    plan.round_trips = 0;
    plan.fault = {Fault::Kind::ProducerPauses, std::uint64_t{kMessages / 2} * kMessageSize, kPause};
    const auto ring = run_transport(plan);
    const bool ring_ok = ring && ring->bulk.intact;
    const double ring_cpu = ring ? ring->bulk.consumer.cpu_seconds : 0, ring_wall = ring ? ring->bulk.seconds : 0;
    // The ring's consumer alone through the same pause: two messages, 500 ms
    // apart. Above, its CPU time is mostly checking 200,000 messages.
    const std::vector<std::uint8_t> two(all.begin(), all.begin() + 2 * kMessageSize);
    const net::sock::SpanSource two_source(two);
    plan.source = &two_source;
    plan.fault.after = kMessageSize;
    const auto idle = run_transport(plan);
    const double idle_cpu = idle && idle->bulk.intact ? idle->bulk.consumer.cpu_seconds : -1;

    const long lost = kMessages - bug.received;
    DemoOutcome d;
    // The naive consumer's CPU time covers at least half the pause, when
    // nothing was sent; the ring's uses under a tenth of it.
    const double pause = std::chrono::duration<double>(kPause).count();
    const bool spun = bug.consumer_cpu >= 0.5 * pause, slept = idle_cpu >= 0 && idle_cpu < 0.1 * pause;
    d.failed_as_documented = (lost > 0 || bug.torn > 0) && spun && ring_ok && slept;
    d.text = fmt::format(
        "The bug: the producer writes a {}-byte message into one shared buffer and adds 1 to a one-byte\n"
        "  counter; the consumer loops until the counter changes, then copies the buffer. {} messages,\n"
        "  with a {} ms pause halfway.\n"
        "  The consumer saw {} of them: {} were lost (overwritten before it looked: nothing makes the\n"
        "  producer wait), {} were torn (copied while the next one was being written: half one message,\n"
        "  half the next) and {} were seen twice. The counter wrapped from 255 to 0 {} times while the\n"
        "  consumer watched; a counter that moves 256 steps between two looks shows no change at all,\n"
        "  and those 256 messages vanish without a trace.\n"
        "  The consumer used {:.2f} s of CPU in {:.2f} s: it spun the whole time, the pause included.\n"
        "The fix: the shared-memory ring (hopsim ipc --transport shm): length-framed messages, a head and\n"
        "  a tail index published with release and read with acquire, the producer waits for room, and a\n"
        "  side with nothing to do sleeps on a futex.\n"
        "  {} of {} messages arrived {}; the consumer used {:.3f} s of CPU in {:.2f} s.\n"
        "  Two messages {} ms apart: the consumer used {:.4f} s of CPU, asleep on the futex in between.\n"
        "{}\n",
        kMessageSize, kMessages, kPause.count(), bug.received, lost, bug.torn, bug.seen_twice, bug.wraps, bug.consumer_cpu,
        bug.wall, ring_ok ? kMessages : 0, kMessages, ring_ok ? "intact, in order" : "NOT intact: " + (ring ? ring->bulk.error : ring.error()),
        ring_cpu, ring_wall, kPause.count(), idle_cpu, d.failed_as_documented ? "As docs/ipc.md says." : "NOT as docs/ipc.md says: see above.");
    d.json = nlohmann::ordered_json{
        {"demo", "shm-counter"},
        {"failed_as_documented", d.failed_as_documented},
        {"messages", kMessages},
        {"pause_ms", kPause.count()},
        {"bug", {{"received", bug.received}, {"lost", lost}, {"torn", bug.torn}, {"seen_twice", bug.seen_twice},
                 {"wraps_seen", bug.wraps}, {"consumer_cpu_seconds", bug.consumer_cpu}, {"seconds", bug.wall}}},
        {"fix", {{"intact", ring_ok}, {"consumer_cpu_seconds", ring_cpu}, {"seconds", ring_wall},
                 {"idle_consumer_cpu_seconds", idle_cpu}}}}
                 .dump();
    return d;
}

}  // namespace hopsim::ipc
