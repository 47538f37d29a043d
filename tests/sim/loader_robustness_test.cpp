// The loader against hostile input (each case once crashed it, looped, or
// lost the place of the problem): huge numbers, deep nesting, thousands of
// duplicates, names that look like paths, files that are not files, bytes
// that are not text. Every one is refused (or accepted) with a located,
// bounded message; none may crash.

#include <catch2/catch.hpp>

#include <string>

#include "hopsim/sim/loader.hpp"
#include "support/process.hpp"

using namespace hopsim::sim;

namespace {

const std::string kTwoHosts = R"("nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"}},
  "links": [{"endpoints": ["A", "B"]}])";

Problems problems_of(const std::string& json) {
    auto sc = load_scenario(json);
    REQUIRE_FALSE(sc);
    return sc.error();
}

bool has(const Problems& p, const std::string& text) {
    for (const std::string& line : p)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("numbers too long for a double are out of range, located", "[loader][robust]") {
    const std::string big(400, '9');
    const std::string tiny = "0." + std::string(400, '0') + "1";
    auto p = problems_of("{" + kTwoHosts + R"(, "run": {"until": ")" + big + R"(s"}})");
    CHECK(has(p, "run.until: "));
    CHECK(has(p, "is out of range"));
    p = problems_of("{" + kTwoHosts + R"(, "run": {"until": ")" + tiny + R"(ms"}})");
    CHECK(has(p, "run.until: "));
    p = problems_of("{" + kTwoHosts + R"(, "defaults": {"link": {"bandwidth": ")" + big + R"(bps"}}})");
    CHECK(has(p, "defaults.link.bandwidth: "));
    for (const std::string& line : p) CHECK(line.size() < 400);  // a 400-digit value is not quoted whole
}

TEST_CASE("a value nested 100,000 levels deep is refused at the parse, with its place", "[loader][robust]") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const auto p = problems_of("{" + kTwoHosts + R"(, "seed": )" + deep + "}");
    REQUIRE(p.size() == 1);
    CHECK(p[0].rfind("seed[0]", 0) == 0);
    CHECK(has(p, "nested deeper than 64 levels"));
    // Nested objects where a number belongs, shallow enough to parse: described, not dumped.
    const auto shallow = problems_of("{" + kTwoHosts + R"(, "seed": {"a": {"b": {"c": [1, 2, 3]}}}})");
    CHECK(has(shallow, "seed: expected a whole number, found an object"));
}

TEST_CASE("3,000 duplicate flow ids: ten lines and a count, not one per pair", "[loader][robust]") {
    std::string traffic;
    for (int i = 0; i < 3000; ++i)
        traffic += std::string(i ? "," : "") + R"({"id": "same", "kind": "ping", "from": "A", "to": "B"})";
    const auto p = problems_of("{" + kTwoHosts + R"(, "traffic": [)" + traffic + "]}");
    REQUIRE(p.size() == 11);
    CHECK(p[0] == "traffic[1].id: duplicate flow id \"same\"");
    CHECK(p[10] == "... and 2989 more like \"traffic[1].id: duplicate flow id \"same\"\"");
}

TEST_CASE("a node called R1.interfaces is a node, not R1's interfaces", "[loader][robust]") {
    auto sc = load_scenario(R"({"nodes": {
        "R1.interfaces": {"kind": "host", "ip": "10.0.0.1/24"},
        "R1": {"kind": "router", "interfaces": {"eth0": {"ip": "10.0.0.254/24"}, "eth1": {"ip": "10.1.0.1/24"}}}},
      "links": [{"endpoints": ["R1.interfaces", "R1:eth0"]}]})");
    REQUIRE(sc);
    CHECK(sc->nodes[1].interfaces.size() == 2);
    CHECK(sc->nodes[1].interfaces[1].name == "eth1");
}

TEST_CASE("a duplicate key is reported where it is, lists included", "[loader][robust]") {
    const auto p = problems_of("{" + kTwoHosts + R"(, "traffic": [{"kind": "ping", "from": "A", "to": "B"},
        {"kind": "ping", "from": "A", "to": "B", "at": "1ms", "at": "2ms"}]})");
    CHECK(p == Problems{"traffic[1]: duplicate key \"at\""});
}

TEST_CASE("control characters in names are escaped in messages", "[loader][robust]") {
    const auto p = problems_of(R"({"nodes": {"A\u0000B": {"kind": "host", "ip": "10.0.0.1/24"}}})");
    REQUIRE_FALSE(p.empty());
    for (const std::string& line : p) CHECK(line.find('\0') == std::string::npos);
    CHECK(has(p, "A\\x00B"));
}

TEST_CASE("directories, devices and missing files are refused by what they are", "[loader][robust]") {
    hopsim::test::TempDir dir("loader");
    CHECK(load_scenario_file(dir.path().string()).error() == Problems{"is a directory, not a scenario file"});
    CHECK(load_scenario_file("/dev/zero").error().front().find("not a regular file") != std::string::npos);
    CHECK(load_scenario_file(dir.file("none.json")).error().front().find("cannot read: No such file") == 0);
}
