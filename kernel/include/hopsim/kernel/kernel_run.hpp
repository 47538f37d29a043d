#pragma once
// The scenario's traffic run in a Lab at the scenario's times, every link
// captured, and the flows counted with the fields `hopsim run` reports.
// Pings run as the kernel's own ping (iputils) inside the sender's
// namespace; the other kinds are not run yet and say so per flow.

#include <atomic>
#include <string>
#include <vector>

#include "hopsim/kernel/lab.hpp"
#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::kernel {

struct KernelFlow {
    sim::FlowStats stats;  // the same fields the simulation fills
    bool run = false;      // false: this kind is not run in the kernel yet (note says so)
    std::string note;
    std::string failure_text;  // what stats.failure points at
};

struct KernelRun {
    std::vector<KernelFlow> flows;
    std::vector<std::string> pcaps;  // written, one per link
    std::int64_t wall_ns = 0;
    bool interrupted = false;
};

struct KernelOptions {
    std::string pcap_dir;                        // empty: no capture
    sim::SimTime until;                          // run (and capture) at least this long: the scenario's run.until
    const std::atomic<int>* stop = nullptr;      // non-zero: stop now (a signal arrived)
};

Result<KernelRun, std::string> run_traffic(const Scenario& sc, Lab& lab, const KernelOptions& o);

std::string kernel_summary_json(const Scenario& sc, const Lab& lab, const KernelRun& run);
std::string kernel_report(const Scenario& sc, const Lab& lab, const KernelRun& run);

}  // namespace hopsim::kernel
