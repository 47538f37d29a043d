// `run --follow`'s tables: one per fragment when a router split the packet,
// a last column where the packet died, bystanders apart from the path.

#include <catch2/catch.hpp>

#include <algorithm>

#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;

namespace {

struct Recorded {
    sim::Scenario sc;
    sim::RecorderSink rec;
};

std::unique_ptr<Recorded> record(const std::string& name) {
    auto r = std::make_unique<Recorded>();
    r->sc = load_bundled(name);
    sim::Simulation s(r->sc);
    s.tracer().add(&r->rec);
    s.run(r->sc.until);
    return r;
}

std::string cell(const sim::HopTable& t, const std::string& field, std::size_t hop) {
    const auto it = std::find(t.fields.begin(), t.fields.end(), field);
    return it == t.fields.end() ? "?" : t.cells[static_cast<std::size_t>(it - t.fields.begin())][hop];
}

}  // namespace

TEST_CASE("follow: a fragmented datagram gets one table per fragment, each with the hops before the split", "[follow]") {
    auto r = record("15-mtu-fragmentation");
    const auto pkt = sim::resolve_packet(r->sc, r->rec.events, "big-udp");
    REQUIRE(pkt);
    const auto tables = sim::hop_tables(r->sc, r->rec.events, *pkt);
    // RFC 791: 1408 bytes of UDP through a 576-byte MTU: 556 bytes of room,
    // rounded down to 552 (a multiple of 8): 552 + 552 + 304.
    REQUIRE(tables.size() == 3);
    const std::vector<std::string> offsets{"0", "552", "1104"}, lengths{"572", "572", "324"};
    for (std::size_t k = 0; k < 3; ++k) {
        const sim::HopTable& t = tables[k];
        INFO(t.title);
        CHECK(t.title.rfind("fragment " + std::to_string(k + 1) + " of 3", 0) == 0);
        REQUIRE(t.hops.size() == 3);
        CHECK(t.hops[0] == "R1:eth0");  // the whole datagram, before the split
        CHECK(cell(t, "ipv4.len", 0) == "1428");
        CHECK(t.hops.back() == "B:eth0");
        CHECK(cell(t, "ipv4.frag", 2) == offsets[k]);
        CHECK(cell(t, "ipv4.len", 2) == lengths[k]);
    }
    CHECK(tables[2].title == "fragment 3 of 3: payload bytes 1104-1407");
}

TEST_CASE("follow: a dropped packet's last column says where and why", "[follow]") {
    auto r = record("09-ttl-expired");
    const auto pkt = sim::resolve_packet(r->sc, r->rec.events, "ttl-2");
    REQUIRE(pkt);
    const auto tables = sim::hop_tables(r->sc, r->rec.events, *pkt);
    REQUIRE(tables.size() == 1);
    // Sent with TTL 2: R1 forwards it with 1, R2 may not forward it (RFC 1812 5.3.1).
    CHECK(tables[0].hops == std::vector<std::string>{"R1:eth0", "R2:eth0", "dropped at R2: ttl-expired"});
    CHECK(cell(tables[0], "ipv4.ttl", 2) == "1");
}

TEST_CASE("follow: hosts on a hub that filter a frame not for them are bystanders, not hops", "[follow]") {
    auto r = record("03-hub-vs-switch");
    const auto pkt = sim::resolve_packet(r->sc, r->rec.events, "hub-ping");
    REQUIRE(pkt);
    const auto tables = sim::hop_tables(r->sc, r->rec.events, *pkt);
    REQUIRE(tables.size() == 1);
    CHECK(tables[0].hops.back() == "hB:eth0");
    CHECK(tables[0].bystanders == std::vector<std::string>{"hC:eth0", "hD:eth0"});
    const std::string text = sim::format_hop_tables(tables, false);
    CHECK(text.find("also received, and filtered as not for them: hC:eth0 hD:eth0") != std::string::npos);
}
