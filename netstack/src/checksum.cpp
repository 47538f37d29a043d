#include "hopsim/netstack/checksum.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

namespace {
std::uint16_t fold(std::uint64_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}
}  // namespace

// RFC 1071 section 2(B): the sum does not depend on byte order, so words can
// be added as the machine loads them, 8 bytes at a time, and the folded result
// swapped once at the end. Hosts and routers checksum every datagram they
// send and receive, so this loop is on the hot path.
std::uint16_t ones_complement_sum(Bytes data, std::uint32_t initial) {
    const std::uint8_t* p = data.data();
    const std::size_t n = data.size();
    std::uint64_t sum = 0;  // in the machine's byte order
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        sum += (w & 0xffffffffu) + (w >> 32);
    }
    for (; i + 2 <= n; i += 2) {
        std::uint16_t w;
        std::memcpy(&w, p + i, 2);
        sum += w;
    }
    if (i < n) {  // the odd last byte, padded with zero on the right (big-endian)
        const std::uint8_t pad[2] = {p[i], 0};
        std::uint16_t w;
        std::memcpy(&w, pad, 2);
        sum += w;
    }
    std::uint16_t native = fold(sum);
    if constexpr (std::endian::native == std::endian::little)
        native = static_cast<std::uint16_t>((native >> 8) | (native << 8));
    return fold(std::uint64_t{native} + initial);
}

std::uint16_t internet_checksum(Bytes data, std::uint32_t initial) {
    return static_cast<std::uint16_t>(~ones_complement_sum(data, initial));
}

std::uint16_t checksum_update16(std::uint16_t old_checksum, std::uint16_t old_word,
                                std::uint16_t new_word) {
    std::uint32_t sum = static_cast<std::uint16_t>(~old_checksum);
    sum += static_cast<std::uint16_t>(~old_word);
    sum += new_word;
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint32_t pseudo_header_sum(Ipv4Address src, Ipv4Address dst, std::uint8_t protocol,
                                std::uint16_t length) {
    std::uint32_t s = src.to_u32(), d = dst.to_u32();
    std::uint64_t sum = (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff);
    sum += protocol;
    sum += length;
    return fold(sum);
}

namespace {
std::size_t checksum_offset(std::uint8_t protocol) {
    return protocol == kIpProtoUdp ? 6 : 16;  // UDP header byte 6, TCP header byte 16
}
}  // namespace

void fill_transport_checksum(MutableBytes segment, Ipv4Address src, Ipv4Address dst,
                             std::uint8_t protocol) {
    const std::size_t at = checksum_offset(protocol);
    store16(segment, at, 0);
    const auto len = static_cast<std::uint16_t>(segment.size());
    std::uint16_t c = internet_checksum(segment, pseudo_header_sum(src, dst, protocol, len));
    if (protocol == kIpProtoUdp && c == 0) c = 0xffff;
    store16(segment, at, c);
}

bool transport_checksum_ok(Bytes segment, Ipv4Address src, Ipv4Address dst,
                           std::uint8_t protocol) {
    const std::size_t at = checksum_offset(protocol);
    if (segment.size() < at + 2) return false;
    if (protocol == kIpProtoUdp && load16(segment, at) == 0) return true;
    const auto len = static_cast<std::uint16_t>(segment.size());
    return internet_checksum(segment, pseudo_header_sum(src, dst, protocol, len)) == 0;
}

namespace {
constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}
constexpr auto kCrcTable = make_crc_table();
}  // namespace

std::uint32_t crc32(Bytes data) {
    std::uint32_t c = 0xffffffffu;
    for (std::uint8_t b : data) c = kCrcTable[(c ^ b) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

}  // namespace hopsim::net
