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
// for UDP/TCP to them (so traceroute ends there). With "rip", a RIP process
// (rip.hpp) listens on UDP 520 and adds the routes it learns after the
// static ones, so a static route to the same network wins, as its lower
// administrative distance would. With "nat", what leaves the outside
// interface from an inside one takes the outside address (nat.hpp), and
// what comes back is translated back before it is routed; the rewrite event
// lists the address, port and checksum changes with the TTL's. Not modelled: ICMP rate limiting and
// redirects, IP options processing.

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/udp.hpp"
#include "hopsim/sim/ip_node.hpp"
#include "hopsim/sim/nat.hpp"
#include "hopsim/sim/rip.hpp"

namespace hopsim::sim {

class Application;
class RouterSocket;

class Router final : public IpNode, private RipHost {
    friend class RouterSocket;  // the DHCP server's way in and out

public:
    struct Route {
        net::Ipv4Prefix to;
        std::optional<net::Ipv4Address> via;
        int port = -1;
        bool connected = false;
        std::uint32_t rip_metric = 0;  // a route RIP learned: its metric; 0 otherwise
    };

    Router(Network& net, int node, const NodeSpec& spec);
    ~Router() override;
    void start() override;
    void on_frame(int port, FrameRef f) override;
    void link_changed(int port, bool up) override;
    const std::vector<Route>& routes() const { return routes_; }
    std::string route_text(const Route& r) const;  // "10.1.0.0/16 via 10.0.0.2 dev eth1"
    const RipProcess* rip() const { return rip_ ? &*rip_ : nullptr; }
    const NatTable* nat() const { return nat_ ? &*nat_ : nullptr; }
    struct NatCounters {
        std::uint64_t out = 0, in = 0;  // datagrams translated each way
    };
    const NatCounters& nat_counters() const { return nat_counters_; }

private:
    struct Rewrite {
        net::MacAddress old_src, old_dst;
        std::uint8_t old_ttl = 0;
        std::uint16_t old_checksum = 0;
        bool pending = false;
        std::uint16_t old_vlan = 0;  // the VLAN it arrived in (its subinterface's), 0: untagged
        // A NAT's change: 1 the source, 2 the destination (3: an ICMP error's
        // destination and quote); the address, port and transport checksum before.
        std::uint8_t nat = 0;
        std::uint8_t protocol = 0;
        net::Ipv4Address nat_old_addr;
        std::optional<std::uint16_t> nat_old_port, nat_old_checksum;
    };
    // How the NAT treats a forwarded datagram: translated back on its way in
    // (`inbound`, an ICMP error about a translated datagram if `error`).
    struct NatIn {
        const NatMapping* mapping;
        bool error;
    };
    enum Kind : std::uint32_t { kRipTimer = kFirstOwnKind, kNatExpiry };
    void on_timer(const Event& e) override;
    void before_send(int port, FrameRef f) override;
    void unresolved(FrameRef f) override;

    const Route* lookup(net::Ipv4Address dst) const;
    void forward(int in_port, FrameRef f, const net::Ipv4View& ip, NatIn nat_in = {nullptr, false});
    // A datagram to the NAT's outside address: translated and forwarded, the
    // router's own (an echo request, RIP), or dropped (nat-no-mapping).
    void nat_inbound(int port, FrameRef f, const net::Ipv4View& ip);
    // The mapping for a datagram leaving from inside (made if new), or null.
    NatMapping* nat_outbound(int in_port, FrameRef f, const net::Ipv4View& ip);
    bool nat_inside(int port) const;
    void nat_seen(NatMapping& m, bool reply, const net::Ipv4View& ip);
    void nat_learned(const NatMapping& m, std::string_view why);
    void nat_expire();
    void local(int in_port, FrameRef f, const net::Ipv4View& ip);
    // An ICMP message from this router (echo reply or error) to `dst`.
    void send_icmp(net::Ipv4Address src, net::Ipv4Address dst, const net::IcmpHeader& h, net::Bytes body, int flow,
                   std::uint8_t tos = 0);
    void icmp_error(FrameRef f, const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code,
                    std::uint16_t mtu = 0);

    // RFC 2131 4.1 / RFC 1542 4.1: a request broadcast on an interface with
    // "dhcp_relay" goes on to the server with giaddr set; the server's answer
    // to giaddr goes back out, broadcast. True if the datagram was DHCP's.
    bool relay_dhcp(int in_port, FrameRef f, const net::Ipv4View& ip, const net::UdpView& udp);
    void trace_local_delivery(int port, FrameRef f, std::size_t n, std::string_view what);  // a `deliver` at the router
    // A UDP datagram of the router's own, from `src`:`sport` (the address of
    // the interface it leaves by when `src` is 0.0.0.0), routed unless `dst`
    // is a broadcast or multicast address, which leaves by `port`.
    struct UdpSend {
        int ttl = 64;
        bool df = true;  // a UDP socket's default on Linux (IP_PMTUDISC_WANT)
    };
    void send_udp(int port, net::Ipv4Address src, net::Ipv4Address dst, std::uint16_t sport, std::uint16_t dport,
                  net::Bytes payload, UdpSend how, int flow, std::string_view what);

    // RipHost
    SimTime now() const override;
    void rip_timer(SimTime at, RipHost::Timer t, std::uint64_t generation) override;
    bool rip_port_up(int port) const override { return port_up_[static_cast<std::size_t>(port)]; }
    void rip_send(int port, net::Ipv4Address dst, std::uint16_t dst_port, const net::RipMessage& m,
                  std::string_view what) override;
    void rip_install(const RipRoute& r, std::string_view why) override;
    void rip_withdraw(const RipRoute& r, std::string_view why) override;
    void rip_rejected(std::string_view why) override;
    void trace_route(Ev ev, const Route& r, std::string_view old, std::string_view why);
    std::string route_value(const Route& r) const;  // "via 10.0.0.2 dev eth1"

    std::vector<Route> routes_;
    std::optional<RipProcess> rip_;
    std::vector<bool> port_up_;
    std::optional<NatTable> nat_;
    NatCounters nat_counters_;
    SimTime nat_expiry_at_ = SimTime::max();
    std::uint64_t nat_generation_ = 0;
    FrameRef rip_frame_ = 0;  // the message RIP is reading, for a rejection's drop
    int rip_port_ = -1;
    // Forwarded frames not yet on the wire, by pool slot: no allocation per hop.
    std::vector<Rewrite> rewrites_;
    void remember(FrameRef f, const Rewrite& rw);
    void add_nat_changes(const Rewrite& rw, const net::Ipv4View& ip, std::vector<FieldChange>& changes) const;
    std::vector<FieldChange> changes_;  // a rewrite event's, reused
    // "dhcp_server" on interfaces: the server and the socket it binds.
    std::unique_ptr<RouterSocket> socket_;
    std::unique_ptr<Application> dhcp_server_;
};

}  // namespace hopsim::sim
