#pragma once
// hopsim compare --kernel: the same scenario simulated and built of Linux
// namespaces, every link's two captures held frame by frame
// (frame_diff.hpp), and the flows side by side.

#include <atomic>
#include <string>
#include <vector>

#include "hopsim/kernel/frame_diff.hpp"
#include "hopsim/kernel/kernel_run.hpp"

namespace hopsim::kernel {

struct LinkComparison {
    int link = -1;
    std::size_t sim_frames = 0, kernel_frames = 0;
    std::vector<FrameDifference> differences;  // modelling choices already left out
    std::size_t sim_bpdus = 0, kernel_bpdus = 0;  // spanning-tree BPDUs: not in the frames, compared by outcome
    bool agree() const;                        // no difference but timing
};

// An entry of a MAC table or ARP cache that differs at the end of the run.
struct TableDifference {
    int node = -1;
    std::string table;  // "mac", "arp", or "stp" (root, root port, root path cost, port states)
    std::string key, sim, kernel;  // "-" where that side has no entry
};

struct KernelComparison {
    std::vector<LinkComparison> links;
    std::vector<TableDifference> tables;
    KernelRun kernel;
    std::vector<std::string> not_reproduced, sysctls;
    bool agree() const;
};

// Why this scenario cannot be compared with the kernel (link loss: each side
// loses other frames), or empty. A run whose simulated hubs collide is found
// out by compare_with_kernel itself, before any namespace is built.
std::string not_comparable(const Scenario& sc);

// Simulates (captures in `work_dir`/sim), builds and runs the lab (captures
// in `work_dir`/kernel), and compares.
Result<KernelComparison, std::string> compare_with_kernel(const Scenario& sc, const std::string& work_dir,
                                                          const std::atomic<int>* stop);

std::string kernel_comparison_report(const Scenario& sc, const KernelComparison& c);
std::string kernel_comparison_json(const Scenario& sc, const KernelComparison& c);

}  // namespace hopsim::kernel
