#pragma once
// A DNS server on UDP 53 (RFC 1035), as dnsmasq with a few names of its own
// serves a lab: an A question about one of its records is answered with it
// (authoritative, the record's TTL); one about a name it has no record of is
// sent on to its forwarder, if it has one, and the forwarder's answer relayed
// back (recursion, so the lesson can show it); otherwise NXDOMAIN. A question
// of another type about one of its names gets no answers and no error.
// Names match without regard to case (RFC 4343).

#include <cstdint>
#include <map>
#include <string>

#include "hopsim/netstack/dns.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class DnsServer final : public Application {
public:
    DnsServer(SocketApi& stack, const ServiceSpec& spec, Rng rng) : stack_(stack), spec_(spec), rng_(std::move(rng)) {}
    void start() override;
    void on_datagram(SocketId s, const Received& r) override;

private:
    struct Forwarded {
        net::Ipv4Address client;
        std::uint16_t client_port = 0, client_id = 0;
        int flow = -1;
    };
    void question(const Received& r, const net::DnsMessage& q);
    void relay(const Received& r, const net::DnsMessage& answer);
    void reply(const net::DnsMessage& m, net::Ipv4Address to, std::uint16_t port, int flow);

    SocketApi& stack_;
    const ServiceSpec& spec_;
    Rng rng_;
    SocketId socket_ = kNoSocket;
    std::map<std::uint16_t, Forwarded> forwarded_;  // by the id we asked the forwarder with
};

}  // namespace hopsim::sim
