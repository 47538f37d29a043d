// Payloads given as a size are the printable pattern, kept as one window of
// it; large transfers through TCP arrive intact and cost no copy of the data.

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/payload.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/summary.hpp"

using namespace hopsim;

namespace {
// The contract's pattern, byte i = 0x20 + i % 95, written out independently.
std::uint8_t pattern_byte(std::size_t i) { return static_cast<std::uint8_t>(' ' + i % 95); }
}  // namespace

TEST_CASE("a size payload is the printable pattern at every offset, small or huge", "[payload]") {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{95}, std::size_t{65631}, std::size_t{65632}, std::size_t{10'000'019}}) {
        INFO(n);
        const sim::Payload p = sim::Payload::pattern(n);
        REQUIRE(p.size() == n);
        for (std::size_t off : {std::size_t{0}, n / 3, n > 1460 ? n - 1460 : std::size_t{0}}) {
            const std::size_t len = std::min<std::size_t>(1460, n - off);
            const net::Bytes s = p.slice(off, len);
            REQUIRE(s.size() == len);
            for (std::size_t k = 0; k < len; ++k) REQUIRE(s[k] == pattern_byte(off + k));
        }
    }
}

TEST_CASE("matches: equal bytes at that offset, across slice boundaries, and nothing past the end", "[payload]") {
    const sim::Payload p = sim::Payload::pattern(300'000);
    std::vector<std::uint8_t> v(150'000);
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = pattern_byte(100'000 + k);
    CHECK(p.matches(100'000, v));
    CHECK_FALSE(p.matches(100'001, v));
    CHECK_FALSE(p.matches(200'000, v));  // runs 50,000 bytes past the end
    v[140'000] ^= 1;
    CHECK_FALSE(p.matches(100'000, v));
    const sim::Payload text(std::vector<std::uint8_t>{'h', 'i'});
    CHECK(text.matches(1, std::vector<std::uint8_t>{'i'}));
    CHECK_FALSE(text.matches(2, std::vector<std::uint8_t>{'i'}));
}

TEST_CASE("the payload hash is FNV-1a 64 of all its bytes", "[payload]") {
    // Published FNV-1a 64 test vectors: "" and "a".
    CHECK(sim::Payload().fnv1a64() == 0xcbf29ce484222325ull);
    CHECK(sim::Payload(std::vector<std::uint8_t>{'a'}).fnv1a64() == 0xaf63dc4c8601ec8cull);
    const sim::Payload big = sim::Payload::pattern(200'003);
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t i = 0; i < big.size(); ++i) h = (h ^ pattern_byte(i)) * 0x100000001b3ull;
    CHECK(big.fnv1a64() == h);
    CHECK(big.to_vector().size() == big.size());
}

TEST_CASE("1 MB echoed over TCP arrives intact both ways without the sender copying it", "[payload][tcp]") {
    std::ifstream f(std::string(HOPSIM_SOURCE_DIR) + "/scenarios/12-tcp-handshake.json");
    std::stringstream text;
    text << f.rdbuf();
    std::string s = text.str();
    const auto at = s.find("{\"size\": 3000}");
    REQUIRE(at != std::string::npos);
    s.replace(at, 14, "{\"size\": 1000003}");
    auto sc = sim::load_scenario(s);
    REQUIRE(sc);
    sim::Simulation simulation(*sc);
    simulation.run(sc->until);
    const auto summary = nlohmann::json::parse(sim::summary_json(simulation));
    INFO(summary.dump());
    const auto& echo = summary["flows"][0];
    CHECK(echo["delivered_bytes"] == 1000003);
    CHECK(echo["echoed_bytes"] == 1000003);
    CHECK(echo["intact"] == true);
}
