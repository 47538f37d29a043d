// What both ns-3 workloads share: counting packet-hops (a frame that finished
// its transmission onto a link, the unit hopsim counts as tx_frames) and
// timing Simulator::Run alone, so set-up is not charged to either simulator.
#pragma once
#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace bench {

inline std::uint64_t hops = 0;
inline void count_hop(ns3::Ptr<const ns3::Packet>) { ++hops; }

// Every device of this type counts its finished transmissions.
inline void count_hops_of(const std::string& device_type) {
    ns3::Config::ConnectWithoutContextFailSafe("/NodeList/*/DeviceList/*/$ns3::" + device_type + "/PhyTxEnd",
                                               ns3::MakeCallback(&count_hop));
}

// Linux (and hopsim) send an ARP request at once; ns-3 waits up to 10 ms by default.
inline void arp_without_jitter() {
    ns3::Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                            ns3::StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
}

// Runs the simulation; prints run_s, events, packet_hops for bench/compare_ns3.py.
inline void run_and_report(const char* workload) {
    const auto t0 = std::chrono::steady_clock::now();
    ns3::Simulator::Run();
    const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto events = ns3::Simulator::GetEventCount();
    const double sim_s = ns3::Simulator::Now().GetSeconds();
    ns3::Simulator::Destroy();
    std::printf("workload=%s run_s=%.4f sim_s=%.6f events=%llu packet_hops=%llu hops_per_s=%.0f\n", workload,
                run_s, sim_s, static_cast<unsigned long long>(events), static_cast<unsigned long long>(hops),
                hops / run_s);
}

}  // namespace bench
