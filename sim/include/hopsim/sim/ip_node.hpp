#pragma once
// What hosts and routers share at layers 2-3: interfaces with a MAC and an
// IPv4 address, the ARP cache, and resolution of next hops with a queue of
// frames waiting for an answer (RFC 826, with Linux's choices: a request is
// retried every second, three in all, then the waiting frames are dropped with
// `arp-timeout`; at most 100 frames wait per neighbour, oldest dropped first;
// a request for our address creates an entry for its sender, other ARP
// packets only refresh entries we already have).

#include <map>
#include <optional>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/sim/arp_cache.hpp"
#include "hopsim/sim/device.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

class IpNode : public Device, public EventTarget {
public:
    IpNode(Network& net, int node, const NodeSpec& spec);
    const ArpCache& arp_cache() const { return arp_; }
    void on_event(const Event& e) final;

protected:
    struct Iface {
        std::string name;
        net::MacAddress mac;
        std::optional<net::Ipv4Prefix> ip;
        std::uint16_t vlan = 0;  // a subinterface's VLAN: frames leave its parent tagged
        std::vector<net::Ipv4Address> groups;  // multicast groups joined here (RIP's 224.0.0.9)
        std::optional<net::Ipv4Address> dhcp_relay_to;  // a router interface relaying DHCP to this server
    };

    // Event kinds below kFirstOwnKind belong to IpNode.
    static constexpr std::uint32_t kFirstOwnKind = 16;
    virtual void on_timer(const Event& e) = 0;
    // Called with the complete frame just before it goes onto the wire.
    virtual void before_send(int /*port*/, FrameRef /*f*/) {}
    // A frame dropped because its next hop never answered ARP (after the drop is counted).
    virtual void unresolved(FrameRef /*f*/) {}

    // True if the frame is addressed to this interface (unicast or broadcast);
    // otherwise traces the filter and returns false.
    bool accept(int port, FrameRef f, net::MacAddress dst);
    // True if `group` was joined on the interface.
    bool joined(int port, net::Ipv4Address group) const;
    void handle_arp(int port, FrameRef f);
    bool is_local(net::Ipv4Address a) const;
    // 255.255.255.255, or the broadcast address of one of our subnets.
    bool is_broadcast_for(net::Ipv4Address a) const;
    // Interface whose subnet holds `a`, or -1.
    int connected_port(net::Ipv4Address a) const;

    // A frame with Ethernet (source = the port's MAC, destination filled in
    // later) + IPv4 header + `l4`, in the pool with one reference.
    FrameRef build_ipv4(int port, const net::Ipv4Header& h, net::Bytes l4, std::uint64_t pkt, int flow);
    // Sends a frame whose Ethernet destination is `next_hop`'s MAC, resolving
    // it first if needed (a broadcast or multicast address needs no ARP: RFC
    // 1112 6.4 maps a group to 01:00:5e and its low 23 bits). Takes over the
    // frame reference.
    void output(int port, net::Ipv4Address next_hop, FrameRef f);
    // Traces a learn/expire of the ARP table.
    void trace_arp(Ev ev, net::Ipv4Address ip, net::MacAddress mac, std::optional<net::MacAddress> old);

    std::vector<Iface> ifaces_;
    std::uint16_t next_ip_id_ = 1;

private:
    enum Kind : std::uint32_t { kArpRetry = 1, kArpExpiry = 2 };
    void expire_arp();  // removes and reports the entries dead now
    void arm_arp_expiry();
    struct Resolution {
        int port = -1;
        std::vector<FrameRef> waiting;
        int requests = 0;
        std::uint64_t generation = 0;
    };
    void send_request(net::Ipv4Address target, Resolution& r);
    void retry(net::Ipv4Address target, std::uint64_t generation);
    void send_with_mac(int port, net::MacAddress mac, FrameRef f);
    void resolved(net::Ipv4Address ip, net::MacAddress mac);

    ArpCache arp_;
    SimTime arp_expiry_at_ = SimTime::max();  // the armed timer's time
    std::map<net::Ipv4Address, Resolution> resolving_;
    std::uint64_t generations_ = 0;
    std::vector<std::uint8_t> frame_scratch_;  // where build_ipv4 assembles frames, reused
};

}  // namespace hopsim::sim
