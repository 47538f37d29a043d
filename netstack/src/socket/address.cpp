#include "hopsim/netstack/socket/address.hpp"

#include <arpa/inet.h>

namespace hopsim::net::sock {

Result<SocketAddress, std::string> SocketAddress::parse(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return Unexpected<std::string>{"\"" + std::string(text) + "\" needs a port, e.g. 127.0.0.1:7007"};
    auto ip = Ipv4Address::parse(text.substr(0, colon));
    if (!ip) return Unexpected<std::string>{"bad address \"" + std::string(text.substr(0, colon)) + "\" " + ip.error().message()};
    const std::string_view p = text.substr(colon + 1);
    unsigned port = 0;
    for (char c : p) {
        if (c < '0' || c > '9' || port > 65535) return Unexpected<std::string>{"bad port \"" + std::string(p) + "\""};
        port = port * 10 + static_cast<unsigned>(c - '0');
    }
    if (p.empty() || port > 65535) return Unexpected<std::string>{"bad port \"" + std::string(p) + "\""};
    return SocketAddress{*ip, static_cast<std::uint16_t>(port)};
}

SocketAddress SocketAddress::from(const sockaddr_in& sa) {
    return {Ipv4Address(ntohl(sa.sin_addr.s_addr)), ntohs(sa.sin_port)};
}

sockaddr_in SocketAddress::to_sockaddr() const {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(ip.to_u32());
    return sa;
}

}  // namespace hopsim::net::sock
