// DNS end to end: the lesson's messages as tshark decodes them from our
// pcap, and the resolver's rules taken from glibc (5 s timeout, two tries,
// ECONNREFUSED ending a try) and RFC 1035 (TTLs, NXDOMAIN, names without
// regard to case), each checked on a small network written here.

#include <catch2/catch.hpp>

#include <filesystem>

#include "support/process.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim::test;

namespace {

// A, a DNS server D on A's subnet, and W; `d_services` and `traffic` vary.
std::string lan(const std::string& d_services, const std::string& traffic, const std::string& dns = "10.0.0.53") {
    return R"({"run": {"until": "120s"}, "nodes": {
        "A": {"kind": "host", "ip": "10.0.0.10/24", "dns": ")" + dns + R"("},
        "D": {"kind": "host", "ip": "10.0.0.53/24", "services": )" + d_services + R"(},
        "W": {"kind": "host", "ip": "10.0.0.80/24", "services": [{"kind": "udp-echo", "port": 7}]},
        "S": {"kind": "switch"}},
      "links": [{"endpoints": ["A", "S"]}, {"endpoints": ["D", "S"]}, {"endpoints": ["W", "S"]}],
      "traffic": )" + traffic + "}";
}

const std::string kRecords = R"([{"kind": "dns-server", "records": {"www.example.org": "10.0.0.80"}, "ttl": "60s"}])";

// The DNS queries A sent, by time in seconds.
std::vector<double> queries(const ScenarioRun& r) {
    std::vector<double> out;
    for (const Json& e : events_where(r, "send", "A"))
        if (layer_field(e, "udp", "dport") == 53) out.push_back(e["t"].get<double>() / 1e9);
    return out;
}

}  // namespace

TEST_CASE("dns lesson: tshark reads the questions and answers as the lesson says", "[dns][lesson]") {
    TempDir dir("dns-lesson");
    const auto r = run_command(std::string(HOPSIM_BINARY) + " run -q --pcap " + quote(dir.path().string()) + " " +
                               quote(scenario_path("26-dns")) + " 2>&1");
    REQUIRE(r.status == 0);
    const std::string pcap = dir.file("link00_A.eth0-S1.1.pcap");
    REQUIRE(std::filesystem::exists(pcap));
    const auto t = run_command("tshark -r " + quote(pcap) + " -o udp.check_checksum:TRUE -Y dns -T fields -E separator=';' "
                               "-e dns.flags.response -e dns.qry.name -e dns.flags.rcode -e dns.a -e dns.resp.ttl 2>/dev/null");
    REQUIRE(t.status == 0);
    // (tshark shows a query's rcode as empty.)
    CHECK(t.out == "0;www.example.org;;;\n"
                   "1;www.example.org;0;10.0.2.80;300\n"
                   "0;far.example.net;;;\n"
                   "1;far.example.net;0;10.0.2.81;60\n"
                   "0;nosuch.example.org;;;\n"
                   "1;nosuch.example.org;3;;\n"
                   "0;www.example.org;;;\n"
                   "1;www.example.org;0;10.0.2.80;300\n");
    const ScenarioRun run = run_scenario("26-dns");
    CHECK(flow(run, "ping-nosuch")["failure"] == "NXDOMAIN");
    CHECK(flow(run, "ping-www")["resolved"] == "10.0.2.80");
    CHECK(flow(run, "ping-far")["to"] == "far.example.net");
}

TEST_CASE("dns: an answer is kept for its TTL, and asked for again after", "[dns]") {
    const ScenarioRun r = run_text(lan(kRecords, R"([
        {"id": "first", "at": "1s", "kind": "udp", "from": "A", "to": "www.example.org:7", "payload": "x"},
        {"id": "within", "at": "60.9s", "kind": "udp", "from": "A", "to": "WWW.Example.ORG:7", "payload": "y"},
        {"id": "after", "at": "61.1s", "kind": "udp", "from": "A", "to": "www.example.org:7", "payload": "z"}])"));
    // The answer came at about 1.0 s with TTL 60: kept until about 61.0 s.
    const auto q = queries(r);
    REQUIRE(q.size() == 2);
    CHECK(q[0] == Approx(1.0).margin(0.01));
    CHECK(q[1] == Approx(61.1).margin(0.01));
    for (const char* f : {"first", "within", "after"}) CHECK(flow(r, f)["intact"] == true);
}

TEST_CASE("dns: a server that never answers is asked twice, 5 s apart, then the flow fails", "[dns]") {
    // 10.0.0.99 belongs to nobody: ARP goes unanswered, so do both queries.
    const ScenarioRun r = run_text(lan(kRecords, R"([{"id": "lost", "at": "1s", "kind": "ping", "from": "A", "to": "www.example.org"}])",
                                       "10.0.0.99"));
    const auto q = queries(r);
    REQUIRE(q.size() == 2);
    CHECK(q[1] - q[0] == Approx(5.0).margin(0.001));
    CHECK(flow(r, "lost")["failure"] == "no answer from the DNS server");
    CHECK(flow(r, "lost")["sent_packets"] == 0);
}

TEST_CASE("dns: a host with no server on port 53 answers port unreachable, which ends each try at once", "[dns]") {
    const ScenarioRun r = run_text(lan(R"([{"kind": "udp-sink", "port": 9}])",
                                       R"([{"id": "refused", "at": "1s", "kind": "ping", "from": "A", "to": "www.example.org"}])"));
    const auto q = queries(r);
    REQUIRE(q.size() == 2);
    CHECK(q[1] - q[0] < 0.1);
    CHECK(flow(r, "refused")["failure"] == "the DNS server's port 53 is closed (ICMP port unreachable)");
}

TEST_CASE("dns: two lookups of one name at once share one question", "[dns]") {
    const ScenarioRun r = run_text(lan(kRecords, R"([
        {"id": "one", "at": "1s", "kind": "ping", "from": "A", "to": "www.example.org"},
        {"id": "two", "at": "1s", "kind": "udp", "from": "A", "to": "www.example.org:7", "payload": "x"}])"));
    CHECK(queries(r).size() == 1);
    CHECK(flow(r, "one")["delivered_packets"] == 1);
    CHECK(flow(r, "two")["intact"] == true);
}
