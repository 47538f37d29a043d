#pragma once
// ARP for Ethernet and IPv4 (RFC 826): the only combination hopsim models.

#include <cstdint>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

namespace arp_field {
inline constexpr std::size_t kHwType = 0, kProtoType = 2, kHwLen = 4, kProtoLen = 5, kOper = 6;
inline constexpr std::size_t kSha = 8, kSpa = 14, kTha = 18, kTpa = 24;
}  // namespace arp_field

inline constexpr std::size_t kArpLen = 28;
inline constexpr std::uint16_t kArpRequest = 1;
inline constexpr std::uint16_t kArpReply = 2;

struct ArpPacket {
    std::uint16_t oper = kArpRequest;
    MacAddress sha;
    Ipv4Address spa;
    MacAddress tha;
    Ipv4Address tpa;

    static constexpr std::size_t header_len() { return kArpLen; }
    void emit(MutableBytes out) const;
    bool operator==(const ArpPacket&) const = default;
};

class ArpView {
public:
    static ParseResult<ArpView> parse(Bytes b);

    std::uint16_t oper() const { return load16(b_, arp_field::kOper); }
    MacAddress sha() const { return MacAddress::load(b_, arp_field::kSha); }
    Ipv4Address spa() const { return Ipv4Address::load(b_, arp_field::kSpa); }
    MacAddress tha() const { return MacAddress::load(b_, arp_field::kTha); }
    Ipv4Address tpa() const { return Ipv4Address::load(b_, arp_field::kTpa); }
    ArpPacket to_packet() const { return {oper(), sha(), spa(), tha(), tpa()}; }

private:
    explicit ArpView(Bytes b) : b_(b) {}
    Bytes b_;
};

}  // namespace hopsim::net
