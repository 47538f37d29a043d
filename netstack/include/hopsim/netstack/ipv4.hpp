#pragma once
// IPv4 headers (RFC 791): options carried opaquely, fragment fields, DSCP/ECN.

#include <array>
#include <cstdint>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

namespace ipv4_field {
inline constexpr std::size_t kVersionIhl = 0, kTos = 1, kTotalLength = 2, kId = 4;
inline constexpr std::size_t kFlagsFrag = 6, kTtl = 8, kProtocol = 9, kChecksum = 10;
inline constexpr std::size_t kSrc = 12, kDst = 16, kOptions = 20;
}  // namespace ipv4_field

inline constexpr std::size_t kIpv4MinHeaderLen = 20;
inline constexpr std::size_t kIpv4MaxOptionsLen = 40;

struct Ipv4Header {
    std::uint8_t dscp = 0;  // 6 bits
    std::uint8_t ecn = 0;   // 2 bits
    std::uint16_t total_length = 0;
    std::uint16_t id = 0;
    bool dont_fragment = false;
    bool more_fragments = false;
    std::uint16_t fragment_offset = 0;  // in 8-byte units, 13 bits
    std::uint8_t ttl = 64;              // Linux's net.ipv4.ip_default_ttl
    std::uint8_t protocol = 0;
    Ipv4Address src;
    Ipv4Address dst;
    std::array<std::uint8_t, kIpv4MaxOptionsLen> options{};  // first options_len bytes used
    std::uint8_t options_len = 0;                            // a multiple of 4

    std::size_t header_len() const { return kIpv4MinHeaderLen + options_len; }
    // Writes header_len() bytes and the header checksum computed over them.
    void emit(MutableBytes out) const;
    bool operator==(const Ipv4Header&) const = default;
};

class Ipv4View {
public:
    // Checks version, IHL against the bytes, and total length against IHL and
    // the bytes. Bytes beyond total_length (Ethernet padding) are ignored.
    static ParseResult<Ipv4View> parse(Bytes b);

    std::uint8_t version() const { return b_[ipv4_field::kVersionIhl] >> 4; }
    std::size_t header_len() const { return (b_[ipv4_field::kVersionIhl] & 0x0f) * 4u; }
    std::uint8_t dscp() const { return b_[ipv4_field::kTos] >> 2; }
    std::uint8_t ecn() const { return b_[ipv4_field::kTos] & 0x03; }
    std::uint16_t total_length() const { return load16(b_, ipv4_field::kTotalLength); }
    std::uint16_t id() const { return load16(b_, ipv4_field::kId); }
    bool dont_fragment() const { return (b_[ipv4_field::kFlagsFrag] & 0x40) != 0; }
    bool more_fragments() const { return (b_[ipv4_field::kFlagsFrag] & 0x20) != 0; }
    std::uint16_t fragment_offset() const { return load16(b_, ipv4_field::kFlagsFrag) & 0x1fff; }
    bool is_fragment() const { return more_fragments() || fragment_offset() != 0; }
    std::uint8_t ttl() const { return b_[ipv4_field::kTtl]; }
    std::uint8_t protocol() const { return b_[ipv4_field::kProtocol]; }
    std::uint16_t checksum() const { return load16(b_, ipv4_field::kChecksum); }
    Ipv4Address src() const { return Ipv4Address::load(b_, ipv4_field::kSrc); }
    Ipv4Address dst() const { return Ipv4Address::load(b_, ipv4_field::kDst); }
    Bytes options() const { return b_.subspan(kIpv4MinHeaderLen, header_len() - kIpv4MinHeaderLen); }
    Bytes header() const { return b_.first(header_len()); }
    Bytes payload() const { return b_.subspan(header_len(), total_length() - header_len()); }
    bool checksum_ok() const;
    Ipv4Header to_header() const;

private:
    explicit Ipv4View(Bytes b) : b_(b) {}
    Bytes b_;  // exactly total_length() bytes
};

}  // namespace hopsim::net
