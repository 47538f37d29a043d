// The CLI as a user meets it: exit codes, help and errors, run as a process.

#include <catch2/catch.hpp>

#include "support/process.hpp"

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
