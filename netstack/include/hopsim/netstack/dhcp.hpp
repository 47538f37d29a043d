#pragma once
// DHCP (RFC 2131) messages with the options of RFC 2132 a course needs. The
// fixed BOOTP part is 236 bytes, then the magic cookie 99.130.83.99 and the
// options (code, length, value; 0 is a pad, 255 the end). Clients send from
// UDP port 68 to 67, servers and relays answer to 68. Messages are padded to
// BOOTP's 300-byte minimum (RFC 1542), as Linux's dhclient sends them.

#include <array>
#include <cstdint>
#include <optional>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

inline constexpr std::uint16_t kDhcpServerPort = 67, kDhcpClientPort = 68;
inline constexpr std::uint8_t kBootRequest = 1, kBootReply = 2;
inline constexpr std::uint32_t kDhcpMagicCookie = 0x63825363;
inline constexpr std::size_t kDhcpFixedLen = 236, kDhcpOptionsAt = 240, kDhcpMinLen = 300;
inline constexpr std::uint16_t kDhcpFlagBroadcast = 0x8000;

enum class DhcpType : std::uint8_t { Discover = 1, Offer, Request, Decline, Ack, Nak, Release, Inform };
const char* to_string(DhcpType t);  // "DISCOVER"

namespace dhcp_field {
inline constexpr std::size_t kOp = 0, kHtype = 1, kHlen = 2, kHops = 3, kXid = 4, kSecs = 8, kFlags = 10;
inline constexpr std::size_t kCiaddr = 12, kYiaddr = 16, kSiaddr = 20, kGiaddr = 24, kChaddr = 28, kCookie = 236;
}  // namespace dhcp_field

namespace dhcp_option {
inline constexpr std::uint8_t kPad = 0, kSubnetMask = 1, kRouter = 3, kDnsServer = 6, kRequestedIp = 50;
inline constexpr std::uint8_t kLeaseTime = 51, kMessageType = 53, kServerId = 54, kParameterList = 55;
inline constexpr std::uint8_t kRenewalTime = 58, kRebindingTime = 59, kEnd = 255;
}  // namespace dhcp_option

struct DhcpMessage {
    std::uint8_t op = kBootRequest;
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0, flags = 0;
    Ipv4Address ciaddr, yiaddr, siaddr, giaddr;
    MacAddress chaddr;
    // Options; an absent one is not sent.
    DhcpType type = DhcpType::Discover;
    std::optional<Ipv4Address> subnet_mask, router, dns_server, requested_ip, server_id;
    std::optional<std::uint32_t> lease_seconds, renewal_seconds, rebinding_seconds;
    std::array<std::uint8_t, 8> parameter_list{};  // option codes the client asks for
    std::uint8_t parameter_count = 0;

    std::size_t length() const;         // at least kDhcpMinLen
    void emit(MutableBytes out) const;  // writes exactly length() bytes
    bool operator==(const DhcpMessage&) const = default;
};

class DhcpView {
public:
    // A UDP payload: the fixed part, the cookie, and options that stay
    // within the bytes and include the message type.
    static ParseResult<DhcpView> parse(Bytes b);

    std::uint8_t op() const { return b_[dhcp_field::kOp]; }
    std::uint32_t xid() const { return load32(b_, dhcp_field::kXid); }
    DhcpType type() const { return static_cast<DhcpType>(b_[type_at_]); }
    std::size_t type_offset() const { return type_at_; }
    Ipv4Address yiaddr() const { return Ipv4Address::load(b_, dhcp_field::kYiaddr); }
    DhcpMessage to_message() const;
    // Where option `code`'s value starts, or nothing (the first occurrence).
    std::optional<std::size_t> option_at(std::uint8_t code) const;
    std::uint8_t option_len(std::size_t value_at) const { return b_[value_at - 1]; }

private:
    DhcpView(Bytes b, std::size_t type_at) : b_(b), type_at_(type_at) {}
    Bytes b_;
    std::size_t type_at_;
};

}  // namespace hopsim::net
