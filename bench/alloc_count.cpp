// Counts heap allocations while a scenario runs, to show that the hot path
// (event queue, frame forwarding) allocates nothing per hop in steady state.
// Every global operator new is counted; the run is split into a warm-up (the
// first fifth of the simulated time: pools, queues and tables grow to their
// working size) and the measured rest. Prints allocations per packet-hop.
// Not a test. Usage: hopsim-alloc-count SCENARIO [--trace]

#include <fmt/core.h>

#include <execinfo.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_jsonl.hpp"

namespace {
std::atomic<std::uint64_t> g_allocations{0};
// HOPSIM_ALLOC_TRACE=N: print where the first N allocations of the second half come from.
int g_show = 0;
bool g_measuring = false;

void show_caller() {
    if (!g_measuring || g_show <= 0) return;
    --g_show;
    g_measuring = false;  // backtrace_symbols allocates
    void* frames[12];
    const int n = backtrace(frames, 12);
    backtrace_symbols_fd(frames, n, 2);
    std::fputs("--\n", stderr);
    g_measuring = true;
}
}  // namespace

void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    show_caller();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::aligned_alloc(static_cast<std::size_t>(a), (n + static_cast<std::size_t>(a) - 1) & ~(static_cast<std::size_t>(a) - 1)))
        return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
    using namespace hopsim;
    if (argc < 2) {
        fmt::print(stderr, "usage: hopsim-alloc-count SCENARIO [--trace]\n");
        return 2;
    }
    auto sc = sim::load_scenario_file(argv[1]);
    if (!sc) {
        for (const auto& p : sc.error()) fmt::print(stderr, "{}: {}\n", argv[1], p);
        return 2;
    }
    const bool trace = argc > 2 && std::string(argv[2]) == "--trace";
    sim::Simulation simulation(*sc);
    std::FILE* devnull = std::fopen("/dev/null", "w");
    sim::JsonlSink sink(devnull, *sc);
    if (trace) simulation.tracer().add(&sink);
    auto hops = [&] {
        std::uint64_t n = 0;
        for (const auto& s : simulation.network().stats) n += s.tx_frames;
        return n;
    };
    // First, on a copy: when have a fifth of the hops happened (the warm-up
    // ends), and when 95% (the measurement ends before the tail: timers,
    // TIME_WAIT).
    sim::SimTime warm, stop;
    {
        sim::Simulation probe(*sc);
        probe.run(sc->until);
        const sim::SimTime end = probe.network().now();
        std::uint64_t total = 0;
        for (const auto& s : probe.network().stats) total += s.tx_frames;
        sim::Simulation again(*sc);
        for (int step = 1; step <= 100000; ++step) {
            again.run(sim::SimTime::ns(end.count() / 100000 * step));
            std::uint64_t h = 0;
            for (const auto& s : again.network().stats) h += s.tx_frames;
            if (warm.count() == 0 && h * 5 >= total) warm = again.network().now();
            if (h * 100 >= total * 95) {
                stop = again.network().now();
                break;
            }
        }
    }
    simulation.run(warm);
    if (const char* v = std::getenv("HOPSIM_ALLOC_TRACE")) g_show = std::atoi(v);
    // Two halves: growth to the working set (pool slots for frames queued at
    // once, table rows) shows up early and fades; a cost per hop would not.
    const sim::SimTime mid = sim::SimTime::ns((warm.count() + stop.count()) / 2);
    std::uint64_t a[3], h[3];
    a[0] = g_allocations.load(), h[0] = hops();
    simulation.run(mid);
    a[1] = g_allocations.load(), h[1] = hops();
    g_measuring = true;  // HOPSIM_ALLOC_TRACE shows the second half's
    simulation.run(stop);
    g_measuring = false;
    a[2] = g_allocations.load(), h[2] = hops();
    auto per = [&](int i) { return h[i + 1] > h[i] ? static_cast<double>(a[i + 1] - a[i]) / static_cast<double>(h[i + 1] - h[i]) : 0.0; };
    fmt::print("{}{}: warm-up to {} ({} hops), then {} hops with {} allocations ({:.4f} per hop), then {} hops with {} ({:.4f} per hop)\n",
               sc->name, trace ? " +trace" : "", warm.to_string(), h[0], h[1] - h[0], a[1] - a[0], per(0), h[2] - h[1], a[2] - a[1], per(1));
    std::fclose(devnull);
    return 0;
}
