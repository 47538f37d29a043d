#pragma once
// Every checksum hopsim computes lives here: the RFC 1071 internet checksum,
// its RFC 1624 incremental update, the UDP/TCP pseudo-header sum, and the
// Ethernet FCS (CRC-32).

#include <cstdint>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/bytes.hpp"

namespace hopsim::net {

// One's-complement sum of 16-bit big-endian words (an odd tail byte is padded
// with zero), folded to 16 bits, not yet complemented. `initial` chains sums.
std::uint16_t ones_complement_sum(Bytes data, std::uint32_t initial = 0);

// RFC 1071: the complement of the one's-complement sum. Over data whose
// checksum field is correct the result is 0.
std::uint16_t internet_checksum(Bytes data, std::uint32_t initial = 0);

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit field m -> m'.
std::uint16_t checksum_update16(std::uint16_t old_checksum, std::uint16_t old_word,
                                std::uint16_t new_word);

// Sum of the IPv4 pseudo-header (RFC 768 / RFC 9293 section 3.1) for a
// transport segment of `length` bytes, to pass as `initial`.
std::uint32_t pseudo_header_sum(Ipv4Address src, Ipv4Address dst, std::uint8_t protocol,
                                std::uint16_t length);

// Fills the checksum of a UDP or TCP segment (header + payload) in place.
// UDP sends 0xffff for a computed 0, because 0 means "no checksum" (RFC 768).
void fill_transport_checksum(MutableBytes segment, Ipv4Address src, Ipv4Address dst,
                             std::uint8_t protocol);

// True if the segment's checksum verifies (a UDP checksum of 0 means "none sent").
bool transport_checksum_ok(Bytes segment, Ipv4Address src, Ipv4Address dst,
                           std::uint8_t protocol);

// Ethernet frame check sequence: CRC-32 (IEEE 802.3), reflected, as sent on the
// wire least significant byte first.
std::uint32_t crc32(Bytes data);

}  // namespace hopsim::net
