// The loader refuses every scenario in the bad-scenario catalogue with the
// located message the catalogue names, and accepts every bundled scenario.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "hopsim/sim/loader.hpp"
#include "support/process.hpp"

using namespace hopsim::sim;
using namespace hopsim::test;

namespace {

struct BadCase {
    std::string file;
    std::vector<std::string> lines;
};

std::vector<BadCase> catalogue() {
    std::ifstream in(std::string(HOPSIM_SOURCE_DIR) + "/tests/bad-scenarios/catalogue.tsv");
    std::map<std::string, std::vector<std::string>> by_file;
    std::string row;
    while (std::getline(in, row)) {
        if (row.empty() || row[0] == '#') continue;
        const auto t1 = row.find('\t'), t2 = row.find('\t', t1 + 1);
        by_file[row.substr(0, t1)].push_back(row.substr(t2 + 1));
    }
    std::vector<BadCase> out;
    for (auto& [f, lines] : by_file) out.push_back({f, lines});
    return out;
}

}  // namespace

TEST_CASE("every bad scenario is refused with its located message", "[loader]") {
    const auto cat = catalogue();
    REQUIRE(cat.size() >= 25);
    for (const BadCase& e : cat) {
        INFO(e.file);
        auto r = load_scenario_file(std::string(HOPSIM_SOURCE_DIR) + "/tests/bad-scenarios/" + e.file);
        REQUIRE_FALSE(r);
        const std::set<std::string> got(r.error().begin(), r.error().end());
        for (const std::string& line : e.lines) CHECK(got.count(line) == 1);
        CHECK(r.error().size() == e.lines.size());  // one line per problem, no cascades
    }
}

TEST_CASE("every file in the bad-scenario folder is in the catalogue", "[loader]") {
    std::set<std::string> listed;
    for (const BadCase& e : catalogue()) listed.insert(e.file);
    for (const auto& entry : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/tests/bad-scenarios"))
        if (entry.path().extension() == ".json") CHECK(listed.count(entry.path().filename().string()) == 1);
}

TEST_CASE("hopsim validate exits 2 and prints file: place: problem", "[loader][cli]") {
    const std::string file = std::string(HOPSIM_SOURCE_DIR) + "/tests/bad-scenarios/unknown-node.json";
    auto r = run_command(std::string(HOPSIM_BINARY) + " validate " + quote(file) + " 2>&1");
    CHECK(r.status == 2);
    CHECK(r.out == file + ": links[1].endpoints[1]: unknown node \"R9\"\n");
}

TEST_CASE("every bundled scenario loads cleanly", "[loader]") {
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".json" || entry.path().filename() == "scenario.schema.json") continue;
        INFO(entry.path().string());
        auto r = load_scenario_file(entry.path().string());
        if (!r) FAIL(r.error().front());
        CHECK_FALSE(r->description.empty());
        ++n;
    }
    CHECK(n >= 6);
}

TEST_CASE("missing MACs are assigned from the node's and interface's position", "[loader]") {
    auto r = load_scenario(R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "S1": {"kind": "switch"}, "B": {"kind": "host", "ip": "10.0.0.2/24", "mac": "02:00:00:00:03:01"}},
        "links": [{"endpoints": ["A", "S1"]}, {"endpoints": ["B", "S1"]}]})");
    REQUIRE(r);
    CHECK(r->nodes[0].interfaces[0].mac.to_string() == "02:00:00:00:01:01");
    CHECK(r->nodes[2].interfaces[0].mac.to_string() == "02:00:00:00:03:01");  // given explicitly
    CHECK(r->nodes[1].ports == 2);  // as many ports as links attached
    CHECK(r->port_name(1, 1) == "2");
}

TEST_CASE("explicit ports are placed first, plain endpoints take the lowest free port", "[loader]") {
    auto r = load_scenario(R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"},
        "B": {"kind": "host", "ip": "10.0.0.2/24"}, "S1": {"kind": "switch"}},
        "links": [{"endpoints": ["A", "S1"]}, {"endpoints": ["B", "S1:1"]}],
        "defaults": {"link": {"bandwidth": "1Gbps", "delay": "2us"}}})");
    REQUIRE(r);
    CHECK(r->links[0].ends[1].port == 1);  // S1:2, because B claimed port 1 by name
    CHECK(r->links[1].ends[1].port == 0);
    CHECK(r->links[0].bandwidth_bps == 1'000'000'000);
    CHECK(r->links[0].delay == SimTime::us(2));
    CHECK(r->link_name(0) == "A:eth0-S1:2");
}
