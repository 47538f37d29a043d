// Workload "chain": A, R1..Rr, B in a line, link k joining node k and k+1 in
// its own /30 (10.0.0.4k: the lower node .4k+1, the upper .4k+2), 1 Gbps and
// 1 us, static routes from ns-3's global routing. With --link=csma every link
// has Ethernet framing and ARP, as in hopsim; the default p2p uses PPP.
// UDP: A sends P datagrams of S bytes, one every `interval` us, to B:9.
// TCP (--tcp): A sends --bytes to a sink on B:9 (ns-3's defaults otherwise:
// CUBIC, SACK, timestamps, delayed ACK; segment size --mss).
#include "common.hpp"
#include "ns3/applications-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/point-to-point-module.h"

using namespace ns3;

int main(int argc, char* argv[]) {
    uint32_t routers = 8, packets = 100000, size = 1000, interval_us = 10, mss = 1448;
    uint64_t bytes = 100000000;
    bool tcp = false;
    std::string link = "p2p";
    CommandLine cmd(__FILE__);
    cmd.AddValue("routers", "routers between A and B", routers);
    cmd.AddValue("packets", "UDP datagrams A sends", packets);
    cmd.AddValue("size", "UDP payload bytes (>= 12: UdpClient's own header)", size);
    cmd.AddValue("interval", "microseconds between datagrams", interval_us);
    cmd.AddValue("tcp", "a TCP bulk transfer instead of UDP", tcp);
    cmd.AddValue("bytes", "TCP bytes to transfer", bytes);
    cmd.AddValue("mss", "TCP segment size", mss);
    cmd.AddValue("link", "p2p or csma", link);
    cmd.Parse(argc, argv);
    if (link != "p2p" && link != "csma") return std::fprintf(stderr, "--link must be p2p or csma\n"), 2;
    if (!tcp && size < 12) return std::fprintf(stderr, "--size must be >= 12\n"), 2;
    bench::arp_without_jitter();
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(mss));

    NodeContainer nodes;  // 0 = A, 1..routers, routers + 1 = B
    nodes.Create(routers + 2);
    InternetStackHelper().Install(nodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", TimeValue(NanoSeconds(1000)));
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(NanoSeconds(1000)));
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.255.255.252");
    Ipv4Address b;
    for (uint32_t k = 0; k <= routers; ++k) {
        NodeContainer pair(nodes.Get(k), nodes.Get(k + 1));
        Ipv4InterfaceContainer ips = addresses.Assign(link == "p2p" ? p2p.Install(pair) : csma.Install(pair));
        addresses.NewNetwork();
        if (k == routers) b = ips.GetAddress(1);
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    Ptr<Node> receiver = nodes.Get(routers + 1);
    if (tcp) {
        PacketSinkHelper("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9))
            .Install(receiver)
            .Start(Seconds(0));
        BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(b, 9));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("SendSize", UintegerValue(mss));
        bulk.Install(nodes.Get(0)).Start(Seconds(0));
        Simulator::Stop(Seconds(1000));
    } else {
        UdpServerHelper(9).Install(receiver).Start(Seconds(0));
        UdpClientHelper client(b, 9);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(MicroSeconds(interval_us)));
        client.SetAttribute("PacketSize", UintegerValue(size));
        client.Install(nodes.Get(0)).Start(Seconds(0));
        Simulator::Stop(MicroSeconds(uint64_t(interval_us) * packets) + Seconds(1));
    }
    bench::count_hops_of(link == "p2p" ? "PointToPointNetDevice" : "CsmaNetDevice");
    bench::run_and_report("router_chain");
    return 0;
}
