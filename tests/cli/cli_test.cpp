// The CLI as a user meets it: exit codes, help and errors, run as a process.

#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/sanitizers.hpp"

using namespace hopsim::test;

namespace {
CommandResult run_hopsim(const std::string& args) { return run_command(std::string(HOPSIM_BINARY) + " " + args + " 2>&1"); }
}  // namespace

TEST_CASE("hopsim --help lists the commands and exits 0", "[cli]") {
    auto r = run_hopsim("--help");
    CHECK(r.status == 0);
    CHECK(r.out.find("dissect") != std::string::npos);
    CHECK(r.out.find("Exit status") != std::string::npos);
}

TEST_CASE("each command's usage line reads as the README writes it", "[cli]") {
    const std::pair<const char*, const char*> usages[] = {
        {"run", "Usage: hopsim run [OPTIONS] SCENARIO\n"},
        {"validate", "Usage: hopsim validate [OPTIONS] SCENARIO...\n"},
        {"render", "Usage: hopsim render [OPTIONS] SCENARIO [SCENARIO2]\n"},
        {"view", "Usage: hopsim view [OPTIONS] SCENARIO [SCENARIO2]\n"},
        {"real", "Usage: hopsim real [OPTIONS] SCENARIO\n"},
        {"compare", "Usage: hopsim compare [OPTIONS] SCENARIO\n"},
    };
    for (const auto& [command, usage] : usages) {
        auto r = run_hopsim(std::string(command) + " --help");
        INFO(r.out);
        CHECK(r.status == 0);
        CHECK(r.out.find(usage) != std::string::npos);
    }
}

TEST_CASE("hopsim --version prints the version and exits 0", "[cli]") {
    auto r = run_hopsim("--version");
    CHECK(r.status == 0);
    CHECK(r.out.rfind("hopsim 0.", 0) == 0);
}

TEST_CASE("misuse exits 2 with a message", "[cli]") {
    CHECK(run_hopsim("").status == 2);
    auto unknown = run_hopsim("--frobnicate");
    CHECK(unknown.status == 2);
    CHECK(unknown.out.find("frobnicate") != std::string::npos);
    CHECK(run_hopsim("no-such-command").status == 2);
}

TEST_CASE("hopsim dissect decodes pasted hex", "[cli]") {
    // An ARP request from 10.0.0.1 for 10.0.0.2, assembled by hand.
    auto r = run_hopsim("dissect 'ffffffffffff 02000000000a 0806 0001 0800 0604 0001 02000000000a 0a000001 "
                    "000000000000 0a000002'");
    CHECK(r.status == 0);
    CHECK(r.out.find("arp") != std::string::npos);
    CHECK(r.out.find("tpa          10.0.0.2") != std::string::npos);
    auto bad = run_hopsim("dissect 'ff:zz'");
    CHECK(bad.status == 2);
    CHECK(bad.out.find("column 4: 'z' is not a hex digit") != std::string::npos);
}

TEST_CASE("a full disk is a failed run that names the file, never a silent truncation", "[cli][outputs]") {
    const std::string scenario = std::string(HOPSIM_SOURCE_DIR) + "/scenarios/08-router-chain.json";
    for (const char* option : {"--trace", "--summary"}) {
        INFO(option);
        auto r = run_hopsim("run " + scenario + " -q " + option + " /dev/full");
        CHECK(r.status == 1);
        CHECK(r.out.find("cannot write /dev/full: No space left on device") != std::string::npos);
    }
    auto to_stdout = run_command(std::string(HOPSIM_BINARY) + " run " + scenario + " 2>&1 >/dev/full");
    CHECK(to_stdout.status == 1);
    CHECK(to_stdout.out.find("cannot write standard output") != std::string::npos);
    // A scenario of pings only: `real` replays nothing, so no socket is opened here.
    auto real = run_hopsim("real " + std::string(HOPSIM_SOURCE_DIR) + "/scenarios/02-switch-learning.json --summary /dev/full");
    CHECK(real.status == 1);
    CHECK(real.out.find("cannot write /dev/full") != std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT stop a run between events, outputs are whole, the status says which", "[cli][outputs]") {
    // A broadcast storm that would run for 100 simulated seconds.
    const std::string storm = std::string(HOPSIM_SOURCE_DIR) + "/scenarios/06-switch-loop-storm.json";
    for (const auto& [signal, status] : {std::pair{"TERM", 143}, std::pair{"INT", 130}}) {
        INFO(signal);
        TempDir dir("signal");
        const std::string cmd = std::string(HOPSIM_BINARY) + " run " + storm + " --until 100s -q --trace " +
                                dir.file("t.jsonl") + " --summary " + dir.file("s.json") + " --pcap " + dir.file("p");
        auto r = run_command("sh -c '" + cmd + " 2>/dev/null & pid=$!; sleep 0.2; kill -" + signal +
                             " $pid; wait $pid'");
        CHECK(r.status == status);
        const std::string trace = read_file(dir.file("t.jsonl"));
        REQUIRE(trace.size() > 1000);
        CHECK(trace.back() == '\n');  // the last line is whole
        const auto last_start = trace.rfind('\n', trace.size() - 2) + 1;
        CHECK(nlohmann::json::parse(trace.substr(last_start))["t"].is_number());
        CHECK(nlohmann::json::parse(read_file(dir.file("s.json")))["sim_time_ns"].get<long>() < 100'000'000'000);
        auto tshark = run_command("tshark -r " + dir.file("p") + "/link00_A.eth0-S1.1.pcap -c 1000000 2>&1 >/dev/null");
        CHECK(tshark.status == 0);
        CHECK(tshark.out.find("cut short") == std::string::npos);  // no record cut in the middle
    }
}

TEST_CASE("pcap files beyond the open-file limit: the run is refused whole, leaving none", "[cli][outputs]") {
    TempDir dir("pcap-limit");
    std::string nodes = R"("S": {"kind": "switch"})", links;
    for (int i = 1; i <= 100; ++i) {
        nodes += fmt::format(R"(, "H{}": {{"kind": "host", "ip": "10.0.{}.{}/16"}})", i, i / 200, i % 200 + 1);
        links += fmt::format(R"({}{{"endpoints": ["H{}", "S"]}})", i > 1 ? "," : "", i);
    }
    write_file(dir.file("s.json"), "{\"nodes\": {" + nodes + "}, \"links\": [" + links + "]}");
    // dash's ulimit sets the hard limit too: hopsim cannot raise it past 64.
    auto r = run_command("sh -c 'ulimit -n 64; " + std::string(HOPSIM_BINARY) + " run -q " + dir.file("s.json") +
                         " --pcap " + dir.file("p") + "' 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out.find("100 links need 100 open pcap files") != std::string::npos);
    CHECK(std::filesystem::is_empty(dir.file("p")));
    // Within the limit (raised to the hard limit by hopsim itself) every file is made.
    auto ok = run_hopsim("run -q " + dir.file("s.json") + " --pcap " + dir.file("p"));
    CHECK(ok.status == 0);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.file("p")), {}) == 100);
}

