// hopsim kernel: the scenario built of Linux network namespaces is the
// oracle. Its own ping and its own forwarding must give what the simulator
// gives (reply TTL, the router that answers, the frames on each link), and
// the namespaces must be gone afterwards. Needs root: without it, or where
// namespaces cannot be made, every case here says it skipped and why.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.hpp"

using namespace hopsim::test;
using Json = nlohmann::json;

namespace {

std::string scenario(const std::string& name) { return std::string(HOPSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"; }
std::string hopsim_cmd(const std::string& args) { return std::string(HOPSIM_BINARY) + " " + args + " 2>&1"; }

// Why namespaces cannot be made here, or empty.
std::string no_namespaces() {
    if (::geteuid() != 0) return "not root";
    const auto r = run_command("ip netns add hopsim-probe-$$ && ip netns del hopsim-probe-$$ 2>&1");
    return r.status == 0 ? std::string() : "ip netns add failed: " + r.out;
}

std::string our_namespaces() { return run_command("ip netns list | grep '^hopsim-' || true").out; }

// One line per frame of a pcap: the fields both sides must agree on.
std::vector<std::string> frames(const std::string& pcap) {
    const auto r = run_command("tshark -r " + quote(pcap) +
                               " -T fields -E separator=/ -e eth.src -e eth.dst -e arp.opcode -e ip.src -e ip.dst -e ip.ttl"
                               " -e ip.flags.df -e ip.dsfield -e ip.len -e icmp.type -e icmp.code 2>/dev/null");
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

}  // namespace

TEST_CASE("kernel: 09's pings through three routers in namespaces match the simulation frame by frame", "[kernel]") {
    if (const std::string why = no_namespaces(); !why.empty()) {
        WARN("skipped: " << why);
        return;
    }
    TempDir dir("kernel");
    const auto k = run_command(hopsim_cmd("kernel " + quote(scenario("09-ttl-expired")) + " --pcap " + quote(dir.file("k")) +
                                      " --summary " + quote(dir.file("k.json"))));
    INFO(k.out);
    REQUIRE(k.status == 0);
    CHECK(our_namespaces().empty());  // all removed
    const auto s = run_command(hopsim_cmd("run -q " + quote(scenario("09-ttl-expired")) + " --pcap " + quote(dir.file("s")) +
                                      " --summary " + quote(dir.file("s.json"))));
    REQUIRE(s.status == 0);
    const Json kj = Json::parse(read_file(dir.file("k.json"))), sj = Json::parse(read_file(dir.file("s.json")));
    // The kernel's ping: one reply through three routers with ttl=61, as the simulator says.
    const Json& kping = kj["flows"][1];
    REQUIRE(kping["id"] == "ttl-64");
    CHECK(kping["delivered_packets"] == 1);
    CHECK(kping["reply_ttl_min"] == sj["flows"][1]["reply_ttl_min"]);
    // TTL 2 dies at R2, whose address toward A answers.
    CHECK(kj["flows"][0]["delivered_packets"] == 0);
    CHECK(kj["flows"][0]["note"].get<std::string>().find("Time to live exceeded (from 10.0.0.6)") != std::string::npos);
    // Frame by frame on every link: addresses, TTL, DF, TOS, lengths, ICMP type and code.
    for (const char* link : {"link00_A.eth0-R1.eth0.pcap", "link01_R1.eth1-R2.eth0.pcap", "link02_R2.eth1-R3.eth0.pcap",
                             "link03_R3.eth1-B.eth0.pcap"}) {
        INFO(link);
        const auto kernel = frames(dir.file("k") + "/" + link), sim = frames(dir.file("s") + "/" + link);
        CHECK(!kernel.empty());
        CHECK(kernel == sim);
    }
    CHECK(kj["sysctls"].size() > 5);
}

TEST_CASE("kernel: --keep leaves the namespaces, --cleanup removes them and nothing else", "[kernel]") {
    if (const std::string why = no_namespaces(); !why.empty()) {
        WARN("skipped: " << why);
        return;
    }
    run_command("ip netns add not-hopsim-$$-probe");
    const auto k = run_command(hopsim_cmd("kernel --keep " + quote(scenario("07-router-two-subnets"))));
    INFO(k.out);
    REQUIRE(k.status == 0);
    CHECK(k.out.find("ip netns exec hopsim-") != std::string::npos);  // how to enter it
    CHECK(our_namespaces().find("-R1") != std::string::npos);
    const auto c = run_command(hopsim_cmd("kernel --cleanup"));
    CHECK(c.status == 0);
    INFO(c.out);
    CHECK(c.out.find("removed 5 leftover namespaces") != std::string::npos);  // A, S1, R1, S2, B
    CHECK(our_namespaces().empty());
    CHECK(run_command("ip netns list | grep -c '^not-hopsim-'").out.find('1') != std::string::npos);
    run_command("for n in $(ip netns list | grep '^not-hopsim-' | cut -d' ' -f1); do ip netns del $n; done");
}

TEST_CASE("kernel: without root, a clear message and exit 2, nothing built", "[kernel]") {
    if (::geteuid() != 0) {
        const auto r = run_command(hopsim_cmd("kernel " + quote(scenario("07-router-two-subnets"))));
        CHECK(r.status == 2);
        CHECK(r.out.find("needs root") != std::string::npos);
        return;
    }
    const auto r = run_command("setpriv --reuid=65534 --regid=65534 --clear-groups " + hopsim_cmd("kernel " + quote(scenario("07-router-two-subnets"))));
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find("needs root (CAP_NET_ADMIN)") != std::string::npos);
    CHECK(our_namespaces().empty());
}
