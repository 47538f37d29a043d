#pragma once
// A host's DHCP client (RFC 2131 4.4), as dhclient runs it: DISCOVER, then
// REQUEST the first OFFER, and on the ACK the interface takes the address,
// mask, gateway and DNS server. Before that the host has no address: the
// messages go from 0.0.0.0:68 to 255.255.255.255:67 with the broadcast flag
// set (RFC 2131 4.1: a client that cannot take unicast before it is
// configured asks for broadcast answers). Unanswered messages go again after
// 4, 8, 16, 32 and then every 64 s, each +/- up to 1 s. At T1 (half the lease)
// it renews with the server, unicast; at T2 (7/8) it rebinds, broadcast; at
// the end of the lease it gives the address up and starts again (renewing
// and rebinding are tried once each, not retransmitted). A NAK starts again too. States are traced as `state` events with "conn": "dhcp".

#include <cstdint>
#include <functional>
#include <vector>

#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class Host;
class Resolver;

class DhcpClient final : public Application {
public:
    DhcpClient(Host& host, net::MacAddress mac, Resolver* resolver, Rng rng)
        : host_(host), mac_(mac), resolver_(resolver), rng_(std::move(rng)) {}
    void start() override;
    void on_timer(std::uint64_t token) override;
    void on_datagram(SocketId s, const Received& r) override;

    bool bound() const { return state_ == State::Bound || state_ == State::Renewing || state_ == State::Rebinding; }
    // Runs `then` once the host has an address (at once if it has).
    void when_bound(std::function<void()> then);
    net::Ipv4Address address() const;  // the leased address, while bound

    enum class State : std::uint8_t { Init, Selecting, Requesting, Bound, Renewing, Rebinding };

private:
    enum Timer : std::uint64_t { kRetransmit = 1, kT1 = 2, kT2 = 3, kExpiry = 4 };
    void discover();
    void request(std::uint32_t xid, bool broadcast);
    void send(const net::DhcpMessage& m, net::Ipv4Address to);
    void retransmit_later();
    void rerequest_later();
    void to(State s, std::string_view detail = {});
    void bound_by(const net::DhcpMessage& ack);
    net::DhcpMessage message(net::DhcpType type) const;

    Host& host_;
    net::MacAddress mac_;
    Resolver* resolver_;
    Rng rng_;
    SocketId socket_ = kNoSocket;
    State state_ = State::Init;
    std::uint32_t xid_ = 0;
    int tries_ = 0;                 // of the message now being retransmitted
    std::uint64_t generation_ = 0;        // retransmissions of an earlier state are stale
    std::uint64_t lease_generation_ = 0;  // T1, T2 and expiry of an earlier lease are stale
    net::Ipv4Address offered_, server_;
    SimTime t2_;  // of the lease held
    std::vector<std::function<void()>> waiting_;
};

const char* to_string(DhcpClient::State s);

}  // namespace hopsim::sim
