// The switch's MAC table and the ARP cache, with time passed in (no engine).

#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "hopsim/sim/arp_cache.hpp"
#include "hopsim/sim/expiry_queue.hpp"
#include "hopsim/sim/mac_table.hpp"

using namespace hopsim::sim;
using hopsim::net::Ipv4Address;
using hopsim::net::MacAddress;

namespace {
MacAddress mac(const char* s) { return *MacAddress::parse(s); }
}  // namespace

TEST_CASE("a MAC table keeps one entry per VLAN, and a shorter ageing time takes effect at once", "[mac-table][vlan]") {
    MacTable t(SimTime::s(300));
    const MacAddress r = mac("02:00:00:00:00:0a");  // a router on a stick: one MAC in two VLANs
    CHECK(t.learn(r, 23, SimTime::s(0), 10).changed);
    CHECK(t.learn(r, 23, SimTime::s(0), 20).changed);  // not a refresh: another VLAN's table
    CHECK(t.lookup(r, SimTime::s(1), 10) == 23);
    CHECK_FALSE(t.lookup(r, SimTime::s(1), 30));
    CHECK(t.size() == 2);
    // A topology change: ageing by 30 s (Linux: twice the forward delay).
    t.learn(r, 23, SimTime::s(100), 10);
    t.set_ageing(SimTime::s(30));
    CHECK(t.next_expiry() == SimTime::s(30));  // VLAN 20's entry, seen at 0 s
    std::vector<std::uint16_t> gone;
    t.expire_due(SimTime::s(30), [&](MacAddress, int, std::uint16_t vid) { gone.push_back(vid); });
    CHECK(gone == std::vector<std::uint16_t>{20});
    t.expire_due(SimTime::s(130), [&](MacAddress, int, std::uint16_t vid) { gone.push_back(vid); });
    CHECK(gone == std::vector<std::uint16_t>{20, 10});
}

TEST_CASE("a MAC table learns, moves and ages out entries", "[mac-table]") {
    MacTable t(SimTime::s(300));
    const MacAddress a = mac("02:00:00:00:00:0a");
    auto first = t.learn(a, 2, SimTime::s(0));
    CHECK(first.changed);
    CHECK_FALSE(first.old_port);
    CHECK(t.next_expiry() == SimTime::s(300));
    CHECK_FALSE(t.learn(a, 2, SimTime::s(10)).changed);  // a refresh is not a change
    auto moved = t.learn(a, 5, SimTime::s(20));
    CHECK(moved.changed);
    CHECK(moved.old_port == 2);
    CHECK(t.lookup(a, SimTime::s(320) - SimTime::ns(1)) == 5);
    // Linux's bridge: expired once updated + ageing <= now, so exactly 300 s
    // after the last frame the entry is gone.
    CHECK_FALSE(t.lookup(a, SimTime::s(320)));
    std::vector<std::pair<MacAddress, int>> expired;
    auto collect = [&](MacAddress m, int port, std::uint16_t) { expired.emplace_back(m, port); };
    t.expire_due(SimTime::s(300), collect);  // the first deadline: refreshed since, nothing dies
    CHECK(expired.empty());
    CHECK(t.next_expiry() == SimTime::s(320));  // ... and the entry's real deadline is queued
    t.expire_due(SimTime::s(320), collect);
    REQUIRE(expired.size() == 1);
    CHECK(expired[0] == std::pair{a, 5});
    CHECK(t.size() == 0);
    CHECK_FALSE(t.next_expiry());
    CHECK_FALSE(t.lookup(mac("02:00:00:00:00:0b"), SimTime()));
}

TEST_CASE("MAC table entries come out ordered by address", "[mac-table]") {
    MacTable t(SimTime::s(300));
    t.learn(mac("02:00:00:00:00:0c"), 3, SimTime());
    t.learn(mac("02:00:00:00:00:0a"), 1, SimTime());
    t.learn(mac("02:00:00:00:00:0b"), 2, SimTime());
    const auto e = t.entries();
    REQUIRE(e.size() == 3);
    CHECK(e[0].port == 1);
    CHECK(e[2].mac.to_string() == "02:00:00:00:00:0c");
}

TEST_CASE("an ARP cache entry lives 60 s after its last confirmation", "[arp-cache]") {
    ArpCache c;
    const Ipv4Address ip(10, 0, 0, 2);
    CHECK(c.learn(ip, mac("02:00:00:00:00:0b"), SimTime::s(1)).changed);
    CHECK_FALSE(c.learn(ip, mac("02:00:00:00:00:0b"), SimTime::s(2)).changed);
    auto moved = c.learn(ip, mac("02:00:00:00:00:0c"), SimTime::s(3));
    CHECK(moved.changed);
    CHECK(moved.old == mac("02:00:00:00:00:0b"));
    CHECK(c.contains(ip, SimTime::s(63) - SimTime::ns(1)));
    CHECK(c.lookup(ip, SimTime::s(63) - SimTime::ns(1)) == mac("02:00:00:00:00:0c"));
    CHECK_FALSE(c.lookup(ip, SimTime::s(63)));
    std::vector<std::pair<Ipv4Address, MacAddress>> expired;
    auto collect = [&](Ipv4Address a, MacAddress m) { expired.emplace_back(a, m); };
    c.expire_due(SimTime::s(61), collect);
    CHECK(expired.empty());
    c.expire_due(SimTime::s(63), collect);
    REQUIRE(expired.size() == 1);
    CHECK(expired[0] == std::pair{ip, mac("02:00:00:00:00:0c")});
    CHECK(c.entries().empty());
}

TEST_CASE("deadlines come out in time order, then key order, each entry once", "[expiry]") {
    ExpiryQueue<int> q;
    std::map<int, SimTime> deadline{{1, SimTime::s(5)}, {2, SimTime::s(5)}, {3, SimTime::s(2)}};
    for (const auto& [k, d] : deadline) q.add(d, k);
    deadline[1] = SimTime::s(9);  // refreshed: its node comes up at 5 s and goes back for 9 s
    std::vector<int> dead;
    auto real = [&](int k) -> std::optional<SimTime> {
        auto it = deadline.find(k);
        return it == deadline.end() ? std::nullopt : std::optional(it->second);
    };
    auto kill = [&](int k) {
        dead.push_back(k);
        deadline.erase(k);
    };
    q.pop_due(SimTime::s(1), real, kill);
    CHECK(dead.empty());
    CHECK(q.next() == SimTime::s(2));
    q.pop_due(SimTime::s(5), real, kill);
    CHECK(dead == std::vector<int>{3, 2});
    CHECK(q.next() == SimTime::s(9));
    q.pop_due(SimTime::s(100), real, kill);
    CHECK(dead == std::vector<int>{3, 2, 1});
    CHECK_FALSE(q.next());
}
