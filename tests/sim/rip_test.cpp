// RIP version 2 (RFC 2453). The process is driven through a fake router that
// records what it sends and installs, with messages laid out as the RFC's
// section 4 draws them; the metrics and times expected are worked by hand from
// the RFC's rules (metric + 1 per hop, 16 = infinity, 180 s timeout, 120 s
// garbage collection, a 1-5 s hold after a triggered update), not taken from
// a run. The lessons then run whole.

#include <catch2/catch.hpp>

#include <map>

#include "hopsim/netstack/rip.hpp"
#include "hopsim/sim/rip.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim;
using namespace hopsim::test;
using sim::RipHost;
using sim::RipProcess;
using sim::SimTime;

namespace {

net::Ipv4Address ip(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv4Prefix prefix(const char* text) { return *net::Ipv4Prefix::parse(text); }

// A router with eth0 10.0.0.1/30 (towards N1 = 10.0.0.2) and eth1 10.0.1.1/30
// (towards N2 = 10.0.1.2), both running RIP, and a clock the test moves.
class FakeRouter final : public RipHost {
public:
    struct Sent {
        int port;
        net::Ipv4Address dst;
        std::uint16_t dst_port;
        net::RipMessage m;
        SimTime at;
    };
    struct Timer {
        SimTime at;
        RipHost::Timer kind;
        std::uint64_t generation;
    };

    SimTime now() const override { return clock; }
    void rip_timer(SimTime at, RipHost::Timer t, std::uint64_t generation) override { timers.push_back({at, t, generation}); }
    bool rip_port_up(int port) const override { return up[static_cast<std::size_t>(port)]; }
    void rip_send(int port, net::Ipv4Address dst, std::uint16_t dst_port, const net::RipMessage& m, std::string_view) override {
        sent.push_back({port, dst, dst_port, m, clock});
    }
    void rip_install(const sim::RipRoute& r, std::string_view) override { table[r.to.to_string()] = {r.via.to_string(), r.metric}; }
    void rip_withdraw(const sim::RipRoute& r, std::string_view) override { table.erase(r.to.to_string()); }
    void rip_rejected(std::string_view why) override { rejected.emplace_back(why); }

    // Runs every timer due by `t`, in time order, moving the clock.
    void advance(RipProcess& p, SimTime t) {
        for (;;) {
            auto next = std::min_element(timers.begin(), timers.end(), [](const Timer& a, const Timer& b) { return a.at < b.at; });
            if (next == timers.end() || next->at > t) break;
            const Timer due = *next;
            timers.erase(next);
            clock = due.at;
            p.on_timer(due.kind, due.generation);
        }
        clock = t;
    }

    SimTime clock;
    std::vector<bool> up{true, true};
    std::vector<Sent> sent;
    std::vector<Timer> timers;
    std::map<std::string, std::pair<std::string, std::uint32_t>> table;  // prefix -> (via, metric)
    std::vector<std::string> rejected;
};

std::vector<RipProcess::Interface> two_interfaces() {
    return {{"eth0", prefix("10.0.0.1/30"), true}, {"eth1", prefix("10.0.1.1/30"), true}};
}

sim::RipSpec spec(sim::SplitHorizon sh = sim::SplitHorizon::PoisonedReverse) {
    sim::RipSpec s;
    s.enabled = true;
    s.interfaces = {0, 1};
    s.split_horizon = sh;
    return s;
}

// A response as RFC 2453 section 4 lays it out: command 2, version 2, then
// per route family 2, tag 0, address, mask, next hop 0.0.0.0, metric.
std::vector<std::uint8_t> response(std::initializer_list<std::tuple<std::array<std::uint8_t, 4>, std::array<std::uint8_t, 4>, std::uint8_t>> routes,
                                   std::uint8_t version = 2) {
    std::vector<std::uint8_t> b = {2, version, 0, 0};
    auto put = [&b](std::initializer_list<std::uint8_t> bytes) {
        for (std::uint8_t x : bytes) b.push_back(x);
    };
    for (const auto& [addr, mask, metric] : routes) {
        put({0, 2, 0, 0});
        put({addr[0], addr[1], addr[2], addr[3]});
        put({mask[0], mask[1], mask[2], mask[3]});
        put({0, 0, 0, 0, 0, 0, 0, metric});
    }
    return b;
}

std::uint32_t metric_of(const net::RipMessage& m, const char* to) {
    for (std::size_t i = 0; i < m.entry_count; ++i)
        if (m.entries[i].address == ip(to)) return m.entries[i].metric;
    return 0;  // not in the message
}

struct Rig {
    explicit Rig(sim::SplitHorizon sh = sim::SplitHorizon::PoisonedReverse, bool triggered = true) {
        auto s = spec(sh);
        s.triggered_updates = triggered;
        rip.emplace(router, s, sim::RipTimers{}, two_interfaces(), sim::Rng(1, "rip-test"));
    }
    void hear(int port, const char* from, const std::vector<std::uint8_t>& msg, std::uint16_t from_port = 520) {
        rip->receive(port, ip(from), from_port, net::Bytes(msg.data(), msg.size()));
    }
    FakeRouter router;
    std::optional<RipProcess> rip;
};

}  // namespace

TEST_CASE("rip: a neighbour's routes are taken with one more hop, and withdrawn by its 16", "[rip]") {
    Rig r;
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}, {{10, 8, 0, 0}, {255, 255, 0, 0}, 15}, {{10, 7, 0, 0}, {255, 255, 0, 0}, 16}}));
    CHECK(r.router.table["10.9.0.0/16"] == std::pair<std::string, std::uint32_t>{"10.0.0.2", 2});
    CHECK(r.router.table.count("10.8.0.0/16") == 0);  // 15 + 1 = 16 is infinity: never taken
    CHECK(r.router.table.count("10.7.0.0/16") == 0);
    CHECK(r.rip->routes().size() == 1);

    // A worse offer from another neighbour is ignored; a better one replaces.
    r.hear(1, "10.0.1.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 3}}));
    CHECK(r.router.table["10.9.0.0/16"] == std::pair<std::string, std::uint32_t>{"10.0.0.2", 2});
    r.hear(1, "10.0.1.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 0 + 1}}));
    CHECK(r.router.table["10.9.0.0/16"] == std::pair<std::string, std::uint32_t>{"10.0.0.2", 2});  // equal: kept

    // The next hop is believed whatever it says: worse, then infinity.
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 4}}));
    CHECK(r.router.table["10.9.0.0/16"] == std::pair<std::string, std::uint32_t>{"10.0.0.2", 5});
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 16}}));
    CHECK(r.router.table.count("10.9.0.0/16") == 0);
    // Withdrawn but remembered (metric 16) for garbage collection.
    REQUIRE(r.rip->routes().size() == 1);
    CHECK(r.rip->routes()[0].metric == 16);
    CHECK(r.rip->routes()[0].garbage_at == SimTime::s(120));
    // A new way during garbage collection is taken at once (RFC 2453 3.9.2).
    r.hear(1, "10.0.1.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 2}}));
    CHECK(r.router.table["10.9.0.0/16"] == std::pair<std::string, std::uint32_t>{"10.0.1.2", 3});
}

