#pragma once
// A DHCP server on UDP 67 (RFC 2131 4.3), as dnsmasq serves a lab: a pool
// per subnet it serves, its own and those relayed to it.
// A DISCOVER is offered the address the client already has or was offered,
// else the lowest free one (leases past their end are free again); a REQUEST
// naming this server and the address offered is ACKed with the lease from
// then, one naming another server withdraws the offer; a renewal (ciaddr set)
// of a lease the client holds is ACKed, anything else NAKed. Answers go to
// the relay (giaddr) when there is one, unicast to ciaddr when the client has
// an address, else broadcast. The pool is the one whose subnet holds giaddr
// (relayed), else ciaddr (renewing), else the server's own address.

#include <cstdint>
#include <map>

#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class DhcpServer final : public Application {
public:
    DhcpServer(SocketApi& stack, const ServiceSpec& spec) : stack_(stack), pools_(spec.pools) {}
    void start() override;
    void on_datagram(SocketId s, const Received& r) override;

    struct Binding {
        net::Ipv4Address address;
        SimTime expires;  // an offer's: when it lapses; a lease's: its end
        bool leased = false;
    };
    const std::map<net::MacAddress, Binding>& bindings() const { return bindings_; }

private:
    std::optional<net::Ipv4Address> free_address(const DhcpPool& pool, const net::MacAddress& client);
    void answer(const DhcpPool& pool, const net::DhcpMessage& request, net::DhcpType type, net::Ipv4Address yiaddr,
                const Received& r);

    SocketApi& stack_;
    const std::vector<DhcpPool>& pools_;
    SocketId socket_ = kNoSocket;
    std::map<net::MacAddress, Binding> bindings_;
};

}  // namespace hopsim::sim
