// hopsim check: a lesson's expectations held to its run. The expected
// outcomes come from the protocols (a switch does not flood a unicast to a
// known port; a hub repeats everything), not from this code.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

using namespace hopsim::test;
using Json = nlohmann::json;

namespace {

CommandResult run_hopsim(const std::string& args) { return run_command(std::string(HOPSIM_BINARY) + " " + args + " 2>&1"); }

// A ping across a switch, with one expectation for each kind of subject;
// `extra` adds more.
std::string lesson(const std::string& extra) {
    return R"({"name": "lesson", "run": {"until": "100ms"},
 "nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24", "mac": "02:00:00:00:00:01"},
           "B": {"kind": "host", "ip": "10.0.0.2/24", "mac": "02:00:00:00:00:02"},
           "C": {"kind": "host", "ip": "10.0.0.3/24"}, "S1": {"kind": "switch"}},
 "links": [{"endpoints": ["A", "S1"]}, {"endpoints": ["B", "S1"]}, {"endpoints": ["C", "S1"]}],
 "traffic": [{"id": "ping-AB", "kind": "ping", "from": "A", "to": "B", "at": "1ms"}],
 "expect": [
   {"flow": "ping-AB", "delivered": true, "intact": true, "delivered_packets": 1},
   {"node": "C", "receives": 0, "match": {"ipv4.dst": "10.0.0.2"}},
   {"node": "C", "receives": 1, "match": {"arp.op": 1}},
   {"table": "S1.mac", "lacks": ["02:00:00:00:00:01"], "at": "500us"},
   {"table": "S1.mac", "contains": {"02:00:00:00:00:01": "1"}, "at": "1500us"},
   {"table": "A.arp", "contains": {"10.0.0.2": "02:00:00:00:00:02"}},
   {"packet": {"flow": "ping-AB", "n": 2}, "path": ["B", "S1", "A"], "ttl_at": {"A": 64}},
   {"no_drop": true},
   {"collisions": {"max": 0}})" +
           extra + "]}";
}

}  // namespace

TEST_CASE("check: a lesson whose expectations hold exits 0, one pass line each", "[cli][check]") {
    TempDir dir("check");
    write_file(dir.file("ok.json"), lesson(""));
    const auto r = run_hopsim("check " + quote(dir.file("ok.json")));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("9 of 9 expectations hold") != std::string::npos);
    CHECK(r.out.find("FAIL") == std::string::npos);
}

TEST_CASE("check: a wrong expectation fails with what the run showed, exit 1", "[cli][check]") {
    TempDir dir("check");
    // Wrong on purpose: a switch forwards A's ping to B's port only, and
    // nobody drops anything; the reply crosses the switch, so a path
    // without it is wrong when the switch is named elsewhere.
    write_file(dir.file("wrong.json"),
               lesson(R"(, {"id": "flooded", "node": "C", "receives": {"min": 1}, "match": {"icmp.type": 8}},
                      {"id": "dropped", "drop": {"node": "C"}},
                      {"id": "ttl", "packet": {"flow": "ping-AB"}, "ttl_at": {"B": 63}})"));
    const auto r = run_hopsim("check " + quote(dir.file("wrong.json")) + " --junit " + quote(dir.file("junit.xml")));
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("FAIL  flooded: C receives at least 1 frame with icmp.type=8") != std::string::npos);
    CHECK(r.out.find("FAIL  dropped") != std::string::npos);
    CHECK(r.out.find("saw: TTL 64 at B") != std::string::npos);
    CHECK(r.out.find("9 of 12 expectations hold") != std::string::npos);
    // JUnit: one case per expectation, the three failures marked; python's parser reads it.
    const auto x = run_command("python3 -c \"import xml.etree.ElementTree as E; s=E.parse('" + dir.file("junit.xml") +
                               "').getroot()[0]; print(s.get('tests'), s.get('failures'), len(s.findall('testcase/failure')))\"");
    CHECK(x.out == "12 3 3\n");
}