TEST_CASE("rip: what is not a neighbour's response, and entries that name no network, are refused", "[rip]") {
    Rig r;
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}), 1234);
    r.hear(0, "10.5.5.5", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}, 1));
    const std::vector<std::uint8_t> cut = {2, 2, 0, 0, 0, 2, 0};
    r.hear(0, "10.0.0.2", cut);
    REQUIRE(r.router.rejected.size() == 4);
    CHECK(r.router.rejected[0] == "a response from port 1234, not 520");
    CHECK(r.router.rejected[1] == "a response from 10.5.5.5, not a neighbour on eth0");
    CHECK(r.router.rejected[2] == "version 1: this router speaks RIP version 2 only");
    CHECK(r.router.table.empty());

    // A mask with a hole, host bits set, loopback, multicast, metric 0 and
    // 17: each entry skipped, the good one beside them taken.
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 0, 255, 0}, 1},
                                    {{10, 9, 0, 1}, {255, 255, 0, 0}, 1},
                                    {{127, 0, 0, 0}, {255, 0, 0, 0}, 1},
                                    {{224, 0, 0, 0}, {240, 0, 0, 0}, 1},
                                    {{10, 6, 0, 0}, {255, 255, 0, 0}, 0},
                                    {{10, 5, 0, 0}, {255, 255, 0, 0}, 17},
                                    {{0, 0, 0, 0}, {0, 0, 0, 0}, 1}}));
    CHECK(r.rip->counters().bad_entries == 6);
    CHECK(r.router.table.size() == 1);
    CHECK(r.router.table["0.0.0.0/0"] == std::pair<std::string, std::uint32_t>{"10.0.0.2", 2});  // a default route may be learned
    // Our own network is never learned: nothing is closer than connected.
    r.hear(0, "10.0.0.2", response({{{10, 0, 1, 0}, {255, 255, 255, 252}, 1}}));
    CHECK(r.router.table.count("10.0.1.0/30") == 0);
}

