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
