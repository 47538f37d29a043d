// The real backend at its limits: out of file descriptors, payloads too
// large to hold, inputs that are not files. Each ends in a clear message and
// an exit status, never a crash (a crash exits -1 here: killed by a signal).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/sanitizers.hpp"

using namespace hopsim::test;

namespace {
CommandResult run_hopsim(const std::string& args) { return run_command(std::string(HOPSIM_BINARY) + " " + args + " 2>&1"); }
}  // namespace

TEST_CASE("real with almost no file descriptors fails the flows, not the process", "[real][limits]") {
    // Twenty connections at once to one listener, with 12 descriptors (3 are
    // stdio): some connects fail at once with EMFILE. That used to crash.
    TempDir dir("fd-limit");
    std::string traffic;
    for (int i = 0; i < 20; ++i)
        traffic += std::string(i ? "," : "") + R"({"kind": "tcp", "from": "A", "to": "B:7", "payload": {"size": 100000}})";
    write_file(dir.file("many.json"), R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "B": {"kind": "host", "ip": "10.0.0.2/24", "services": [{"kind": "tcp-echo", "port": 7}]}},
      "links": [{"endpoints": ["A", "B"]}], "traffic": [)" + traffic + "]}");
    if (kSanitized) {  // support/sanitizers.hpp says why
        WARN("skipped in the sanitizer build: UBSan needs file descriptors of its own");
        return;
    }
    auto r = run_command("sh -c 'ulimit -n 12; " + std::string(HOPSIM_BINARY) + " real --timeout 5s " +
                         dir.file("many.json") + "' 2>&1");
    INFO(r.out);
    CHECK(r.status >= 0);  // exited, not killed by a signal
    CHECK(r.out.find("Too many open files") != std::string::npos);
}

TEST_CASE("echo-client streams what it sends: a terabyte is not allocated", "[real][limits]") {
    // Nothing listens on port 1: the connection is refused, after the
    // payload source was set up (it used to be a 1 TB vector: bad_alloc).
    auto r = run_hopsim("echo-client 127.0.0.1:1 --size 1000000000000");
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("Connection refused") != std::string::npos);
}

TEST_CASE("echo-client --file refuses devices and directories with exit 2", "[real][limits]") {
    auto zero = run_hopsim("echo-client 127.0.0.1:1 --file /dev/zero");
    CHECK(zero.status == 2);
    CHECK(zero.out.find("/dev/zero: is not a regular file") != std::string::npos);
    auto dir = run_hopsim("echo-client 127.0.0.1:1 --file /tmp");
    CHECK(dir.status == 2);
    CHECK(dir.out.find("/tmp: is a directory") != std::string::npos);
}

TEST_CASE("echo-client --file sends a file's bytes and checks them coming back", "[real][limits]") {
    TempDir dir("echo-file");
    write_file(dir.file("data.bin"), std::string(300000, 'z') + "end");
    auto server = std::string(HOPSIM_BINARY) + " echo-server --port 7123 > " + dir.file("server.log") + " 2>&1 & ";
    auto r = run_command("sh -c '" + server + "pid=$!; sleep 0.3; " + std::string(HOPSIM_BINARY) +
                         " echo-client 127.0.0.1:7123 --json --file " + dir.file("data.bin") + "; s=$?; kill $pid; exit $s'");
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["bytes"] == 300003);
    CHECK(j["intact"] == true);
}

namespace {
// The contract's constant-rate stream: 100,000 datagrams of 1000 bytes, one every 10 us.
std::string dense_udp(const TempDir& dir) {
    write_file(dir.file("dense.json"), R"({"name": "dense", "run": {"until": "2s"},
      "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"}},
      "links": [{"endpoints": ["A", "B"], "bandwidth": "10Gbps"}],
      "traffic": [{"kind": "udp", "from": "A", "to": "B:9000", "count": 100000, "interval": "10us",
                   "payload": {"size": 1000}}]})");
    return dir.file("dense.json");
}
}  // namespace

TEST_CASE("compare keeps up with a dense lossless UDP stream, or names the kernel's drops", "[real][limits]") {
    TempDir dir("dense");
    auto r = run_hopsim("compare --json " + dense_udp(dir));
    INFO(r.out);
    REQUIRE(r.status == 0);  // agree, or differ by design: never blamed on the simulation
    const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
    const auto& flow = j["flows"][0];
    if (flow["agree"] == false) CHECK(flow["reason"].get<std::string>().find("the kernel dropped") != std::string::npos);
}

TEST_CASE("real stops at --timeout, says so, and exits 1", "[real][limits]") {
    TempDir dir("timeout");
    auto r = run_hopsim("real --timeout 200ms " + dense_udp(dir));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("stopped at the --timeout of 200ms") != std::string::npos);
    CHECK(r.out.find("datagrams before the timeout") != std::string::npos);
}

TEST_CASE("compare judges a flow by its own drops: a full queue on a lossless path is named", "[real][compare]") {
    TempDir dir("queue");
    // 200 datagrams every microsecond into a 10 Mbps link with a 10-frame queue: most wait in vain.
    write_file(dir.file("q.json"), R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "B": {"kind": "host", "ip": "10.0.0.2/24", "services": [{"kind": "udp-sink", "port": 9}]}},
      "links": [{"endpoints": ["A", "B"], "bandwidth": "10Mbps", "queue": 10}],
      "traffic": [{"kind": "udp", "from": "A", "to": "B:9", "count": 200, "interval": "1us", "payload": {"size": 1000}}]})");
    auto r = run_hopsim("compare --json " + dir.file("q.json"));
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
    const auto& flow = j["flows"][0];
    CHECK(flow["by_design"] == true);
    CHECK(flow["reason"].get<std::string>().find("queue-full at A") != std::string::npos);
}
