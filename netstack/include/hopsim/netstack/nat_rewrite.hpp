#pragma once
// Changing an address and port of an IPv4 datagram in place, as a NAT does
// (RFC 3022 4.2): the IPv4 header checksum and the UDP/TCP checksum (whose
// pseudo-header holds the addresses) are updated incrementally (RFC 1624);
// for an ICMP echo the "port" is its identifier, covered by the ICMP checksum.
// A UDP checksum of 0 (none sent) stays 0, and an updated one that comes
// out 0 is sent as 0xffff (RFC 768). Fragments after the first carry no
// transport header: only their address changes.

#include <cstdint>
#include <optional>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/bytes.hpp"

namespace hopsim::net {

enum class Endpoint : std::uint8_t { Source, Destination };

// What was there before, for a trace of the change.
struct EndpointChange {
    Ipv4Address old_addr;
    std::uint16_t old_ip_checksum = 0;
    std::optional<std::uint16_t> old_port;      // when the datagram had a port (or echo id) here
    std::optional<std::uint16_t> old_checksum;  // the transport checksum, when it had one
};

// The port (UDP/TCP) or echo identifier (ICMP echo request/reply) at `which`
// end, if the datagram carries one there.
std::optional<std::uint16_t> endpoint_port(Bytes datagram, Endpoint which);

// `datagram` is a whole IPv4 datagram, its header valid.
EndpointChange rewrite_endpoint(MutableBytes datagram, Endpoint which, Ipv4Address addr, std::optional<std::uint16_t> port);

// An ICMP error about a datagram a NAT translated on its way out: the quoted
// datagram's source (and its port) become the inside host's again, the error's
// own destination too; the quoted header's checksum and the ICMP checksum are
// made whole. False if the quote is too short to hold the ports.
bool rewrite_icmp_error_for_inside(MutableBytes datagram, Ipv4Address inside, std::uint16_t inside_port);

}  // namespace hopsim::net
