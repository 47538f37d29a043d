#include <catch2/catch.hpp>

#include <vector>

#include "hopsim/netstack/addresses.hpp"

using namespace hopsim::net;

TEST_CASE("a MAC address parses, formats in lower case and knows its kind", "[addresses]") {
    auto m = MacAddress::parse("02:00:00:00:00:0B");
    REQUIRE(m);
    CHECK(m->to_string() == "02:00:00:00:00:0b");
    CHECK(m->is_locally_administered());
    CHECK(m->is_unicast());
    CHECK_FALSE(m->is_multicast());
    CHECK(MacAddress::parse("aa-bb-cc-dd-ee-ff")->to_string() == "aa:bb:cc:dd:ee:ff");

    CHECK(MacAddress::broadcast().is_broadcast());
    CHECK(MacAddress::broadcast().is_multicast());
    // 01:00:5e is the IPv4 multicast block (RFC 1112): I/G bit set, globally administered.
    auto mc = MacAddress::parse("01:00:5e:00:00:01");
    CHECK(mc->is_multicast());
    CHECK_FALSE(mc->is_broadcast());
    CHECK_FALSE(mc->is_locally_administered());
    CHECK(MacAddress::from_u64(0x020000000001).to_string() == "02:00:00:00:00:01");
    CHECK(MacAddress::parse("02:00:00:00:00:01")->to_u64() == 0x020000000001);
}

TEST_CASE("a bad MAC address reports the column of the problem", "[addresses]") {
    auto bad = MacAddress::parse("02:00:0g:00:00:00");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().column == 7);
    CHECK(bad.error().message() == "at column 8: expected a hex digit");
    CHECK(MacAddress::parse("02:00:00:00:00").error().reason.find("ends early") != std::string::npos);
    CHECK_FALSE(MacAddress::parse("02:00:00:00:00:00:00"));
    CHECK_FALSE(MacAddress::parse(""));
}

TEST_CASE("IPv4 addresses parse strictly", "[addresses]") {
    CHECK(Ipv4Address::parse("192.168.1.254")->to_u32() == 0xc0a801fe);
    CHECK(Ipv4Address::parse("0.0.0.0")->is_unspecified());
    CHECK(Ipv4Address::parse("255.255.255.255")->is_broadcast());
    CHECK(Ipv4Address::parse("224.0.0.1")->is_multicast());
    CHECK(Ipv4Address::parse("127.0.1.3")->is_loopback());
    CHECK(Ipv4Address(10, 0, 0, 1).to_string() == "10.0.0.1");

    auto big = Ipv4Address::parse("10.0.256.1");
    REQUIRE_FALSE(big);
    CHECK(big.error().message() == "at column 6: expected a number 0-255");
    CHECK_FALSE(Ipv4Address::parse("10.0.0"));
    CHECK_FALSE(Ipv4Address::parse("10.0.0.1.5"));
    CHECK_FALSE(Ipv4Address::parse("010.0.0.1"));  // octal in inet_aton: refused, not guessed
    CHECK_FALSE(Ipv4Address::parse(" 10.0.0.1"));
}

TEST_CASE("a CIDR prefix parses with a located error for /33", "[addresses]") {
    auto p = Ipv4Prefix::parse("192.168.1.1/24");
    REQUIRE(p);
    CHECK(p->address().to_string() == "192.168.1.1");
    CHECK(p->length() == 24);
    CHECK(p->mask() == 0xffffff00);
    CHECK(p->network().to_string() == "192.168.1.0/24");
    CHECK(p->broadcast_address().to_string() == "192.168.1.255");
    CHECK(Ipv4Prefix::parse("0.0.0.0/0")->mask() == 0);
    CHECK(Ipv4Prefix::parse("10.0.0.1/32")->mask() == 0xffffffff);

    auto long_prefix = Ipv4Prefix::parse("10.0.0.0/33");
    REQUIRE_FALSE(long_prefix);
    CHECK(long_prefix.error().message() == "at column 10: prefix /33 is longer than 32");
    CHECK(Ipv4Prefix::parse("10.0.0.0").error().reason == "prefix length missing (\"/24\")");
    CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/"));
    CHECK_FALSE(Ipv4Prefix::parse("10.0.0.0/24x"));
}

TEST_CASE("prefixes contain addresses and other prefixes", "[addresses]") {
    auto net = *Ipv4Prefix::parse("10.1.0.0/16");
    CHECK(net.contains(*Ipv4Address::parse("10.1.255.7")));
    CHECK_FALSE(net.contains(*Ipv4Address::parse("10.2.0.1")));
    CHECK(net.contains(*Ipv4Prefix::parse("10.1.4.0/24")));
    CHECK_FALSE(net.contains(*Ipv4Prefix::parse("10.0.0.0/8")));
    CHECK(net.overlaps(*Ipv4Prefix::parse("10.0.0.0/8")));
    CHECK_FALSE(net.overlaps(*Ipv4Prefix::parse("10.2.0.0/16")));
}

TEST_CASE("longest prefix match picks the most specific route, first on ties", "[addresses]") {
    std::vector<Ipv4Prefix> table = {*Ipv4Prefix::parse("0.0.0.0/0"), *Ipv4Prefix::parse("10.0.0.0/8"),
                                     *Ipv4Prefix::parse("10.1.0.0/16"), *Ipv4Prefix::parse("10.1.0.0/16"),
                                     *Ipv4Prefix::parse("192.168.0.0/24")};
    auto id = [](const Ipv4Prefix& p) -> const Ipv4Prefix& { return p; };
    auto lpm = [&](const char* a) {
        return longest_prefix_match(table.begin(), table.end(), *Ipv4Address::parse(a), id);
    };
    CHECK(lpm("10.1.2.3") == 2);
    CHECK(lpm("10.9.9.9") == 1);
    CHECK(lpm("8.8.8.8") == 0);
    CHECK(lpm("192.168.0.77") == 4);
    table.erase(table.begin());
    CHECK(lpm("8.8.8.8") == -1);
}
