// hopsim grade: the shipped exercises' model solutions score full marks, the
// wrong answers less, with feedback that names what failed; the scores come
// from the protocols (a one-way route cannot carry a reply; a hub repeats
// every frame), not from this code.

#include <catch2/catch.hpp>

#include "support/process.hpp"

using namespace hopsim::test;

namespace {

CommandResult run_hopsim(const std::string& args) { return run_command(std::string(HOPSIM_BINARY) + " " + args + " 2>&1"); }
std::string lesson(const std::string& name) { return std::string(HOPSIM_SOURCE_DIR) + "/lessons/" + name; }

}  // namespace

TEST_CASE("grade: static routes, model 10/10, one-way routes 4/10, a loop 0/10 with the changed address put back", "[cli][grade]") {
    TempDir dir("grade");
    const auto r = run_hopsim("grade --task " + quote(lesson("static-routes/task.json")) + " " + quote(lesson("static-routes/submissions")) +
                              " --csv " + quote(dir.file("grades.csv")) + " --feedback " + quote(dir.file("feedback")));
    INFO(r.out);
    REQUIRE(r.status == 0);
    const std::string csv = read_file(dir.file("grades.csv"));
    const std::string sub = lesson("static-routes/submissions/");
    CHECK(csv == "submission,score,max,failed\n" + sub + "model-solution.json,10,10,\n" + sub +
                     "wrong-loop.json,0,10,A-reaches-B;B-reaches-A;path;no-loop\n" + sub + "wrong-one-way.json,4,10,A-reaches-B;B-reaches-A\n");
    // What a student reads: the failure, what the run showed, what was put back.
    const std::string loop = read_file(dir.file("feedback/wrong-loop.txt"));
    CHECK(loop.find("FAIL no-loop (2 points)") != std::string::npos);
    CHECK(loop.find("(dropped at R2: ttl-expired)") != std::string::npos);
    CHECK(loop.find("put back as it was:\n    nodes.A.ip\n") != std::string::npos);
    const std::string one_way = read_file(dir.file("feedback/wrong-one-way.txt"));
    CHECK(one_way.find("saw: 0 of 2 packets delivered") != std::string::npos);
    CHECK(read_file(dir.file("feedback/model-solution.txt")).find("every expectation holds") != std::string::npos);
    // Deterministic: the same batch graded again gives the same CSV.
    const auto again = run_hopsim("grade --task " + quote(lesson("static-routes/task.json")) + " " + quote(lesson("static-routes/submissions")) +
                                  " --csv " + quote(dir.file("again.csv")));
    CHECK(read_file(dir.file("again.csv")) == csv);
}

TEST_CASE("grade: hub or switch, a file that does not load scores 0 with its located error and the batch goes on", "[cli][grade]") {
    const auto r = run_hopsim("grade --task " + quote(lesson("hub-or-switch/task.json")) + " " + quote(lesson("hub-or-switch/submissions")));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("model-solution.json        8/8") != std::string::npos);
    CHECK(r.out.find("wrong-moved-c.json         3/8  C-no-requests, C-no-replies; 1 change put back") != std::string::npos);
    CHECK(r.out.find("wrong-typo.json            0/8  does not load") != std::string::npos);
    CHECK(r.out.find("nodes.H1.kind: unknown kind \"swtich\"") != std::string::npos);
    CHECK(r.out.find("saw: 3 frames (first at") != std::string::npos);  // C heard every request on the hub
}

TEST_CASE("grade: a bad task is exit 2 with its problems located, not-JSON submissions score 0", "[cli][grade]") {
    TempDir dir("grade");
    write_file(dir.file("task.json"), R"({"scenario": "missing.json", "may_change": [3], "expect": []})");
    const auto bad = run_hopsim("grade --task " + quote(dir.file("task.json")) + " " + quote(dir.file("task.json")));
    INFO(bad.out);
    CHECK(bad.status == 2);
    CHECK(bad.out.find("scenario: ") != std::string::npos);
    CHECK(bad.out.find("may_change[0]: expected a part") != std::string::npos);
    CHECK(bad.out.find("expect: missing") != std::string::npos);
    write_file(dir.file("broken.json"), "{\"nodes\": {\n");
    const auto r = run_hopsim("grade --task " + quote(lesson("hub-or-switch/task.json")) + " " + quote(dir.file("broken.json")) + " " +
                              quote(lesson("hub-or-switch/submissions/model-solution.json")));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("broken.json: 0 of 8 points") != std::string::npos);
    CHECK(r.out.find("line 2") != std::string::npos);  // where the JSON breaks off
    CHECK(r.out.find("model-solution.json: 8 of 8 points") != std::string::npos);
}

TEST_CASE("grade: without grader traffic the start's runs, not traffic a student added", "[cli][grade]") {
    TempDir dir("grade");
    // The task brings no traffic: the start's ping A->B is what runs. A submission
    // that swaps it for a ping to A itself (always answered) must not pass.
    write_file(dir.file("start.json"), R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"},
      "H1": {"kind": "hub"}, "H2": {"kind": "hub"}}, "links": [{"endpoints": ["A", "H1"]}, {"endpoints": ["B", "H2"]}],
      "traffic": [{"id": "p", "kind": "ping", "from": "A", "to": "B"}], "run": {"until": "5s"}})");
    write_file(dir.file("task.json"), R"({"scenario": "start.json", "may_change": ["links"], "expect": [{"flow": "p", "delivered": true}]})");
    write_file(dir.file("cheat.json"), R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"},
      "H1": {"kind": "hub"}, "H2": {"kind": "hub"}}, "links": [{"endpoints": ["A", "H1"]}, {"endpoints": ["B", "H2"]}],
      "traffic": [{"id": "p", "kind": "ping", "from": "A", "to": "A"}], "run": {"until": "5s"}})");
    write_file(dir.file("fixed.json"), R"({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}, "B": {"kind": "host", "ip": "10.0.0.2/24"},
      "H1": {"kind": "hub"}, "H2": {"kind": "hub"}}, "links": [{"endpoints": ["A", "H1"]}, {"endpoints": ["B", "H1"]}], "run": {"until": "5s"}})");
    const auto r = run_hopsim("grade --task " + quote(dir.file("task.json")) + " " + quote(dir.file("cheat.json")) + " " + quote(dir.file("fixed.json")));
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("cheat.json: 0 of 1 points") != std::string::npos);  // B on another hub: nobody answers
    CHECK(r.out.find("fixed.json: 1 of 1 points") != std::string::npos);
}
