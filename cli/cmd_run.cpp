// hopsim run SCENARIO: simulate headless, write the requested outputs, print a
// short summary for people.

#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "output_file.hpp"
#include "hopsim/netstack/socket/sockets.hpp"
#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/summary.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "hopsim/sim/trace_jsonl.hpp"
#include "hopsim/sim/trace_pcap.hpp"
#include "hopsim/sim/units.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::string file;
    std::string trace, summary, pcap, until;
    std::optional<std::uint64_t> seed;
    std::string follow;
    bool quiet = false;
};

// Ctrl-C (SIGINT) and SIGTERM stop the run at the next slice of events;
// every output is then written whole and the exit status says which signal.
std::atomic<int> g_interrupted{0};
extern "C" void on_run_signal(int sig) { g_interrupted = sig; }

// Prints "simulated X of Y" on stderr when the run is long and stderr is a terminal.
class Progress {
public:
    explicit Progress(sim::SimTime until) : until_(until), start_(Clock::now()), tty_(::isatty(STDERR_FILENO)) {}
    void update(sim::SimTime now, std::uint64_t events) {
        if (!tty_) return;
        const auto t = Clock::now();
        if (t - start_ < std::chrono::seconds(1) || t - last_ < std::chrono::milliseconds(200)) return;
        last_ = t;
        shown_ = true;
        fmt::print(stderr, "\r  simulated {} of {} ({} events)   ", now.to_string(), until_.to_string(), events);
    }
    ~Progress() {
        if (shown_) fmt::print(stderr, "\r{:60}\r", "");
    }

private:
    using Clock = std::chrono::steady_clock;
    sim::SimTime until_;
    Clock::time_point start_, last_;
    bool tty_, shown_ = false;
};

int run(const Options& o) {
    auto loaded = load_or_report(o.file);
    if (!loaded) return kExitBadInput;
    sim::Scenario sc = std::move(*loaded);
    if (!o.until.empty()) {
        auto u = sim::parse_duration(o.until);
        if (!u) {
            fmt::print(stderr, "hopsim run: --until: {}\n", u.error());
            return kExitBadInput;
        }
        sc.until = *u;
    }
    if (o.seed) sc.seed = *o.seed;

    sim::Simulation simulation(sc);
    std::FILE* trace_file = nullptr;  // closed (and checked) after the run
    std::unique_ptr<sim::JsonlSink> jsonl;
    if (!o.trace.empty()) {
        trace_file = o.trace == "-" ? stdout : std::fopen(o.trace.c_str(), "w");
        if (!trace_file) {
            fmt::print(stderr, "hopsim run: cannot write trace {}: {}\n", o.trace, std::strerror(errno));
            return kExitBadInput;
        }
        static char buffer[1 << 20];
        std::setvbuf(trace_file, buffer, _IOFBF, sizeof buffer);
        jsonl = std::make_unique<sim::JsonlSink>(trace_file, sc);
        simulation.tracer().add(jsonl.get());
    }
    std::unique_ptr<sim::PcapSink> pcap;
    if (!o.pcap.empty()) {
        net::sock::raise_fd_limit();  // one open file per link
        auto p = sim::PcapSink::open(o.pcap, sc);
        if (!p) {
            fmt::print(stderr, "hopsim run: --pcap: {}\n", p.error());
            return kExitBadInput;
        }
        pcap = std::move(*p);
        simulation.tracer().add(pcap.get());
    }

    sim::RecorderSink recorder;  // only for --follow
    if (!o.follow.empty()) simulation.tracer().add(&recorder);

    std::signal(SIGINT, on_run_signal);
    std::signal(SIGTERM, on_run_signal);
    {
        Progress progress(sc.until);
        simulation.run(sc.until, [&](sim::SimTime now) {
            progress.update(now, simulation.network().engine.events_run());
            if (g_interrupted) simulation.request_stop();
        });
    }
    if (g_interrupted)
        fmt::print(stderr, "hopsim run: {} at simulated {}; outputs cover the run so far\n",
                   g_interrupted == SIGTERM ? "terminated" : "interrupted", simulation.network().engine.now().to_string());

    // Every output is checked: a full disk is a failed run that names the file.
    std::vector<std::string> failures;
    if (trace_file)
        if (auto e = close_file(trace_file, o.trace, jsonl->error()); !e.empty()) failures.push_back(std::move(e));
    if (pcap && !pcap->error().empty()) failures.push_back(pcap->error());
    if (!o.summary.empty())
        if (auto e = write_file(o.summary, sim::summary_json(simulation)); !e.empty()) failures.push_back(std::move(e));
    for (const std::string& e : failures) fmt::print(stderr, "hopsim run: {}\n", e);
    if (!failures.empty()) return kExitFailed;
    if (!o.quiet && o.trace != "-") fmt::print("{}", sim::human_summary(simulation));
    if (!o.follow.empty()) {
        const auto pkt = sim::resolve_packet(sc, recorder.events, o.follow);
        if (!pkt) {
            fmt::print(stderr, "hopsim run: --follow {}: neither a packet number nor a flow id of this scenario\n", o.follow);
            return kExitBadInput;
        }
        fmt::print("\n{}", sim::format_hop_tables(sim::hop_tables(sc, recorder.events, *pkt), ::isatty(STDOUT_FILENO)));
    }
    return g_interrupted ? 128 + g_interrupted : kExitOk;  // 130 for Ctrl-C, 143 for SIGTERM, as shells report them
}

}  // namespace

Command add_run(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("run", "Simulate a scenario headless and print a summary");
    cmd->add_option("SCENARIO", o->file, "Scenario JSON file")->required();
    cmd->add_option("--trace", o->trace, "Write every event as JSON Lines to FILE ('-' for stdout)");
    cmd->add_option("--summary", o->summary, "Write the summary JSON to FILE");
    cmd->add_option("--pcap", o->pcap, "Write one pcap file per link into DIR");
    cmd->add_option("--until", o->until, "Stop at this simulated time (overrides run.until), e.g. 20ms");
    cmd->add_option("--seed", o->seed, "Random seed (overrides the scenario's seed), 0 or more")->check(kNotNegative);
    cmd->add_option("--follow", o->follow, "Print one packet's headers hop by hop: a pkt number from the trace, or a flow id (its first packet)");
    cmd->add_flag("-q,--quiet", o->quiet, "Print nothing on success");
    cmd->footer("Example: hopsim run scenarios/03-hub-vs-switch.json --trace out.jsonl --pcap out/");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