TEST_CASE("130,000 switches without \"ports\" load in bounded memory", "[cli][limits]") {
    if (kSanitized) {  // ASan reserves terabytes of address space: a ulimit -v cannot apply
        WARN("skipped in the sanitizer build: ulimit -v and ASan's shadow memory do not mix");
        return;
    }
    TempDir dir("switches");
    std::string nodes;
    for (int i = 0; i < 130000; ++i) nodes += fmt::format(R"({}"S{}": {{"kind": "switch"}})", i ? "," : "", i);
    write_file(dir.file("s.json"), "{\"nodes\": {" + nodes + "}, \"links\": []}");
    // 1 GiB of address space: each switch used to reserve 4096 ports (16 KiB), 2 GiB in all.
    auto r = run_command("sh -c 'ulimit -v 1048576; " + std::string(HOPSIM_BINARY) + " run -q " + dir.file("s.json") +
                         "' 2>&1");
    INFO(r.out);
    CHECK(r.status == 0);
}

TEST_CASE("numeric options out of range exit 2 naming the option, never wrap round", "[cli][limits]") {
    const std::string scenario = std::string(HOPSIM_SOURCE_DIR) + "/scenarios/01-hub-broadcast.json";
    const std::pair<std::string, std::string> cases[] = {
        {"run " + scenario + " --seed=-1", "--seed"},
        {"echo-server --max-queue=-1", "--max-queue"},
        {"echo-server --max-queue 0", "--max-queue"},
        {"echo-server --port 70000", "--port"},
        {"echo-client 127.0.0.1:1 --size=-5", "--size"},
        {"echo-client 127.0.0.1:1 --connections 0", "--connections"},
        {"echo-client 127.0.0.1:1 --size 10 --timeout forever", "--timeout"},
        {"real " + scenario + " --timeout -1s", "--timeout"},
        {"run " + scenario + " --until 10parsecs", "--until"},
    };
    for (const auto& [args, option] : cases) {
        INFO(args);
        auto r = run_hopsim(args);
        CHECK(r.status == 2);
        CHECK(r.out.find(option) != std::string::npos);
    }
}

TEST_CASE("people's messages: unknown commands, JSON comments, singular counts", "[cli]") {
    auto unknown = run_hopsim("frobnicate");
    CHECK(unknown.status == 2);
    CHECK(unknown.out.find("unknown command \"frobnicate\"") != std::string::npos);
    CHECK(unknown.out.find("validate") != std::string::npos);  // the commands are listed

    TempDir dir("messages");
    write_file(dir.file("c.json"), "{\n  \"nodes\": {},\n  // a note\n  \"links\": []\n}\n");
    auto comment = run_hopsim("validate " + dir.file("c.json"));
    CHECK(comment.status == 2);
    CHECK(comment.out.find("line 3, column 3: comments are not allowed in JSON") != std::string::npos);

    auto one = run_hopsim("run " + std::string(HOPSIM_SOURCE_DIR) + "/scenarios/03-hub-vs-switch.json");
    CHECK(one.out.find("1 flood,") != std::string::npos);
    CHECK(one.out.find("1 floods") == std::string::npos);
}
