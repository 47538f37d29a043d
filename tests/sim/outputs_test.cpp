// Whole runs through the CLI: the same scenario and seed give byte-identical
// trace, summary and pcap files, and tshark reads every pcap without a warning.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "support/process.hpp"
#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/summary.hpp"

using namespace hopsim::test;

namespace {

// Every bundled scenario, by file name.
std::vector<std::string> all_scenarios() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/scenarios"))
        if (e.path().extension() == ".json" && e.path().filename() != "scenario.schema.json")
            out.push_back(e.path().stem().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string scenario(const std::string& name) { return std::string(HOPSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"; }

CommandResult run_to(const std::string& name, const std::string& dir, const std::string& extra = "") {
    return run_command(std::string(HOPSIM_BINARY) + " run -q " + quote(scenario(name)) + " --trace " +
                       quote(dir + "/trace.jsonl") + " --summary " + quote(dir + "/summary.json") + " --pcap " +
                       quote(dir + "/pcap") + " " + extra + " 2>&1");
}

std::vector<std::string> pcaps(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir + "/pcap")) out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("the same scenario and seed give byte-identical trace, summary and pcaps", "[determinism]") {
    for (const std::string& name : all_scenarios()) {
        INFO(name);
        TempDir a("det-a"), b("det-b");
        REQUIRE(run_to(name, a.path().string()).status == 0);
        REQUIRE(run_to(name, b.path().string()).status == 0);
        const std::string trace = read_file(a.file("trace.jsonl"));
        CHECK(trace.size() > 100);
        CHECK(trace == read_file(b.file("trace.jsonl")));
        CHECK(read_file(a.file("summary.json")) == read_file(b.file("summary.json")));
        const auto pa = pcaps(a.path().string()), pb = pcaps(b.path().string());
        REQUIRE(pa.size() == pb.size());
        for (std::size_t i = 0; i < pa.size(); ++i) CHECK(read_file(pa[i]) == read_file(pb[i]));
    }
}

TEST_CASE("a different seed changes the collision scenario's backoff draws", "[determinism]") {
    TempDir a("seed-a"), b("seed-b");
    REQUIRE(run_to("05-hub-collisions", a.path().string(), "--seed 1").status == 0);
    REQUIRE(run_to("05-hub-collisions", b.path().string(), "--seed 2").status == 0);
    CHECK(read_file(a.file("trace.jsonl")) != read_file(b.file("trace.jsonl")));
}

TEST_CASE("tshark reads every scenario's pcaps without a malformed frame or bad checksum", "[tshark]") {
    for (const std::string& name : all_scenarios()) {
        INFO(name);
        TempDir dir("tshark-scn");
        REQUIRE(run_to(name, dir.path().string()).status == 0);
        int frames = 0;
        for (const std::string& p : pcaps(dir.path().string())) {
            auto r = run_command("tshark -r " + quote(p) +
                                 " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE"
                                 " -V 2>/dev/null");
            REQUIRE(r.status == 0);
            INFO(p);
            CHECK(r.out.find("Malformed") == std::string::npos);
            CHECK(r.out.find("Bad]") == std::string::npos);
            CHECK(r.out.find("(Error/") == std::string::npos);
            for (std::size_t at = 0; (at = r.out.find("\nFrame ", at)) != std::string::npos; ++at) ++frames;
        }
        CHECK(frames > 0);
    }
}

TEST_CASE("the trace lists events in time order, each frame tx'd once and rx'd per port", "[trace]") {
    TempDir dir("order");
    REQUIRE(run_to("03-hub-vs-switch", dir.path().string()).status == 0);
    const std::string trace = read_file(dir.file("trace.jsonl"));
    long last = -1;
    std::size_t start = 0, lines = 0;
    for (std::size_t nl; (nl = trace.find('\n', start)) != std::string::npos; start = nl + 1, ++lines) {
        const std::string line = trace.substr(start, nl - start);
        REQUIRE(line.rfind("{\"t\":", 0) == 0);
        const long t = std::stol(line.substr(5));
        CHECK(t >= last);
        last = t;
    }
    CHECK(lines > 100);
}

TEST_CASE("run: --until overrides run.until, and bad options exit 2", "[cli]") {
    const std::string bin = std::string(HOPSIM_BINARY);
    auto shortened = run_command(bin + " run " + quote(scenario("04-arp")) + " --until 50ms 2>&1");
    CHECK(shortened.status == 0);
    CHECK(shortened.out.find("ping-nobody") != std::string::npos);
    CHECK(shortened.out.find("0 pkt") != std::string::npos);  // it starts at 100ms: never sent
    auto bad_until = run_command(bin + " run " + quote(scenario("04-arp")) + " --until 50 2>&1");
    CHECK(bad_until.status == 2);
    CHECK(bad_until.out.find("--until: unit missing") != std::string::npos);
    auto missing = run_command(bin + " run /nonexistent.json 2>&1");
    CHECK(missing.status == 2);
    CHECK(missing.out.find("/nonexistent.json: cannot read: No such file") != std::string::npos);
    auto bad_pcap = run_command(bin + " run " + quote(scenario("04-arp")) + " --pcap /proc/nope 2>&1");
    CHECK(bad_pcap.status == 2);
}

TEST_CASE("run --follow prints one packet's headers hop by hop, changes marked", "[cli][follow]") {
    auto r = run_command(std::string(HOPSIM_BINARY) + " run -q " + quote(scenario("08-router-chain")) + " --follow hello-B 2>&1");
    REQUIRE(r.status == 0);
    INFO(r.out);
    auto row = [&](const std::string& field) {
        const auto at = r.out.find("\n" + field + " ");
        return at == std::string::npos ? std::string() : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
    };
    CHECK(r.out.find("R1:eth0") != std::string::npos);
    CHECK(r.out.find("B:eth0") != std::string::npos);
    // TTL as each hop received it: 64, 63, 62, 61, each change marked.
    const std::string ttl = row("ipv4.ttl");
    CHECK(ttl.find("64 ") != std::string::npos);
    CHECK(ttl.find("63*") != std::string::npos);
    CHECK(ttl.find("61*") != std::string::npos);
    CHECK(row("ipv4.src").find('*') == std::string::npos);   // addresses never change
    CHECK(row("udp.dport").find('*') == std::string::npos);  // nor does layer 4
    CHECK(row("eth.src").find('*') != std::string::npos);
    auto bad = run_command(std::string(HOPSIM_BINARY) + " run -q " + quote(scenario("08-router-chain")) + " --follow nosuch 2>&1");
    CHECK(bad.status == 2);
    CHECK(bad.out.find("neither a packet number nor a flow id") != std::string::npos);
}

TEST_CASE("a run stopped half way and resumed ends exactly as one run does", "[determinism]") {
    namespace sim = hopsim::sim;
    for (const char* name : {"05-hub-collisions", "13-tcp-over-loss"}) {
        INFO(name);
        auto sc = sim::load_scenario_file(scenario(name));
        REQUIRE(sc);
        sim::Simulation whole(*sc), halves(*sc);
        whole.run(sc->until);
        const sim::SimTime end = whole.network().now();
        halves.run(sim::SimTime::ns(end.count() / 2));
        CHECK(halves.network().now() < end);
        halves.run(sc->until);
        CHECK(sim::summary_json(halves) == sim::summary_json(whole));
    }
}