TEST_CASE("rip: a route not heard of for 180 s is withdrawn, and forgotten 120 s later", "[rip]") {
    Rig r;
    r.rip->start();
    r.router.advance(*r.rip, SimTime::s(10));
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));
    r.router.advance(*r.rip, SimTime::s(100));
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));  // refreshed at 100 s
    r.router.advance(*r.rip, SimTime::s(279));
    CHECK(r.router.table.count("10.9.0.0/16") == 1);
    r.router.advance(*r.rip, SimTime::s(280));  // 100 + 180
    CHECK(r.router.table.count("10.9.0.0/16") == 0);
    REQUIRE(r.rip->routes().size() == 1);
    r.router.advance(*r.rip, SimTime::s(399));
    CHECK(r.rip->routes().size() == 1);
    r.router.advance(*r.rip, SimTime::s(400));  // 280 + 120
    CHECK(r.rip->routes().empty());
}

TEST_CASE("rip: split horizon decides what goes back where it came from", "[rip]") {
    for (const auto sh : {sim::SplitHorizon::PoisonedReverse, sim::SplitHorizon::Simple, sim::SplitHorizon::Off}) {
        INFO(to_string(sh));
        Rig r(sh);
        r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));
        // The triggered update that followed: out of eth1 with metric 2;
        // back out of eth0 poisoned, not at all (an empty update is not
        // sent), or as it is.
        std::map<int, std::uint32_t> metric;  // port -> 10.9's metric there
        for (const auto& s : r.router.sent) {
            CHECK(s.dst == ip("224.0.0.9"));
            metric[s.port] = metric_of(s.m, "10.9.0.0");
        }
        CHECK(metric[1] == 2);
        if (sh == sim::SplitHorizon::PoisonedReverse) CHECK(metric[0] == 16);
        if (sh == sim::SplitHorizon::Simple) CHECK(metric.count(0) == 0);
        if (sh == sim::SplitHorizon::Off) CHECK(metric[0] == 2);

        // A whole-table request is answered to the asker's address and port,
        // with the connected networks at metric 1 and split horizon applied.
        r.router.sent.clear();
        const std::vector<std::uint8_t> whole = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16};
        r.hear(1, "10.0.1.2", whole, 5555);
        REQUIRE(r.router.sent.size() == 1);
        CHECK(r.router.sent[0].dst == ip("10.0.1.2"));
        CHECK(r.router.sent[0].dst_port == 5555);
        CHECK(metric_of(r.router.sent[0].m, "10.0.0.0") == 1);
        CHECK(metric_of(r.router.sent[0].m, "10.9.0.0") == 2);
        CHECK(metric_of(r.router.sent[0].m, "10.0.1.0") == (sh == sim::SplitHorizon::Simple ? 0u : sh == sim::SplitHorizon::Off ? 1u : 16u));
    }
}

TEST_CASE("rip: after a triggered update the next waits 1 to 5 s and carries every change since", "[rip]") {
    Rig r;
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));
    CHECK(r.rip->counters().triggered_updates == 1);
    r.router.advance(*r.rip, SimTime::ms(500));
    r.hear(0, "10.0.0.2", response({{{10, 8, 0, 0}, {255, 255, 0, 0}, 1}}));
    r.hear(0, "10.0.0.2", response({{{10, 7, 0, 0}, {255, 255, 0, 0}, 1}}));
    CHECK(r.rip->counters().triggered_updates == 1);  // held
    r.router.sent.clear();
    r.router.advance(*r.rip, SimTime::s(6));
    CHECK(r.rip->counters().triggered_updates == 2);
    REQUIRE(r.router.sent.size() == 2);
    const auto& out = r.router.sent[0];
    CHECK(out.at >= SimTime::s(1));
    CHECK(out.at <= SimTime::s(5));
    CHECK(out.m.entry_count == 2);  // only what changed: 10.8 and 10.7, not 10.9 or the connected networks
    CHECK(metric_of(out.m, "10.8.0.0") != 0);
    CHECK(metric_of(out.m, "10.7.0.0") != 0);
}

