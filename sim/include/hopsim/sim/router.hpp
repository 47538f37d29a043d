#pragma once
// An IPv4 router (RFC 1812, in the parts a lesson needs): per-interface MAC
// and address; connected routes from the interface prefixes plus static routes;
// longest-prefix match (ties go to the route listed first, connected before
// static). Forwarding checks the header checksum, decrements the TTL with an
// incremental checksum update (RFC 1624), resolves the next hop by ARP, and
// rewrites the Ethernet source and destination; the `rewrite` event lists
// every field that changed. ICMP errors: time exceeded, network unreachable,
// fragmentation needed (RFC 1191, with the next-hop MTU) when DF forbids
// fragmenting; never about an ICMP error or a later fragment (RFC 1122).
// The router answers pings to its own addresses and sends port unreachable
// for UDP/TCP to them (so traceroute ends there). Not modelled: ICMP rate
// limiting and redirects, dynamic routing, IP options processing.

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/sim/ip_node.hpp"

namespace hopsim::sim {

class Router final : public IpNode {
public:
    struct Route {
        net::Ipv4Prefix to;
        std::optional<net::Ipv4Address> via;
        int port = -1;
        bool connected = false;
    };

    Router(Network& net, int node, const NodeSpec& spec);
    void start() override;
    void on_frame(int port, FrameRef f) override;
    const std::vector<Route>& routes() const { return routes_; }
    std::string route_text(const Route& r) const;  // "10.1.0.0/16 via 10.0.0.2 dev eth1"

private:
    struct Rewrite {
        net::MacAddress old_src, old_dst;
        std::uint8_t old_ttl = 0;
        std::uint16_t old_checksum = 0;
        bool pending = false;
        std::uint16_t old_vlan = 0;  // the VLAN it arrived in (its subinterface's), 0: untagged
    };
    void on_timer(const Event&) override {}
    void before_send(int port, FrameRef f) override;
    void unresolved(FrameRef f) override;

    const Route* lookup(net::Ipv4Address dst) const;
    void forward(int in_port, FrameRef f, const net::Ipv4View& ip);
    void local(int in_port, FrameRef f, const net::Ipv4View& ip);
    // An ICMP message from this router (echo reply or error) to `dst`.
    void send_icmp(net::Ipv4Address src, net::Ipv4Address dst, const net::IcmpHeader& h, net::Bytes body, int flow,
                   std::uint8_t tos = 0);
    void icmp_error(FrameRef f, const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code,
                    std::uint16_t mtu = 0);

    std::vector<Route> routes_;
    // Forwarded frames not yet on the wire, by pool slot: no allocation per hop.
    std::vector<Rewrite> rewrites_;
    void remember(FrameRef f, const Rewrite& rw);
};

}  // namespace hopsim::sim
