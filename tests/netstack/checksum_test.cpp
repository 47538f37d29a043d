#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/protocols.hpp"

using namespace hopsim::net;
using V = std::vector<std::uint8_t>;

TEST_CASE("the internet checksum matches RFC 1071's worked example", "[checksum]") {
    // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (one's complement).
    const V data = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(ones_complement_sum(data) == 0xddf2);
    CHECK(internet_checksum(data) == 0x220d);
}

TEST_CASE("an odd trailing byte is padded with zero", "[checksum]") {
    // 0x0102 + 0x0300 = 0x0402, complemented 0xfbfd.
    const V data = {0x01, 0x02, 0x03};
    CHECK(internet_checksum(data) == 0xfbfd);
}

TEST_CASE("the IPv4 header checksum of a known header is b861", "[checksum]") {
    // A widely published example header (192.168.0.1 -> 192.168.0.199, UDP, TTL 64).
    V h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
           0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    CHECK(internet_checksum(h) == 0xb861);
    h[10] = 0xb8, h[11] = 0x61;
    CHECK(internet_checksum(h) == 0);  // a correct header sums to zero
}

TEST_CASE("incremental update matches RFC 1624's example, where RFC 1141 fails", "[checksum]") {
    // RFC 1624 section 4: m = 0x5555 -> m' = 0x3285, HC = 0xDD2F; the answer is 0x0000.
    CHECK(checksum_update16(0xdd2f, 0x5555, 0x3285) == 0x0000);
}

TEST_CASE("a TTL decrement updated incrementally equals a full recomputation", "[checksum]") {
    V h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
           0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    for (int ttl = 64; ttl > 1; --ttl) {
        const std::uint16_t old_word = static_cast<std::uint16_t>((h[8] << 8) | h[9]);
        const std::uint16_t old_ck = static_cast<std::uint16_t>((h[10] << 8) | h[11]);
        h[8] = static_cast<std::uint8_t>(ttl - 1);
        const std::uint16_t new_word = static_cast<std::uint16_t>((h[8] << 8) | h[9]);
        const std::uint16_t ck = checksum_update16(old_ck, old_word, new_word);
        h[10] = static_cast<std::uint8_t>(ck >> 8), h[11] = static_cast<std::uint8_t>(ck);
        REQUIRE(internet_checksum(h) == 0);
    }
}

TEST_CASE("the UDP checksum includes the pseudo-header (worked by hand)", "[checksum]") {
    // 10.0.0.1:1 -> 10.0.0.2:2, payload "hi". Pseudo-header: 0a00+0001+0a00+0002
    // +0011+000a = 141e; header: 0001+0002+000a = 000d; payload 6869; total 7c94.
    V seg = {0x00, 0x01, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 'h', 'i'};
    const Ipv4Address a(10, 0, 0, 1), b(10, 0, 0, 2);
    fill_transport_checksum(seg, a, b, kIpProtoUdp);
    CHECK(seg[6] == 0x83);
    CHECK(seg[7] == 0x6b);
    CHECK(transport_checksum_ok(seg, a, b, kIpProtoUdp));
    CHECK_FALSE(transport_checksum_ok(seg, a, Ipv4Address(10, 0, 0, 3), kIpProtoUdp));
    seg[8] = 'H';
    CHECK_FALSE(transport_checksum_ok(seg, a, b, kIpProtoUdp));
}

TEST_CASE("a UDP checksum of zero means none was sent", "[checksum]") {
    const V seg = {0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00};
    CHECK(transport_checksum_ok(seg, Ipv4Address(1, 1, 1, 1), Ipv4Address(2, 2, 2, 2), kIpProtoUdp));
}

TEST_CASE("CRC-32 gives the standard check value for \"123456789\"", "[checksum]") {
    constexpr std::string_view s = "123456789";
    const V data(s.begin(), s.end());
    CHECK(crc32(data) == 0xcbf43926);
    CHECK(crc32({}) == 0);
}
