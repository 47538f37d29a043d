#pragma once
// One transport, measured: a producer process and a consumer process, forked
// from this one. First the bulk stream (every byte checked by the consumer,
// throughput, each side's CPU time and peak memory), then the round trips
// (the consumer echoes small messages; percentiles of the round-trip time).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "hopsim/ipc/transport.hpp"
#include "hopsim/netstack/socket/byte_source.hpp"

namespace hopsim::ipc {

// Faults to show what each transport does when a side misbehaves.
struct Fault {
    enum class Kind { None, ConsumerDies, ProducerDies, SlowConsumer, ProducerPauses, CorruptByte };
    Kind kind = Kind::None;
    // Bytes: the side dies (SIGKILL) or pauses once past this; CorruptByte:
    // the producer flips bit 5 of the byte at this offset, the consumer must say so.
    std::uint64_t after = 0;
    std::chrono::milliseconds delay{1};  // SlowConsumer: per message; ProducerPauses: once
};
std::optional<Fault::Kind> parse_fault(std::string_view name);  // "consumer-dies", ...
std::string_view fault_name(Fault::Kind k);

struct RunPlan {
    TransportKind transport = TransportKind::Pipe;
    const net::sock::ByteSource* source = nullptr;  // what the producer sends and the consumer checks
    std::size_t message_size = 32768;
    std::size_t round_trips = 10000;  // 0: no round trips
    std::size_t ping_size = 64;
    std::chrono::milliseconds idle_timeout{5000};  // a side waiting this long for its peer gives up
    std::chrono::seconds timeout{600};             // the parent kills both sides after this
    Fault fault;
    std::string base_dir;  // the run's private directory is made in it; "" = $TMPDIR or /tmp
    // Called in the parent a few times a second with the bytes checked so
    // far; returning false stops the run (Ctrl-C): both sides are killed.
    std::function<bool(std::uint64_t)> progress;
};

struct SideOutcome {
    std::string error;   // what this side reported, "" if nothing went wrong
    std::string ended;   // "exited 0", "killed by SIGKILL"
    bool clean = false;  // exited 0
    double cpu_seconds = 0;  // user + system, from wait4
    long max_rss_kib = 0;
};

struct BulkOutcome {
    std::uint64_t bytes_expected = 0, bytes_sent = 0, bytes_checked = 0;
    std::uint64_t messages_sent = 0, reads = 0;  // reads: the consumer's receives that brought data
    bool intact = false;  // every byte arrived, in order, unchanged, and the stream ended
    double seconds = 0;   // producer's first send to consumer's last check
    double producer_seconds = 0;  // producer's first send to its finish: backpressure holds it near `seconds`
    SideOutcome producer, consumer;
    std::string error;    // the first thing that went wrong, said once
    double mib_per_second() const { return seconds > 0 ? static_cast<double>(bytes_checked) / (1 << 20) / seconds : 0; }
};

struct RoundTripOutcome {
    std::size_t round_trips = 0;
    double p50_us = 0, p99_us = 0, max_us = 0;
    std::string error;
};

struct TransportOutcome {
    TransportKind transport = TransportKind::Pipe;
    BulkOutcome bulk;
    std::optional<RoundTripOutcome> round_trip;
    bool interrupted = false;  // the progress callback stopped it
    bool ok() const { return bulk.intact && bulk.error.empty() && (!round_trip || round_trip->error.empty()); }
};

// Checks the plan first (message size against the transport's limit);
// a plan it refuses comes back as an error without forking anything.
Result<TransportOutcome, std::string> run_transport(const RunPlan& plan);

}  // namespace hopsim::ipc
