// What hopsim kernel would type to build a scenario, checked without root:
// the commands follow from the scenario file and ip-link(8)/tc-tbf(8) units.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>

#include "hopsim/kernel/lab.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;

namespace {

std::vector<std::string> commands(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& step : kernel::Lab::plan(test::load_bundled(name))) {
        std::string line;
        for (const auto& a : step.argv) line += (line.empty() ? "" : " ") + a;
        out.push_back(line);
    }
    return out;
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("lab plan: 07 as namespaces, veths, bridges, addresses and routes", "[kernel][plan]") {
    const auto c = commands("07-router-two-subnets");
    const std::string p = "hopsim-" + std::to_string(::getpid()) + "-";
    INFO(c.size() << " commands");
    CHECK(has(c, "ip netns add " + p + "A"));
    CHECK(has(c, "ip netns add " + p + "S1"));
    // The switch: a bridge with STP off, ageing 300 s = 30000 centiseconds (ip-link(8)).
    CHECK(has(c, "ip -n " + p + "S1 link add br0 type bridge stp_state 0 mcast_snooping 0 ageing_time 30000"));
    // A's eth0 to the switch's port 1, the scenario's MAC and address on A's end.
    CHECK(has(c, "ip link add eth0 netns " + p + "A type veth peer name p1 netns " + p + "S1"));
    CHECK(has(c, "ip -n " + p + "A link set eth0 address 02:00:00:00:01:01"));
    CHECK(has(c, "ip -n " + p + "A addr add 192.168.1.10/24 brd + dev eth0"));
    CHECK(has(c, "ip -n " + p + "S1 link set p1 master br0"));
    // 100 Mbit/s with 24 bytes of per-frame overhead, 100 frames of 1514 bytes queued.
    CHECK(has(c, "ip netns exec " + p + "A tc qdisc add dev eth0 root stab overhead 24 tbf rate 100000000bit burst 1538 limit 151400"));
    CHECK(has(c, "ip netns exec " + p + "R1 sysctl -q -w net.ipv4.ip_forward=1"));
    CHECK(has(c, "ip -n " + p + "A route add default via 192.168.1.1"));
    // Namespaces first, links next, routes last (a route needs its interface up).
    const auto first_veth = std::find_if(c.begin(), c.end(), [](const std::string& l) { return l.find("type veth") != std::string::npos; });
    const auto last_netns = std::find_if(c.rbegin(), c.rend(), [](const std::string& l) { return l.rfind("ip netns add", 0) == 0; });
    CHECK(last_netns.base() <= first_veth);
}

TEST_CASE("lab plan: 18's VLANs as bridge-vlan(8) and ip-link(8) type vlan would set them", "[kernel][plan][vlan]") {
    const auto c = commands("18-router-on-a-stick");
    const std::string p = "hopsim-" + std::to_string(::getpid()) + "-";
    INFO(c.size() << " commands");
    CHECK(has(c, "ip -n " + p + "S1 link add br0 type bridge stp_state 0 mcast_snooping 0 ageing_time 30000 vlan_filtering 1"));
    // An access port: VLAN 1 (the default) out, VLAN 10 as its untagged PVID in.
    CHECK(has(c, "bridge -n " + p + "S1 vlan del dev p1 vid 1"));
    CHECK(has(c, "bridge -n " + p + "S1 vlan add dev p1 vid 10 pvid untagged"));
    // The trunk: 10 and 20 tagged, native VLAN 1 untagged.
    CHECK(has(c, "bridge -n " + p + "S1 vlan add dev p24 vid 10"));
    CHECK(has(c, "bridge -n " + p + "S1 vlan add dev p24 vid 20"));
    CHECK(has(c, "bridge -n " + p + "S1 vlan add dev p24 vid 1 pvid untagged"));
    // The router's subinterfaces on its one cable, with the parent's MAC.
    CHECK(has(c, "ip -n " + p + "R1 link add link eth0 name eth0.10 type vlan id 10"));
    CHECK(has(c, "ip -n " + p + "R1 addr add 10.0.20.1/24 brd + dev eth0.20"));
    CHECK(has(c, "ip -n " + p + "R1 link set eth0.20 address 02:00:00:00:06:01"));
}

TEST_CASE("lab plan: 20's spanning tree with the scenario's priority, timers, costs and addresses", "[kernel][plan][stp]") {
    const auto c = commands("20-stp-loop");
    const std::string p = "hopsim-" + std::to_string(::getpid()) + "-";
    // ip-link(8): times in centiseconds; the bridge address is its first port's (bridge id 4096/02:00:00:00:03:01).
    CHECK(has(c, "ip -n " + p + "S1 link add br0 address 02:00:00:00:03:01 type bridge stp_state 1 mcast_snooping 0 ageing_time 30000 "
                 "priority 4096 hello_time 200 max_age 2000 forward_delay 1500"));
    CHECK(has(c, "ip -n " + p + "S2 link set p3 address 02:00:00:00:04:03"));
    // 802.1D-2004 gives 200,000 per 100 Mb/s link; Linux takes at most 65,535, so all are divided alike.
    CHECK(has(c, "bridge -n " + p + "S2 link set dev p3 cost 1"));
}
