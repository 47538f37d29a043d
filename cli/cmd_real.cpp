// hopsim real and hopsim compare: the scenario's payloads through the
// kernel's sockets on loopback, alone or next to the simulation.

#include <fmt/core.h>

#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "output_file.hpp"
#include "hopsim/real/compare.hpp"
#include "hopsim/real/loopback_replay.hpp"
#include "hopsim/sim/summary.hpp"
#include "hopsim/sim/units.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::string file, summary, timeout = "60s";
    bool json = false, kernel = false;
};

bool write_text(const std::string& path, const std::string& text, const char* cmd) {
    const std::string e = write_file(path, text);
    if (!e.empty()) fmt::print(stderr, "hopsim {}: {}\n", cmd, e);
    return e.empty();
}

std::optional<sim::SimTime> timeout_of(const Options& o, const char* cmd) {
    auto t = sim::parse_duration(o.timeout);
    if (!t) fmt::print(stderr, "hopsim {}: --timeout: {}\n", cmd, t.error());
    return t ? std::optional(*t) : std::nullopt;
}

int run_real(const Options& o) {
    auto sc = load_or_report(o.file);
    auto timeout = timeout_of(o, "real");
    if (!sc || !timeout) return kExitBadInput;
    auto run = real::replay_on_loopback(*sc, *timeout);
    if (!run) return fmt::print(stderr, "hopsim real: {}\n", run.error()), kExitFailed;
    const std::string json = real::real_summary_json(*sc, *run);
    if (!o.summary.empty() && !write_text(o.summary, json, "real")) return kExitFailed;
    // A replay cut short by --timeout is a failed run, and says so.
    const int status = run->timed_out ? kExitFailed : kExitOk;
    if (run->timed_out)
        fmt::print(stderr, "hopsim real: stopped at the --timeout of {}: some flows had not finished\n", o.timeout);
    if (o.json) {
        fmt::print("{}", json);
        return status;
    }
    fmt::print("{}: replayed on loopback in {}\n\n", sc->name, sim::SimTime::ns(run->wall_ns).to_string());
    fmt::print("{:<16} {:<6} {:<20} {:>12} {:>12} {:<7} {}\n", "flow", "kind", "addresses", "sent", "delivered", "intact", "notes");
    for (std::size_t i = 0; i < sc->traffic.size(); ++i) {
        const auto& t = sc->traffic[i];
        const auto& f = run->flows[i];
        const std::string addr = t.to_node >= 0 ? fmt::format("{}>{}", real::loopback_address(t.from).to_string(),
                                                             real::loopback_address(t.to_node).to_string())
                                                : "-";
        fmt::print("{:<16} {:<6} {:<20} {:>11}B {:>11}B {:<7} {}\n", t.id, sim::to_string(t.kind), addr, f.stats.sent_bytes,
                   f.stats.delivered_bytes, real::real_flow_intact(*sc, *run, static_cast<int>(i)) ? "yes" : "no", f.note);
    }
    if (run->kernel_udp_drops > 0)
        fmt::print("\nthe kernel dropped {} UDP datagrams in full socket receive buffers during the replay\n",
                   run->kernel_udp_drops);
    return status;
}

int run_compare(const Options& o) {
    if (o.kernel) return compare_with_kernel(o.file, o.json);
    auto sc = load_or_report(o.file);
    auto timeout = timeout_of(o, "compare");
    if (!sc || !timeout) return kExitBadInput;
    sim::Simulation simulation(*sc);
    simulation.run(sc->until);
    auto run = real::replay_on_loopback(*sc, *timeout);
    if (!run) return fmt::print(stderr, "hopsim compare: {}\n", run.error()), kExitFailed;
    const auto verdicts = real::compare_flows(*sc, simulation.network(), *run);
    if (!o.summary.empty() && !write_text(o.summary, real::real_summary_json(*sc, *run), "compare")) return kExitFailed;
    fmt::print("{}", o.json ? real::compare_json(*sc, simulation.network(), *run, verdicts)
                            : real::compare_table(*sc, simulation.network(), *run, verdicts));
    for (const auto& v : verdicts)
        if (v.compared && !v.agree && !v.by_design) return kExitFailed;
    return kExitOk;
}

Options& common(CLI::App* cmd, std::shared_ptr<Options> o) {
    cmd->add_option("SCENARIO", o->file, "Scenario JSON file")->required();
    cmd->add_option("--timeout", o->timeout, "Give up on flows not finished after this long")->capture_default_str();
    cmd->add_option("--summary", o->summary, "Write the real run's summary JSON (same flow fields as `run`) to FILE");
    cmd->add_flag("--json", o->json, "Print one JSON object instead of the table");
    return *o;
}

}  // namespace

Command add_real(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("real", "Replay the scenario's TCP and UDP payloads through kernel sockets on loopback");
    common(cmd, o);
    cmd->footer("Each host gets 127.0.1.N (N = its position in the file); ping, frame and traceroute are not replayed.");
    return {cmd, [o] { return run_real(*o); }};
}

Command add_compare(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("compare", "Simulate the scenario and replay it on loopback; compare delivery flow by flow");
    common(cmd, o);
    cmd->add_flag("--kernel", o->kernel,
                  "Instead of loopback: build the scenario of Linux network namespaces (root) and compare every link frame by frame");
    cmd->footer("Exit status 1 if a flow that should agree (no loss in the scenario) does not; with --kernel, if any\n"
                "frame on any link differs in a field the simulator models (the report lists the fields it leaves out).");
    return {cmd, [o] { return run_compare(*o); }};
}

}  // namespace hopsim::cli
