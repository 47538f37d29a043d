// DHCP against the programs Linux networks run it with: ISC dhclient and
// dhcrelay 4.4 and dnsmasq, in namespaces (dhcp_reference.sh), and the same
// network simulated. The messages on the server's link and on the client's
// must carry the same addresses, ports, TTLs, DF bits and relay fields.
// Not compared, and why: the broadcast flag (dhclient's packet socket takes
// a unicast answer before it has an address, so it leaves the flag clear and
// its answers come unicast; hopsim's client sets it, as RFC 2131 4.1 lets a
// client that cannot, so its answers are broadcast), the address leased
// (dnsmasq draws it from a hash of the MAC), and `hops` in the server's
// answers (dnsmasq copies the request's; RFC 2131 table 3 says 0).

#include <catch2/catch.hpp>

#include <unistd.h>

#include <sstream>

#include "support/process.hpp"

using namespace hopsim::test;

namespace {

const char* const kScenario = R"({"name": "dhcp-reference", "run": {"until": "5s"},
 "nodes": {
  "SRV": {"kind": "host", "ip": "10.0.0.2/24", "gateway": "10.0.0.1",
          "services": [{"kind": "dhcp-server", "pool": "10.0.9.100-10.0.9.199", "subnet": "10.0.9.0/24",
                        "gateway": "10.0.9.1", "lease": "2min"}]},
  "RTR": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.0.1/24"}, "eth1": {"ip": "10.0.9.1/24", "dhcp_relay": "10.0.0.2"}}},
  "CLI": {"kind": "host", "ip": "dhcp"}},
 "links": [{"endpoints": ["SRV", "RTR:eth0"]}, {"endpoints": ["RTR:eth1", "CLI"]}]})";

// Each DHCP message of a pcap as the fields compared, one line each.
std::vector<std::string> messages(const std::string& pcap) {
    const auto t = run_command("tshark -r " + quote(pcap) + " -Y dhcp -T fields -E separator=' ' -e dhcp.type -e dhcp.option.dhcp "
                               "-e ip.src -e ip.dst -e ip.ttl -e ip.flags.df -e udp.srcport -e udp.dstport -e dhcp.ip.relay "
                               "-e dhcp.hops 2>/dev/null");
    REQUIRE(t.status == 0);
    std::vector<std::string> out;
    std::istringstream in(t.out);
    for (std::string op, type, src, dst, ttl, df, sport, dport, giaddr, hops; in >> op >> type >> src >> dst >> ttl >> df >> sport >> dport >> giaddr >> hops;) {
        const bool reply = op == "2";
        // A reply's destination (the client's, once relayed) follows the broadcast flag; its hops the server's choice.
        const bool to_client = reply && dport == "68";
        out.push_back(type + " " + src + " > " + (to_client ? "(client)" : dst) + " ttl " + ttl + " df " + df + " " + sport +
                      ">" + dport + " giaddr " + giaddr + (reply ? "" : " hops " + hops));
    }
    return out;
}

}  // namespace

TEST_CASE("dhcp: a relayed lease looks on the wire as ISC dhclient, dhcrelay and dnsmasq make it", "[kernel][dhcp]") {
    if (::geteuid() != 0) {
        WARN("skipped: not root, so no namespaces");
        return;
    }
    if (run_command("command -v dhclient && command -v dhcrelay && command -v dnsmasq && command -v dumpcap").status != 0) {
        WARN("skipped: dhclient, dhcrelay, dnsmasq or dumpcap is missing (.ci/install-deps installs them)");
        return;
    }
    TempDir dir("dhcp-reference");
    const auto ref = run_command("bash " + quote(std::string(HOPSIM_SOURCE_DIR) + "/tests/kernel/dhcp_reference.sh") + " " +
                                 quote(dir.path().string()) + " 2>&1");
    INFO(ref.out << read_file(dir.file("dhclient.log")));
    REQUIRE(ref.status == 0);
    write_file(dir.file("s.json"), kScenario);
    const auto sim = run_command(std::string(HOPSIM_BINARY) + " run -q " + quote(dir.file("s.json")) + " --pcap " +
                                 quote(dir.file("sim")) + " 2>&1");
    REQUIRE(sim.status == 0);
    const auto linux_server = messages(dir.file("server.pcap")), linux_client = messages(dir.file("client.pcap"));
    // DISCOVER, OFFER, REQUEST, ACK on each link.
    REQUIRE(linux_server.size() == 4);
    REQUIRE(linux_client.size() == 4);
    CHECK(messages(dir.file("sim/link00_SRV.eth0-RTR.eth0.pcap")) == linux_server);
    CHECK(messages(dir.file("sim/link01_RTR.eth1-CLI.eth0.pcap")) == linux_client);
    CHECK(run_command("ip netns list | grep -c hopsim-dhcp-").out == "0\n");
}
