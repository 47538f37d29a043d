#pragma once
// IPv4 socket addresses for the real backend, with the loopback rule: hopsim
// only ever talks to 127.0.0.0/8 unless the user explicitly allows otherwise.

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "hopsim/netstack/addresses.hpp"

namespace hopsim::net::sock {

struct SocketAddress {
    Ipv4Address ip;
    std::uint16_t port = 0;

    // "127.0.0.1:7007"; the error is a sentence.
    static Result<SocketAddress, std::string> parse(std::string_view text);
    static SocketAddress from(const sockaddr_in& sa);
    sockaddr_in to_sockaddr() const;
    std::string to_string() const { return ip.to_string() + ":" + std::to_string(port); }
    bool is_loopback() const { return ip.is_loopback(); }
    bool operator==(const SocketAddress&) const = default;
    auto operator<=>(const SocketAddress&) const = default;
};

}  // namespace hopsim::net::sock
