// hopsim ipc: the same payload between two local processes through each IPC
// transport, every byte checked, with throughput, round-trip percentiles and
// each side's CPU time; or a classic student bug run on purpose.

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <memory>
#include <optional>
#include <vector>

#include "commands.hpp"
#include "hopsim/ipc/byte_size.hpp"
#include "hopsim/ipc/demo_bugs.hpp"
#include "hopsim/ipc/paths.hpp"
#include "hopsim/ipc/run.hpp"
#include "hopsim/real/payload_source.hpp"
#include "hopsim/sim/units.hpp"

namespace hopsim::cli {

namespace {

std::atomic<int> g_stop{0};  // the signal that asked us to stop
extern "C" void on_ipc_stop_signal(int sig) { g_stop = sig; }

struct IpcOptions {
    std::string transport = "all";
    std::string size = "64MiB", payload, file, message_size = "32KiB";
    std::optional<std::uint64_t> messages;
    std::size_t round_trips = 10000;
    bool json = false;
    std::string dir, timeout = "600s", idle = "5s";
    std::string fault = "none", fault_after = "0", fault_delay = "1ms";
    std::string demo_bug;
};

std::string fixed(double v, int places) { return fmt::format("{:.{}f}", v, places); }

nlohmann::ordered_json side_json(const ipc::SideOutcome& s) {
    return {{"cpu_seconds", s.cpu_seconds}, {"max_rss_kib", s.max_rss_kib}, {"ended", s.ended}, {"error", s.error}};
}

nlohmann::ordered_json outcome_json(const ipc::TransportOutcome& o) {
    const auto& b = o.bulk;
    nlohmann::ordered_json rt = nullptr;
    if (o.round_trip)
        rt = {{"count", o.round_trip->round_trips}, {"p50_us", o.round_trip->p50_us}, {"p99_us", o.round_trip->p99_us},
              {"max_us", o.round_trip->max_us}, {"error", o.round_trip->error}};
    return {{"transport", ipc::transport_name(o.transport)}, {"ok", o.ok()}, {"intact", b.intact},
            {"bytes_expected", b.bytes_expected}, {"bytes_sent", b.bytes_sent}, {"bytes_checked", b.bytes_checked},
            {"messages_sent", b.messages_sent}, {"reads", b.reads}, {"seconds", b.seconds}, {"producer_seconds", b.producer_seconds},
            {"mib_per_second", b.mib_per_second()}, {"producer", side_json(b.producer)}, {"consumer", side_json(b.consumer)},
            {"round_trip", rt}, {"error", b.error}};
}

void print_table(const std::vector<ipc::TransportOutcome>& all) {
    fmt::print("{:<12} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}\n", "transport", "moved", "intact", "MiB/s",
               "rtt p50", "rtt p99", "cpu prod", "cpu cons", "peak mem");
    for (const auto& o : all) {
        const auto& b = o.bulk;
        const bool rt = o.round_trip && o.round_trip->error.empty() && o.round_trip->round_trips > 0;
        fmt::print("{:<12} {:>10} {:>7} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}\n", ipc::transport_name(o.transport),
                   ipc::format_bytes(b.bytes_checked), b.intact ? "yes" : "NO", b.intact ? fixed(b.mib_per_second(), 0) : "-",
                   rt ? fixed(o.round_trip->p50_us, 1) + " us" : "-", rt ? fixed(o.round_trip->p99_us, 1) + " us" : "-",
                   fixed(b.producer.cpu_seconds, 2) + " s", fixed(b.consumer.cpu_seconds, 2) + " s",
                   ipc::format_bytes(static_cast<std::uint64_t>(std::max(b.producer.max_rss_kib, b.consumer.max_rss_kib)) * 1024));
    }
    for (const auto& o : all) {
        if (!o.bulk.error.empty()) fmt::print("{}: {}\n", ipc::transport_name(o.transport), o.bulk.error);
        if (o.round_trip && !o.round_trip->error.empty())
            fmt::print("{} round trips: {}\n", ipc::transport_name(o.transport), o.round_trip->error);
    }
}

int fail_usage(const std::string& what) { return fmt::print(stderr, "hopsim ipc: {}\n", what), kExitBadInput; }

int run_ipc(const IpcOptions& o) {
    if (!o.demo_bug.empty()) {
        auto bug = ipc::parse_demo_bug(o.demo_bug);
        if (!bug) return fail_usage("--demo-bug: no demo \"" + o.demo_bug + "\" (fifo-tilde, shm-counter or pipe-unclosed)");
        const ipc::DemoOutcome d = ipc::run_demo_bug(*bug);
        fmt::print("{}", o.json ? d.json + "\n" : d.text);
        return d.failed_as_documented ? kExitOk : kExitFailed;
    }
    std::vector<ipc::TransportKind> kinds;
    if (o.transport == "all")
        kinds.assign(ipc::kAllTransports.begin(), ipc::kAllTransports.end());
    else if (auto k = ipc::parse_transport(o.transport))
        kinds.push_back(*k);
    else
        return fail_usage("--transport: no transport \"" + o.transport +
                          "\" (pipe, fifo, unix-stream, unix-dgram, shm, zmq, tcp, udp or all)");

    ipc::RunPlan plan;
    auto msg = ipc::parse_byte_size(o.message_size);
    if (!msg) return fail_usage("--message-size: " + msg.error());
    plan.message_size = static_cast<std::size_t>(*msg);
    // Checked for every transport first, so `all` does not stop half way.
    for (ipc::TransportKind k : kinds)
        if (plan.message_size == 0 || plan.message_size > ipc::max_message_size(k))
            return fail_usage(fmt::format("--message-size: {} carries 1 to {} bytes per message, not {}", ipc::transport_name(k),
                                          ipc::max_message_size(k), plan.message_size));
    auto fault = ipc::parse_fault(o.fault);
    if (!fault) return fail_usage("--fault: no fault \"" + o.fault + "\" (consumer-dies, producer-dies, slow-consumer, producer-pauses or corrupt-byte)");
    plan.fault.kind = *fault;
    auto after = ipc::parse_byte_size(o.fault_after);
    if (!after) return fail_usage("--fault-after: " + after.error());
    plan.fault.after = *after;
    for (auto [opt, text, into] : {std::tuple{"--fault-delay", &o.fault_delay, &plan.fault.delay},
                                   std::tuple{"--idle-timeout", &o.idle, &plan.idle_timeout}}) {
        auto d = sim::parse_duration(*text);
        if (!d) return fail_usage(std::string(opt) + ": " + d.error());
        *into = std::chrono::milliseconds(std::max<std::int64_t>(1, d->count() / 1'000'000));
    }
    auto timeout = sim::parse_duration(o.timeout);
    if (!timeout) return fail_usage("--timeout: " + timeout.error());
    plan.timeout = std::chrono::seconds(std::max<std::int64_t>(1, timeout->count() / 1'000'000'000));
    plan.round_trips = o.round_trips;
    if (!o.dir.empty()) {
        auto d = ipc::expand_tilde(o.dir);
        if (!d) return fail_usage("--dir: " + d.error());
        if (!d->note.empty()) fmt::print(stderr, "hopsim ipc: --dir: {}\n", d->note);
        if (::access(d->path.c_str(), W_OK | X_OK) != 0) return fail_usage("--dir: " + d->path + " is not a directory we can write in");
        plan.base_dir = d->path;
    }

    // What to send: a file (mapped), some text, or the printable pattern.
    std::unique_ptr<net::sock::ByteSource> source;
    sim::Payload pattern;
    if (!o.file.empty()) {
        auto path = ipc::expand_tilde(o.file);
        if (!path) return fail_usage("--file: " + path.error());
        if (!path->note.empty()) fmt::print(stderr, "hopsim ipc: --file: {}\n", path->note);
        auto f = net::sock::FileSource::open(path->path);
        if (!f) return fail_usage("--file " + f.error());
        source = std::make_unique<net::sock::FileSource>(std::move(*f));
    } else if (!o.payload.empty()) {
        source = std::make_unique<net::sock::SpanSource>(
            net::Bytes(reinterpret_cast<const std::uint8_t*>(o.payload.data()), o.payload.size()));
    } else {
        std::uint64_t total = 0;
        if (o.messages) {
            if (*o.messages > (std::uint64_t{1} << 50) / plan.message_size)
                return fail_usage("--messages: more than a petabyte in all");
            total = *o.messages * plan.message_size;
        } else {
            auto size = ipc::parse_byte_size(o.size);
            if (!size) return fail_usage("--size: " + size.error());
            total = *size;
        }
        pattern = sim::Payload::pattern(total);
        source = std::make_unique<real::PayloadSource>(pattern);
    }
    plan.source = source.get();

    // Ctrl-C stops both sides of the transport under way (the parent kills
    // them and removes their files) and prints what was measured so far.
    std::signal(SIGINT, on_ipc_stop_signal);
    std::signal(SIGTERM, on_ipc_stop_signal);
    const bool live = !o.json && ::isatty(STDERR_FILENO);
    std::vector<ipc::TransportOutcome> all;
    bool interrupted = false;
    for (ipc::TransportKind k : kinds) {
        plan.transport = k;
        plan.progress = [&, k](std::uint64_t done) {
            if (live)
                fmt::print(stderr, "\r{}: {} of {} checked   ", ipc::transport_name(k), ipc::format_bytes(done),
                           ipc::format_bytes(source->size()));
            return g_stop == 0;
        };
        auto out = ipc::run_transport(plan);
        if (live) fmt::print(stderr, "\r\033[K");
        if (!out) return fail_usage(out.error());
        all.push_back(std::move(*out));
        if ((interrupted = all.back().interrupted)) break;
    }

    bool ok = true;
    for (const auto& a : all) ok &= a.ok();
    if (o.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& a : all) rows.push_back(outcome_json(a));
        const nlohmann::ordered_json doc = {{"bytes", source->size()},          {"message_size", plan.message_size},
                                            {"round_trips", plan.round_trips},  {"ping_size", plan.ping_size},
                                            {"fault", ipc::fault_name(plan.fault.kind)}, {"transports", rows}};
        fmt::print("{}\n", doc.dump());
    } else {
        std::string what = ipc::format_bytes(source->size()) + " in messages of " + ipc::format_bytes(plan.message_size);
        if (plan.round_trips > 0 && plan.fault.kind == ipc::Fault::Kind::None)
            what += fmt::format(", then {} round trips of {} B", plan.round_trips, plan.ping_size);
        if (plan.fault.kind != ipc::Fault::Kind::None)
            what += fmt::format(", fault {} at {}", ipc::fault_name(plan.fault.kind), ipc::format_bytes(plan.fault.after));
        fmt::print("{}: a producer and a consumer process per transport, every byte checked\n\n", what);
        print_table(all);
    }
    if (interrupted) return fmt::print(stderr, "hopsim ipc: interrupted\n"), 128 + g_stop;
    return ok ? kExitOk : kExitFailed;
}

}  // namespace

Command add_ipc(CLI::App& app) {
    auto o = std::make_shared<IpcOptions>();
    auto* cmd = app.add_subcommand("ipc", "Move a payload between two local processes through pipes, FIFOs, Unix sockets,\n"
                                          "shared memory, ZeroMQ, TCP and UDP; check every byte and measure each");
    cmd->add_option("--transport,-t", o->transport,
                    "pipe, fifo, unix-stream, unix-dgram, shm, zmq, tcp, udp, or all (one table side by side)")
        ->capture_default_str();
    auto* size = cmd->add_option("--size", o->size, "Bytes of a printable pattern to send: 4096, 64KiB, 1GiB")->capture_default_str();
    auto* text = cmd->add_option("--payload", o->payload, "Send this text instead");
    auto* file = cmd->add_option("--file", o->file, "Send this file instead (mapped, never read whole)");
    auto* count = cmd->add_option("--messages", o->messages, "Send this many messages of --message-size instead of --size")
                      ->check(kNotNegative);
    size->excludes(text)->excludes(file)->excludes(count);
    text->excludes(file)->excludes(count);
    file->excludes(count);
    cmd->add_option("--message-size", o->message_size, "Bytes per send (UDP at most 65507, others 1 MiB)")->capture_default_str();
    cmd->add_option("--round-trips", o->round_trips, "Echoes of a 64-byte message to time (0: none)")
        ->check(kNotNegative & CLI::Range(std::size_t{0}, std::size_t{10'000'000}))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "Print one JSON object instead of the table");
    cmd->add_option("--dir", o->dir, "Where the run's private directory for FIFOs and sockets is made (default $TMPDIR or /tmp)");
    cmd->add_option("--timeout", o->timeout, "Kill both sides of a transport after this long")->capture_default_str();
    cmd->add_option("--idle-timeout", o->idle, "A side that waits this long for its peer gives up with an error")
        ->capture_default_str();
    cmd->add_option("--fault", o->fault, "consumer-dies, producer-dies (SIGKILL), slow-consumer, producer-pauses, corrupt-byte")
        ->capture_default_str();
    cmd->add_option("--fault-after", o->fault_after, "Bytes into the stream where the fault strikes")->capture_default_str();
    cmd->add_option("--fault-delay", o->fault_delay, "slow-consumer: sleep per message; producer-pauses: the pause")
        ->capture_default_str();
    cmd->add_option("--demo-bug", o->demo_bug,
                    "Run a classic bug on purpose and explain it: fifo-tilde, shm-counter, pipe-unclosed");
    cmd->footer("Exit status 1 if any byte was lost or changed, or a side failed; 2 for bad options.\n"
                "docs/ipc.md explains each transport, its calls in order, and the pitfalls the demos show.");
    return {cmd, [o] { return run_ipc(*o); }};
}

}  // namespace hopsim::cli