TEST_CASE("check --json: every result with its evidence", "[cli][check]") {
    TempDir dir("check");
    write_file(dir.file("ok.json"), lesson(""));
    const auto r = run_command(std::string(HOPSIM_BINARY) + " check --json " + quote(dir.file("ok.json")));
    REQUIRE(r.status == 0);
    const Json j = Json::parse(r.out);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["passed"] == true);
    REQUIRE(j[0]["results"].size() == 9);
    CHECK(j[0]["results"][3]["evidence"] == "no 02:00:00:00:00:01");  // the switch knew nobody at 500us
    CHECK(j[0]["results"][4]["evidence"] == "02:00:00:00:00:01 -> 1");
}

TEST_CASE("check: a bad expectation is a located error, exit 2, and the other files still run", "[cli][check]") {
    TempDir dir("check");
    write_file(dir.file("ok.json"), lesson(""));
    write_file(dir.file("bad.json"), lesson(R"(, {"table": "S1.routes", "contains": {"10.0.0.0/24": null}}, {"flow": "nope", "intact": true})"));
    const auto r = run_hopsim("check " + quote(dir.file("bad.json")) + " " + quote(dir.file("ok.json")));
    INFO(r.out);
    CHECK(r.status == 2);
    CHECK(r.out.find("bad.json: expect[9].table: S1 has no routes table") != std::string::npos);
    CHECK(r.out.find("bad.json: expect[10].flow: no flow called \"nope\" in traffic") != std::string::npos);
    CHECK(r.out.find("9 of 9 expectations hold") != std::string::npos);
}

TEST_CASE("check: every bundled scenario holds what it teaches", "[cli][check]") {
    // scenarios/*.json as a student types it: the JSON Schema among them is skipped, and said.
    const auto r = run_hopsim("check " + std::string(HOPSIM_SOURCE_DIR) + "/scenarios/*.json");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("28 of 28 scenarios hold all their expectations") != std::string::npos);
    CHECK(r.out.find("scenario.schema.json: skipped: the JSON Schema, not a scenario") != std::string::npos);
}

TEST_CASE("quiz: answers typed or given score, --reveal prints the handout, a bad kind exits 2", "[cli][quiz]") {
    const std::string file = std::string(HOPSIM_SOURCE_DIR) + "/scenarios/08-router-chain.json";
    // The TTL after R1, R2, R3 (63, 62, 61), then after R3, R2, R1 for B's echo (63, 62, 61).
    const auto reveal = run_hopsim("quiz " + quote(file) + " --kinds ttl --reveal");
    INFO(reveal.out);
    CHECK(reveal.status == 0);
    CHECK(reveal.out.find("6 questions") != std::string::npos);
    CHECK(reveal.out.find("63   <- the answer") != std::string::npos);
    CHECK(reveal.out.find("61   <- the answer") != std::string::npos);
    // Answering: each question's right choice is where the TTL one less stands.
    std::string right;
    for (const char* line : {"1. at", "2. at", "3. at", "4. at", "5. at", "6. at"}) {
        const auto at = reveal.out.find(line);
        const auto mark = reveal.out.find("<- the answer", at);
        right += reveal.out.substr(reveal.out.rfind(") ", mark) - 1, 1) + ",";
    }
    const auto all = run_hopsim("quiz " + quote(file) + " --kinds ttl --answers " + right);
    INFO(all.out);
    CHECK(all.out.find("score: 6 of 6 right (6 asked)") != std::string::npos);
    // Typed answers, one wrong and then the input ends: scored as far as it went.
    const auto typed = run_command("printf '" + right.substr(0, 1) + "\\nx\\n' | " + std::string(HOPSIM_BINARY) + " quiz " + quote(file) + " --kinds ttl 2>&1");
    INFO(typed.out);
    CHECK(typed.status == 0);
    CHECK(typed.out.find("\"x\" is not one of the choices") != std::string::npos);
    CHECK(typed.out.find("score: 1 of 6 right (1 asked)") != std::string::npos);
    const auto bad = run_hopsim("quiz " + quote(file) + " --kinds routing");
    CHECK(bad.status == 2);
    CHECK(bad.out.find("\"routing\" is not a kind of question") != std::string::npos);
}