TEST_CASE("rip: a table of 30 routes goes out as 25 entries and 5", "[rip]") {
    Rig r;
    for (std::uint8_t k = 0; k < 28; ++k) r.hear(0, "10.0.0.2", response({{{10, 100, k, 0}, {255, 255, 255, 0}, 1}}));
    r.rip->start();  // requests, and the first regular update set for 25-35 s
    r.router.advance(*r.rip, SimTime::s(40));
    std::vector<int> sizes;
    for (const auto& s : r.router.sent)
        if (s.port == 1 && s.at >= SimTime::s(25)) sizes.push_back(s.m.entry_count);
    // 28 learned + 2 connected = 30 entries per regular update.
    REQUIRE(sizes.size() >= 2);
    CHECK(sizes[0] == 25);
    CHECK(sizes[1] == 5);
}

TEST_CASE("rip: a link going down withdraws what was learned through it and poisons its network", "[rip]") {
    Rig r;
    r.hear(0, "10.0.0.2", response({{{10, 9, 0, 0}, {255, 255, 0, 0}, 1}}));
    r.router.advance(*r.rip, SimTime::s(10));
    r.router.sent.clear();
    r.router.up[0] = false;
    r.rip->link_changed(0, false);
    CHECK(r.router.table.empty());
    REQUIRE(r.router.sent.size() == 1);  // out of eth1 only
    CHECK(r.router.sent[0].port == 1);
    CHECK(metric_of(r.router.sent[0].m, "10.9.0.0") == 16);
    CHECK(metric_of(r.router.sent[0].m, "10.0.0.0") == 16);
    // Back up: a request for the neighbour's table on that link.
    r.router.advance(*r.rip, SimTime::s(20));
    r.router.sent.clear();
    r.router.up[0] = true;
    r.rip->link_changed(0, true);
    bool asked = false;
    for (const auto& s : r.router.sent) asked |= s.port == 0 && s.m.command == net::kRipRequest;
    CHECK(asked);
}

TEST_CASE("rip lessons: the chain converges in one triggered-update hold, the messages as tshark reads them", "[rip][lesson]") {
    const ScenarioRun run = run_scenario("22-rip-chain");
    std::int64_t last_learn = 0;
    for (const Json& e : events_where(run, "learn"))
        if (e["table"] == "route" && e.value("value", "").find("proto rip") != std::string::npos) last_learn = e["t"];
    // R2's second triggered update waits 1-5 s after its first (at about 3 ms).
    CHECK(last_learn > 1'000'000'000);
    CHECK(last_learn < 5'100'000'000);
    // Every RIP message goes to UDP 520 from 520; multicast ones to 224.0.0.9 with TTL 1.
    int messages = 0;
    for (const Json& e : events_where(run, "send")) {
        if (layer_field(e, "udp", "dport") != 520) continue;
        ++messages;
        CHECK(layer_field(e, "udp", "sport") == 520);
        if (layer_field(e, "ipv4", "dst") == "224.0.0.9") {
            CHECK(layer_field(e, "ipv4", "ttl") == 1);
            CHECK(layer_field(e, "eth", "dst") == "01:00:5e:00:00:09");
        }
    }
    CHECK(messages > 10);
    const Json& r1 = run.summary["nodes"]["R1"]["rip"];
    CHECK(r1["routes_learned"] == 2);
    CHECK(r1["split_horizon"] == "poisoned-reverse");
    CHECK(r1["requests_sent"] == 2);
    // Hosts are not RIP speakers: their NICs filter the multicast.
    for (const Json& e : events_where(run, "filter", "A")) CHECK(e["reason"] == "not-for-me");
}

TEST_CASE("rip lessons: the ring reroutes at the neighbour's next regular update, within 35 s", "[rip][lesson]") {
    const ScenarioRun run = run_scenario("23-rip-ring-failover");
    std::int64_t rerouted = 0;
    for (const Json& e : events_where(run, "learn", "R1"))
        if (e.value("key", "") == "10.2.0.0/24" && e["t"].get<std::int64_t>() > 40'000'000'000) rerouted = e["t"];
    CHECK(rerouted > 40'000'000'000);
    CHECK(rerouted <= 75'000'000'000);  // 30 s + 5 s jitter after the failure at most
    CHECK(flow(run, "A-pings-B")["delivered_packets"].get<int>() + run.summary["nodes"]["R1"]["drops"]["no-route"].get<int>() == 90);
}
