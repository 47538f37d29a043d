#pragma once
// Protocol numbers from the IANA registries that hopsim speaks.

#include <cstdint>

namespace hopsim::net {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q tag protocol id

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;

inline constexpr std::uint8_t kIcmpEchoReply = 0;
inline constexpr std::uint8_t kIcmpDestUnreachable = 3;
inline constexpr std::uint8_t kIcmpEchoRequest = 8;
inline constexpr std::uint8_t kIcmpTimeExceeded = 11;

// Destination-unreachable codes (RFC 792, RFC 1191).
inline constexpr std::uint8_t kIcmpNetUnreachable = 0;
inline constexpr std::uint8_t kIcmpHostUnreachable = 1;
inline constexpr std::uint8_t kIcmpProtoUnreachable = 2;
inline constexpr std::uint8_t kIcmpPortUnreachable = 3;
inline constexpr std::uint8_t kIcmpFragNeeded = 4;

}  // namespace hopsim::net
