// Each transport between two forked processes: the bytes, the boundaries,
// the faults (a side killed, a slow consumer, an idle one) and the clean-up.
// Every wait in the code under test is bounded; the elapsed-time checks make
// a hang a failure, not a stuck CI run.

#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>

#include "hopsim/ipc/run.hpp"
#include "support/process.hpp"

using namespace hopsim;
using namespace hopsim::ipc;
using namespace std::chrono_literals;

namespace {

// The printable pattern the CLI sends (byte i = 0x20 + i % 95), in memory.
std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(0x20 + i % 95);
    return v;
}

bool keeps_boundaries(TransportKind k) {
    return k == TransportKind::UnixDgram || k == TransportKind::Shm || k == TransportKind::Zmq || k == TransportKind::Udp;
}

TransportOutcome run(const RunPlan& plan) {
    auto out = run_transport(plan);
    REQUIRE(out);
    return *out;
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
}

// Segments this process's runs named (the name carries our pid).
int our_segments() {
    int n = 0;
    const std::string prefix = "hopsim-ipc-" + std::to_string(::getpid()) + "-";
    for (const auto& e : std::filesystem::directory_iterator("/dev/shm")) n += e.path().filename().string().rfind(prefix, 0) == 0;
    return n;
}

RunPlan plan_for(TransportKind k, const net::sock::ByteSource& source) {
    RunPlan plan;
    plan.transport = k;
    plan.source = &source;
    return plan;
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("every transport moves an odd-sized stream intact and times round trips", "[ipc]") {
    const auto data = pattern((3 << 20) + 5);
    const net::sock::SpanSource source(data);
    for (TransportKind k : kAllTransports) {
        INFO(transport_name(k));
        RunPlan plan = plan_for(k, source);
        plan.round_trips = 200;
        const auto out = run(plan);
        CHECK(out.ok());
        CHECK(out.bulk.intact);
        CHECK(out.bulk.bytes_checked == data.size());
        CHECK(out.bulk.messages_sent == 97);  // 96 of 32 KiB and one of 5 bytes
        if (keeps_boundaries(k)) CHECK(out.bulk.reads == 97);
        CHECK(out.bulk.seconds > 0);
        REQUIRE(out.round_trip);
        CHECK(out.round_trip->error.empty());
        CHECK(out.round_trip->round_trips == 200);
        CHECK(out.round_trip->p50_us > 0);
        CHECK(out.round_trip->p50_us <= out.round_trip->p99_us);
        CHECK(out.round_trip->p99_us <= out.round_trip->max_us);
    }
}

TEST_CASE("a file of random bytes arrives byte for byte", "[ipc]") {
    test::TempDir dir("ipc-file");
    std::string bytes(1 << 20, '\0');
    std::mt19937 rng(7);
    for (char& c : bytes) c = static_cast<char>(rng());
    test::write_file(dir.file("random.bin"), bytes);
    auto file = net::sock::FileSource::open(dir.file("random.bin"));
    REQUIRE(file);
    for (TransportKind k : {TransportKind::Fifo, TransportKind::Shm, TransportKind::Zmq, TransportKind::Udp}) {
        INFO(transport_name(k));
        RunPlan plan = plan_for(k, *file);
        plan.message_size = 4000;
        plan.round_trips = 0;
        const auto out = run(plan);
        CHECK(out.bulk.intact);
        CHECK(out.bulk.bytes_checked == bytes.size());
    }
}

TEST_CASE("a changed byte is caught at its offset, on every transport", "[ipc]") {
    const auto data = pattern(2 << 20);
    const net::sock::SpanSource source(data);
    for (TransportKind k : kAllTransports) {
        INFO(transport_name(k));
        RunPlan plan = plan_for(k, source);
        plan.round_trips = 0;
        plan.idle_timeout = 1s;
        plan.fault = {Fault::Kind::CorruptByte, 1234567, 0ms};
        const auto out = run(plan);
        CHECK_FALSE(out.bulk.intact);
        // 1234567 % 95 = 42: the source has 0x20 + 42 = 0x4a there, and bit 5 flipped is 0x6a.
        CHECK_THAT(out.bulk.error, Catch::Contains("byte 1234567 differs: the source has 0x4a, the consumer received 0x6a"));
    }
}

// Kills one side after its first MiB of a 16 MiB stream, with a 1 s idle
// timeout; the run must end well within a few idle timeouts.
TransportOutcome killed_after_1mib(TransportKind k, Fault::Kind who, const std::string& base_dir = "") {
    static const auto data = pattern(16 << 20);
    static const net::sock::SpanSource source(data);
    RunPlan plan = plan_for(k, source);
    plan.idle_timeout = 1s;
    plan.base_dir = base_dir;
    plan.fault = {who, 1 << 20, 0ms};
    const auto t0 = std::chrono::steady_clock::now();
    auto out = run(plan);
    CHECK(since(t0) < 8);  // idle timeout, ZeroMQ's linger, and slack
    CHECK_FALSE(out.bulk.intact);
    CHECK(out.bulk.bytes_checked < data.size());
    CHECK_FALSE(out.round_trip);  // no round trips after a fault
    return out;
}

bool mentions_any(const std::string& text, const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (text.find(w) != std::string::npos) return true;
    return false;
}

TEST_CASE("a consumer killed mid-stream: the producer says why, and nothing hangs", "[ipc][fault]") {
    // TCP: RST or EPIPE, depending on where the write was. UDP: a send meets
    // the ICMP port unreachable; a producer waiting for a credit sends
    // nothing and meets the idle timeout instead.
    const std::pair<TransportKind, std::vector<std::string>> expected[] = {
        {TransportKind::Pipe, {"EPIPE"}},
        {TransportKind::Fifo, {"EPIPE"}},
        {TransportKind::UnixStream, {"EPIPE"}},
        {TransportKind::UnixDgram, {"ECONNREFUSED"}},
        {TransportKind::Shm, {"reading side died"}},
        {TransportKind::Zmq, {"idle timeout"}},
        {TransportKind::Tcp, {"ECONNRESET", "EPIPE"}},
        {TransportKind::Udp, {"ECONNREFUSED", "credit"}},
    };
    for (const auto& [k, why] : expected) {
        INFO(transport_name(k));
        const auto out = killed_after_1mib(k, Fault::Kind::ConsumerDies);
        CHECK(out.bulk.consumer.ended == "killed by SIGKILL");
        CHECK(out.bulk.producer.ended == "exited 1");
        INFO(out.bulk.producer.error);
        CHECK(mentions_any(out.bulk.producer.error, why));
    }
}

TEST_CASE("a producer killed mid-stream: the consumer sees the end or times out, and nothing is left behind", "[ipc][fault]") {
    test::TempDir base("ipc-base");
    const std::pair<TransportKind, const char*> expected[] = {
        {TransportKind::Pipe, "ended after"},     {TransportKind::Fifo, "ended after"},
        {TransportKind::UnixStream, "ended after"}, {TransportKind::UnixDgram, "idle timeout"},
        {TransportKind::Shm, "writing side died"},  {TransportKind::Zmq, "idle timeout"},
        {TransportKind::Tcp, "ended after"},      {TransportKind::Udp, "idle timeout"},
    };
    for (auto [k, why] : expected) {
        INFO(transport_name(k));
        const auto out = killed_after_1mib(k, Fault::Kind::ProducerDies, base.path().string());
        CHECK(out.bulk.producer.ended == "killed by SIGKILL");
        CHECK_THAT(out.bulk.consumer.error, Catch::Contains(why));
        // FIFOs, socket files, the run's directory and the segment: all gone.
        CHECK(entries(base.path().string()).empty());
        CHECK(our_segments() == 0);
    }
}

TEST_CASE("a slow consumer holds the producer back", "[ipc][fault]") {
    const auto data = pattern(16 << 20);
    const net::sock::SpanSource source(data);
    for (TransportKind k : kAllTransports) {
        INFO(transport_name(k));
        RunPlan plan = plan_for(k, source);
        plan.round_trips = 0;
        plan.fault = {Fault::Kind::SlowConsumer, 0, 1ms};  // 1 ms per receive
        const auto out = run(plan);
        CHECK(out.bulk.intact);
        CHECK(out.bulk.seconds >= 0.25);  // streams read up to 64 KiB at once: 256 reads at least
        // Buffers of a few MiB at most: the producer cannot finish 16 MiB
        // much before the consumer has taken most of it.
        CHECK(out.bulk.producer_seconds >= 0.5 * out.bulk.seconds);
    }
}

TEST_CASE("an idle consumer sleeps instead of spinning", "[ipc][fault]") {
    const auto data = pattern(2 << 20);
    const net::sock::SpanSource source(data);
    for (TransportKind k : kAllTransports) {
        INFO(transport_name(k));
        RunPlan plan = plan_for(k, source);
        plan.round_trips = 0;
        plan.fault = {Fault::Kind::ProducerPauses, 1 << 20, 1000ms};
        const auto out = run(plan);
        CHECK(out.bulk.intact);
        CHECK(out.bulk.seconds >= 1.0);
        CHECK(out.bulk.consumer.cpu_seconds < 0.15);  // a spinning consumer would use about a second
    }
}

TEST_CASE("a plan a transport cannot carry is refused before anything forks", "[ipc]") {
    const auto data = pattern(100);
    const net::sock::SpanSource source(data);
    RunPlan plan;
    plan.source = &source;
    plan.transport = TransportKind::Udp;
    plan.message_size = 65508;
    auto too_big = run_transport(plan);
    REQUIRE_FALSE(too_big);
    CHECK_THAT(too_big.error(), Catch::Contains("udp carries at most 65507 bytes per message"));
    plan.transport = TransportKind::Shm;
    plan.message_size = (1 << 20) + 1;
    CHECK_FALSE(run_transport(plan));
    plan.message_size = 0;
    CHECK_FALSE(run_transport(plan));
}

TEST_CASE("each transport carries the largest message it accepts", "[ipc]") {
    for (TransportKind k : kAllTransports) {
        INFO(transport_name(k));
        const auto data = pattern(3 * max_message_size(k) + 1);
        const net::sock::SpanSource source(data);
        RunPlan plan = plan_for(k, source);
        plan.message_size = max_message_size(k);
        plan.round_trips = 0;
        const auto out = run(plan);
        CHECK(out.bulk.error == "");
        CHECK(out.bulk.intact);
        CHECK(out.bulk.messages_sent == 4);
        if (keeps_boundaries(k)) CHECK(out.bulk.reads == 4);
    }
}
