// Workload "star": N hosts, each on its own link to one learning switch
// (ns-3's BridgeNetDevice over 2-node CSMA channels, 1 Gbps, 1 us). Host i
// sends P datagrams of S bytes, one every `interval` us from i * interval / N,
// to UDP port 9 of one other host drawn with std::mt19937_64(seed). --flows
// prints that traffic matrix so bench/gen_scenario.py builds the same one.
#include "common.hpp"
#include "ns3/applications-module.h"
#include "ns3/bridge-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"

#include <random>
#include <sstream>

using namespace ns3;

int main(int argc, char* argv[]) {
    uint32_t n = 16, packets = 1000, size = 1000, interval_us = 100, seed = 1;
    bool flows = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "hosts on the switch", n);
    cmd.AddValue("packets", "datagrams each host sends", packets);
    cmd.AddValue("size", "UDP payload bytes (>= 12: UdpClient's own header)", size);
    cmd.AddValue("interval", "microseconds between one host's datagrams", interval_us);
    cmd.AddValue("seed", "seed of the traffic matrix and of ns-3", seed);
    cmd.AddValue("flows", "print the traffic matrix first", flows);
    cmd.Parse(argc, argv);
    if (n < 2 || size < 12) return std::fprintf(stderr, "need --n >= 2 and --size >= 12\n"), 2;
    RngSeedManager::SetSeed(seed);
    bench::arp_without_jitter();

    NodeContainer hosts;
    hosts.Create(n);
    Ptr<Node> sw = CreateObject<Node>();
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(NanoSeconds(1000)));
    NetDeviceContainer host_devs, switch_ports;
    for (uint32_t i = 0; i < n; ++i) {
        NetDeviceContainer link = csma.Install(NodeContainer(hosts.Get(i), sw));
        host_devs.Add(link.Get(0));
        switch_ports.Add(link.Get(1));
    }
    BridgeHelper().Install(sw, switch_ports);
    InternetStackHelper().Install(hosts);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.255.0.0");  // 10.0.0.1, 10.0.0.2, ... as hopsim's scenario
    Ipv4InterfaceContainer ips = addresses.Assign(host_devs);

    const Time interval = MicroSeconds(interval_us);
    const Time stagger = NanoSeconds(int64_t(interval_us) * 1000 / n);
    std::mt19937_64 rng(seed);
    for (uint32_t i = 0; i < n; ++i) UdpServerHelper(9).Install(hosts.Get(i)).Start(Seconds(0));
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t dst = std::uniform_int_distribution<uint32_t>(0, n - 2)(rng);
        if (dst >= i) ++dst;  // any host but itself
        UdpClientHelper client(ips.GetAddress(dst), 9);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(interval));
        client.SetAttribute("PacketSize", UintegerValue(size));
        client.Install(hosts.Get(i)).Start(stagger * i);
        if (flows) {
            std::ostringstream src, to;
            src << ips.GetAddress(i);
            to << ips.GetAddress(dst);
            std::printf("flow src=H%u src_ip=%s dst=H%u dst_ip=%s start_ns=%lld\n", i, src.str().c_str(), dst,
                        to.str().c_str(), static_cast<long long>((stagger * i).GetNanoSeconds()));
        }
    }
    bench::count_hops_of("CsmaNetDevice");
    Simulator::Stop(stagger * n + interval * packets + Seconds(1));  // ample time to drain
    bench::run_and_report("switch_star");
    return 0;
}
