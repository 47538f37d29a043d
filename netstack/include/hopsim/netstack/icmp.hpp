#pragma once
// ICMP (RFC 792): echo request/reply, destination unreachable (with RFC 1191's
// next-hop MTU) and time exceeded, which quote the offending IP header + 8 bytes.

#include <cstdint>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/parse_error.hpp"
#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

namespace icmp_field {
inline constexpr std::size_t kType = 0, kCode = 1, kChecksum = 2, kRest = 4;
inline constexpr std::size_t kId = 4, kSeq = 6, kNextHopMtu = 6, kBody = 8;
}  // namespace icmp_field

inline constexpr std::size_t kIcmpHeaderLen = 8;
inline constexpr std::size_t kIcmpQuotedPayload = 8;  // bytes of the datagram after its header
// An ICMP error quotes as much of the offending datagram as keeps the error
// within 576 bytes (RFC 1812 4.3.2.3, Linux's icmp_send): 576 - 20 - 8.
inline constexpr std::size_t kIcmpErrorMaxQuote = 548;
// An ICMP error's TOS byte: precedence "internetwork control" with the
// offending datagram's TOS bits (Linux: IPTOS_PREC_INTERNETCONTROL | RT_TOS).
inline std::uint8_t icmp_error_tos(std::uint8_t original_tos) {
    return static_cast<std::uint8_t>(0xc0 | (original_tos & 0x1e));
}

struct IcmpHeader {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t rest = 0;  // id/seq for echo, next-hop MTU for frag-needed, else 0

    static IcmpHeader echo(std::uint8_t type, std::uint16_t id, std::uint16_t seq) {
        return {type, 0, (std::uint32_t{id} << 16) | seq};
    }
    static IcmpHeader frag_needed(std::uint16_t mtu) {
        return {kIcmpDestUnreachable, kIcmpFragNeeded, mtu};
    }
    static constexpr std::size_t header_len() { return kIcmpHeaderLen; }
    // Writes the 8-byte header with checksum 0; fill_icmp_checksum() finishes it.
    void emit(MutableBytes out) const;
    bool operator==(const IcmpHeader&) const = default;
};

// Computes the checksum over the whole ICMP message (header + body) in place.
void fill_icmp_checksum(MutableBytes message);

class IcmpView {
public:
    static ParseResult<IcmpView> parse(Bytes b);

    std::uint8_t type() const { return b_[icmp_field::kType]; }
    std::uint8_t code() const { return b_[icmp_field::kCode]; }
    std::uint16_t checksum() const { return load16(b_, icmp_field::kChecksum); }
    std::uint32_t rest() const { return load32(b_, icmp_field::kRest); }
    bool is_echo() const { return type() == kIcmpEchoRequest || type() == kIcmpEchoReply; }
    bool is_error() const { return type() == kIcmpDestUnreachable || type() == kIcmpTimeExceeded; }
    std::uint16_t id() const { return load16(b_, icmp_field::kId); }
    std::uint16_t seq() const { return load16(b_, icmp_field::kSeq); }
    std::uint16_t next_hop_mtu() const { return load16(b_, icmp_field::kNextHopMtu); }
    Bytes body() const { return b_.subspan(kIcmpHeaderLen); }  // echo data or quoted datagram
    bool checksum_ok() const;
    IcmpHeader to_header() const { return {type(), code(), rest()}; }

private:
    explicit IcmpView(Bytes b) : b_(b) {}
    Bytes b_;
};

}  // namespace hopsim::net
