// Predict, then reveal: the questions made from a run, and their answers
// held to the rules of the devices (a switch floods a broadcast and forwards
// a known unicast to one port; a router takes one off the TTL and writes the
// next hop's MAC; the owner of an address answers ARP; stations that start
// together on a hub collide), not to this code.

#include <catch2/catch.hpp>

#include "hopsim/sim/quiz.hpp"
#include "hopsim/sim/simulation.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {

std::vector<sim::Question> quiz(const std::string& name, std::vector<sim::QuizKind> kinds, std::size_t max = 20) {
    static std::vector<sim::Scenario> keep;  // the questions' events point into the run
    keep.push_back(load_bundled(name));
    sim::Simulation s(keep.back());
    sim::RecorderSink rec;
    s.tracer().add(&rec);
    s.run(keep.back().until);
    return sim::make_quiz(keep.back(), rec.events, kinds, max);
}

const std::string& answer(const sim::Question& q) { return q.choices[q.answer]; }

}  // namespace

TEST_CASE("quiz: a switch floods the first broadcast, then forwards to the one port it learned", "[quiz]") {
    const auto q = quiz("02-switch-learning", {sim::QuizKind::Switch});
    REQUIRE(q.size() >= 3);
    CHECK(q[0].prompt.find("S1 receives a frame on port 1: ARP who-has 10.0.0.2") != std::string::npos);
    CHECK(answer(q[0]) == "out of every other port (it floods)");
    CHECK(q[1].prompt.find("ARP reply") != std::string::npos);  // B answers A: S1 learned A on port 1
    CHECK(answer(q[1]) == "out of port 1 only");
    for (std::size_t i = 1; i < q.size(); ++i) CHECK(q[i - 1].t <= q[i].t);
}

TEST_CASE("quiz: at a router the TTL goes down by one and the destination MAC becomes the next hop's", "[quiz]") {
    const auto ttl = quiz("08-router-chain", {sim::QuizKind::Ttl});
    REQUIRE(ttl.size() == 6);  // R1, R2, R3 forward the datagram, then R3, R2, R1 B's echo of it
    CHECK(answer(ttl[0]) == "63");
    CHECK(answer(ttl[1]) == "62");
    CHECK(answer(ttl[2]) == "61");
    CHECK(answer(ttl[3]) == "63");  // the echo starts again at 64
    const auto mac = quiz("08-router-chain", {sim::QuizKind::Mac});
    REQUIRE(mac.size() == 6);
    CHECK(answer(mac[0]).find("(R2)") != std::string::npos);  // R1 writes R2's MAC, not B's
    CHECK(mac[0].why.find("not B's") != std::string::npos);
    CHECK(answer(mac[2]).find("(B)") != std::string::npos);  // R3 is on B's network
}

TEST_CASE("quiz: the owner of the address answers ARP, nobody answers for an address nobody has", "[quiz]") {
    const auto q = quiz("04-arp", {sim::QuizKind::Arp});
    REQUIRE(q.size() == 2);
    CHECK(answer(q[0]) == "B");
    CHECK(q[1].prompt == "A broadcasts: who has 10.0.0.99? Who answers?");
    CHECK(answer(q[1]) == "nobody answers");
}

TEST_CASE("quiz: four stations starting at once on a hub collide, kinds and max limit the questions", "[quiz]") {
    const auto q = quiz("05-hub-collisions", {sim::QuizKind::Collision}, 2);
    REQUIRE(q.size() == 2);
    CHECK(answer(q[0]) == "yes");
    CHECK(quiz("05-hub-collisions", {sim::QuizKind::Ttl}).empty());  // no router in a hub lesson
}

TEST_CASE("stp questions: the root is the lowest bridge id, the blocked port the one that is neither root nor designated", "[quiz][stp]") {
    const auto sc = hopsim::test::load_bundled("20-stp-loop");
    hopsim::sim::Simulation sim(sc);
    hopsim::sim::RecorderSink rec;
    sim.tracer().add(&rec);
    sim.run(sc.until);
    const auto qs = hopsim::sim::make_quiz(sc, rec.events, {hopsim::sim::QuizKind::Stp}, 10);
    REQUIRE(qs.size() == 2);
    // By hand: S1 has priority 4096, the others 32768. S2 (02:..:04:01) beats S3 (02:..:05:01) on the S2-S3
    // link at equal cost, so S2:3 is designated and S3:2, not S3's root port (3, straight to S1), blocks.
    CHECK(qs[0].choices[qs[0].answer] == "S1 (bridge id 4096/02:00:00:00:03:01)");
    CHECK(qs[1].choices[qs[1].answer] == "S3 port 2");
    CHECK(qs[1].choices.size() == 4);
    // A BPDU reaching a switch that runs STP is not a "where does it send it?" question.
    for (const auto& q : hopsim::sim::make_quiz(sc, rec.events, {hopsim::sim::QuizKind::Switch}, 50))
        CHECK(q.prompt.find("01:80:c2:00:00:00") == std::string::npos);
}
