// hopsim kernel: the scenario built of Linux network namespaces, its traffic
// run and every link captured there, so the simulator can be held to the
// kernel. Needs root; leaves nothing behind unless --keep.

#include <fmt/core.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "hopsim/kernel/kernel_compare.hpp"
#include "hopsim/kernel/kernel_run.hpp"
#include "hopsim/kernel/lab.hpp"
#include "hopsim/sim/units.hpp"
#include "output_file.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::string file, pcap, summary, until;
    bool keep = false, json = false, cleanup = false;
};

std::atomic<int> g_signal{0};
extern "C" void on_kernel_signal(int sig) { g_signal = sig; }

int cleanup() {
    if (const std::string why = kernel::cannot_build(); !why.empty())
        return fmt::print(stderr, "hopsim kernel: {}\n", why), kExitBadInput;
    const auto removed = kernel::remove_leftovers();
    fmt::print("removed {} leftover namespace{}{}\n", removed.size(), removed.size() == 1 ? "" : "s",
               removed.empty() ? "" : ":");
    for (const auto& n : removed) fmt::print("  {}\n", n);
    return kExitOk;
}

// Root, and a topology the kernel can take (a loop of bridges without STP
// would storm; 802.1Q needs kernel support; STP timers have Linux's limits).
std::string kernel_refuses(const sim::Scenario& sc) {
    if (std::string why = kernel::cannot_build(); !why.empty()) return why;
    if (const auto loops = sim::switching_loops(sc); !loops.empty())
        return fmt::format("links[{}] closes a loop of switches; in the kernel that is a real broadcast storm that takes "
                           "every core, so it is not built", loops.front());
    return kernel::kernel_cannot_express(sc);
}

int run_kernel(const Options& o) {
    if (o.cleanup) return cleanup();
    if (o.file.empty()) return fmt::print(stderr, "hopsim kernel: give a SCENARIO (or --cleanup)\n"), kExitBadInput;
    auto sc = load_or_report(o.file);
    if (!sc) return kExitBadInput;
    if (const std::string why = kernel_refuses(*sc); !why.empty())
        return fmt::print(stderr, "hopsim kernel: {}\n", why), kExitBadInput;
    sim::SimTime until = sc->until;
    if (!o.until.empty()) {
        auto d = sim::parse_duration(o.until);
        if (!d) return fmt::print(stderr, "hopsim kernel: --until: {}\n", d.error()), kExitBadInput;
        until = *d;
    }
    std::signal(SIGINT, on_kernel_signal);
    std::signal(SIGTERM, on_kernel_signal);
    auto lab = kernel::Lab::build(*sc);
    if (!lab) return fmt::print(stderr, "hopsim kernel: building the namespaces failed (all removed again): {}\n", lab.error()), kExitFailed;
    if (g_signal) return 128 + g_signal;  // the lab goes with its destructor
    kernel::KernelOptions ko;
    ko.pcap_dir = o.pcap;
    ko.stop = &g_signal;
    ko.until = until;
    auto run = kernel::run_traffic(*sc, **lab, ko);
    if (!run) return fmt::print(stderr, "hopsim kernel: {}\n", run.error()), kExitFailed;
    const std::string json = kernel::kernel_summary_json(*sc, **lab, *run);
    if (!o.summary.empty())
        if (const std::string e = write_file(o.summary, json); !e.empty())
            return fmt::print(stderr, "hopsim kernel: {}\n", e), kExitFailed;
    fmt::print("{}", o.json ? json : kernel::kernel_report(*sc, **lab, *run));
    if (o.keep && !g_signal) {
        (*lab)->keep();
        fmt::print("\nkept: enter a node with `ip netns exec {} bash`; remove it all with `hopsim kernel --cleanup`\n",
                   (*lab)->netns(0));
    }
    return g_signal ? 128 + g_signal : kExitOk;
}

}  // namespace

int compare_with_kernel(const std::string& file, bool json) {
    auto sc = load_or_report(file);
    if (!sc) return kExitBadInput;
    if (const std::string why = kernel_refuses(*sc); !why.empty())
        return fmt::print(stderr, "hopsim compare --kernel: {}\n", why), kExitBadInput;
    if (const std::string why = kernel::not_comparable(*sc); !why.empty())
        return fmt::print(stderr, "hopsim compare --kernel: not comparable: {}\n", why), kExitFailed;
    char dir[] = "/tmp/hopsim-compare-XXXXXX";
    if (!::mkdtemp(dir)) return fmt::print(stderr, "hopsim compare --kernel: cannot make a directory in /tmp\n"), kExitFailed;
    std::signal(SIGINT, on_kernel_signal);
    std::signal(SIGTERM, on_kernel_signal);
    auto c = kernel::compare_with_kernel(*sc, dir, &g_signal);
    if (!c) {
        std::filesystem::remove_all(dir);
        return fmt::print(stderr, "hopsim compare --kernel: {}\n", c.error()), kExitFailed;
    }
    fmt::print("{}", json ? kernel::kernel_comparison_json(*sc, *c) : kernel::kernel_comparison_report(*sc, *c));
    if (c->agree()) std::filesystem::remove_all(dir);
    else fmt::print(stderr, "both sides' captures are kept for Wireshark: {}/sim and {}/kernel\n", dir, dir);
    if (g_signal) return 128 + g_signal;
    return c->agree() ? kExitOk : kExitFailed;
}

Command add_kernel(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("kernel", "Build the scenario of Linux network namespaces, run its traffic there and capture every link (root)");
    cmd->add_option("SCENARIO", o->file, "Scenario JSON file");
    cmd->add_option("--pcap", o->pcap, "Capture every link into DIR, one pcap per link named as `run --pcap` names them");
    cmd->add_option("--until", o->until, "Run and capture this long (default: the scenario's run.until), e.g. 2s");
    cmd->add_option("--summary", o->summary, "Write the kernel run's summary JSON (the flow fields of `run`) to FILE");
    cmd->add_flag("--json", o->json, "Print the summary JSON instead of the report");
    cmd->add_flag("--keep", o->keep, "Leave the namespaces in place afterwards, to look around in them");
    cmd->add_flag("--cleanup", o->cleanup, "Remove every namespace a hopsim kernel run left behind, and nothing else");
    cmd->footer(
        "\nEach host and router becomes a network namespace, each switch a Linux bridge (a hub: a bridge that\n"
        "floods every frame), each link a veth pair with the scenario's MACs, addresses, MTU, rate and loss;\n"
        "TCP is set to the simulator's model (the report and summary list the sysctls). Pings run as the\n"
        "kernel's own ping; UDP, TCP, traceroutes, raw frames and services as hopsim's own code on the\n"
        "kernel's sockets inside the namespaces. Everything is removed at the end, on Ctrl-C and on failure.\n"
        "`hopsim compare SCENARIO --kernel` holds the simulation to this, frame by frame on every link.\n"
        "Example:\n  sudo hopsim kernel scenarios/09-ttl-expired.json --pcap kernel-pcaps/");
    return {cmd, [o] { return run_kernel(*o); }};
}

}  // namespace hopsim::cli
