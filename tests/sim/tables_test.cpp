// The switch's MAC table and the ARP cache, with time passed in (no engine).

#include <catch2/catch.hpp>

#include "hopsim/sim/arp_cache.hpp"
#include "hopsim/sim/mac_table.hpp"

using namespace hopsim::sim;
using hopsim::net::Ipv4Address;
using hopsim::net::MacAddress;

namespace {
MacAddress mac(const char* s) { return *MacAddress::parse(s); }
}  // namespace

TEST_CASE("a MAC table learns, moves and ages out entries", "[mac-table]") {
    MacTable t(SimTime::s(300));
    const MacAddress a = mac("02:00:00:00:00:0a");
    auto first = t.learn(a, 2, SimTime::s(0));
    CHECK(first.changed);
    CHECK_FALSE(first.old_port);
    CHECK_FALSE(t.learn(a, 2, SimTime::s(10)).changed);  // a refresh is not a change
    auto moved = t.learn(a, 5, SimTime::s(20));
    CHECK(moved.changed);
    CHECK(moved.old_port == 2);
    CHECK(t.lookup(a, SimTime::s(320)).port == 5);  // exactly 300 s after the last frame: still there
    auto aged = t.lookup(a, SimTime::s(321));
    CHECK_FALSE(aged.port);
    CHECK(aged.expired);
    CHECK(aged.expired_port == 5);
    CHECK(t.size() == 0);
    CHECK_FALSE(t.lookup(mac("02:00:00:00:00:0b"), SimTime()).port);
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
    CHECK(c.contains(ip, SimTime::s(63)));
    CHECK(c.lookup(ip, SimTime::s(63)).mac == mac("02:00:00:00:00:0c"));
    auto gone = c.lookup(ip, SimTime::s(64));
    CHECK_FALSE(gone.mac);
    CHECK(gone.expired == mac("02:00:00:00:00:0c"));
    CHECK(c.entries().empty());
}
