#include <catch2/catch.hpp>

#include <vector>

#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/rng.hpp"

using namespace hopsim::sim;

namespace {
struct Recorder final : EventTarget {
    std::vector<std::pair<std::int64_t, std::uint32_t>> seen;
    Engine* engine = nullptr;
    void on_event(const Event& e) override {
        seen.emplace_back(e.time.count(), e.kind);
        if (e.kind == 99) engine->schedule_in(SimTime::ns(0), this, 100);  // same-time follow-up runs after
    }
};
}  // namespace

TEST_CASE("events run in time order, and equal times in insertion order", "[engine]") {
    Engine e;
    Recorder r;
    r.engine = &e;
    e.schedule(SimTime::ns(30), &r, 1);
    e.schedule(SimTime::ns(10), &r, 2);
    e.schedule(SimTime::ns(20), &r, 3);
    e.schedule(SimTime::ns(10), &r, 4);
    e.schedule(SimTime::ns(10), &r, 99);
    e.schedule(SimTime::ns(10), &r, 5);
    CHECK(e.check_invariants());
    e.run_until(SimTime::max());
    const std::vector<std::pair<std::int64_t, std::uint32_t>> expect = {
        {10, 2}, {10, 4}, {10, 99}, {10, 5}, {10, 100}, {20, 3}, {30, 1}};
    CHECK(r.seen == expect);
    CHECK(e.events_run() == 7);
    CHECK(e.pending() == 0);
}

TEST_CASE("run_until stops at the bound and keeps later events", "[engine]") {
    Engine e;
    Recorder r;
    r.engine = &e;
    for (int i = 1; i <= 10; ++i) e.schedule(SimTime::us(i), &r, static_cast<std::uint32_t>(i));
    e.run_until(SimTime::us(4));
    CHECK(r.seen.size() == 4);
    CHECK(e.now() == SimTime::us(4));
    CHECK(e.pending() == 6);
    CHECK(e.next_time() == SimTime::us(5));
}

TEST_CASE("the heap keeps its order under a random workload", "[engine]") {
    Engine e;
    Recorder r;
    r.engine = &e;
    Rng rng(42, "engine test");
    for (int i = 0; i < 5000; ++i) e.schedule(SimTime::ns(static_cast<std::int64_t>(rng.below(1000))), &r, 1);
    REQUIRE(e.check_invariants());
    for (int i = 0; i < 2500; ++i) e.step();
    REQUIRE(e.check_invariants());
    e.run_until(SimTime::max());
    for (std::size_t i = 1; i < r.seen.size(); ++i) REQUIRE(r.seen[i - 1].first <= r.seen[i].first);
}

TEST_CASE("random streams are reproducible per key and independent across keys", "[rng]") {
    Rng a(7, "link 0 loss"), b(7, "link 0 loss"), c(7, "link 1 loss"), d(8, "link 0 loss");
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.next();
        REQUIRE(x == b.next());
        same_c += x == c.next();
        same_d += x == d.next();
    }
    CHECK(same_c == 0);
    CHECK(same_d == 0);
}

TEST_CASE("uniform draws stay in range and are roughly uniform", "[rng]") {
    Rng r(1, "stats");
    std::vector<int> buckets(8);
    double sum = 0;
    for (int i = 0; i < 80000; ++i) {
        const auto k = r.below(8);
        REQUIRE(k < 8);
        buckets[k]++;
        const double u = r.uniform01();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum += u;
    }
    for (int n : buckets) CHECK(n == Approx(10000).epsilon(0.05));
    CHECK(sum / 80000 == Approx(0.5).epsilon(0.01));
    CHECK_FALSE(r.chance(0.0));
}
