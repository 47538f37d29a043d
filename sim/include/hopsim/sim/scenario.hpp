#pragma once
// A validated scenario: what the loader produces from JSON and the simulation
// is built from. Every value here has been checked; devices never see JSON.

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/payload.hpp"
#include "hopsim/sim/expect.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

enum class NodeKind : std::uint8_t { Host, Hub, Switch, Router };
const char* to_string(NodeKind k);

struct InterfaceSpec {
    std::string name;  // "eth0", or "eth0.10" for VLAN 10 on eth0
    net::MacAddress mac;
    std::optional<net::Ipv4Prefix> ip;  // address with its prefix length
    // An 802.1Q subinterface: the interface index it sends and receives
    // through (tagged with `vlan`), or -1 for a physical interface.
    int parent = -1;
    std::uint16_t vlan = 0;
    // A router interface that relays DHCP to this server (RFC 2131 4.1: giaddr).
    std::optional<net::Ipv4Address> dhcp_relay;
};

// A switch port's VLAN membership (IEEE 802.1Q): an access port carries one
// VLAN untagged; a trunk carries `trunk` tagged and `native` untagged.
struct SwitchPortSpec {
    std::uint16_t access = 1;
    std::vector<std::uint16_t> trunk;  // sorted; empty: an access port
    std::uint16_t native = 1;          // trunk only
    std::optional<std::uint32_t> stp_cost;  // overrides the cost from the link speed
    bool is_trunk() const { return !trunk.empty(); }
    // The VLAN an untagged frame arriving here belongs to.
    std::uint16_t untagged_vlan() const { return is_trunk() ? native : access; }
    bool carries(std::uint16_t vid) const;
};

// Spanning tree timers (IEEE 802.1D-2004 17.14 defaults), one set per
// scenario: a lesson may shrink them all by the same factor.
struct StpTimers {
    SimTime hello = SimTime::s(2);
    SimTime max_age = SimTime::s(20);
    SimTime forward_delay = SimTime::s(15);
};

enum class ServiceKind : std::uint8_t { TcpEcho, UdpEcho, TcpSink, UdpSink, DnsServer, DhcpServer };
const char* to_string(ServiceKind k);
inline bool is_udp(ServiceKind k) { return k != ServiceKind::TcpEcho && k != ServiceKind::TcpSink; }

// What a dhcp-server hands out: addresses first..last of `subnet` (its own
// interface's, or a relayed subnet's), with these options.
struct DhcpPool {
    net::Ipv4Address first, last;
    net::Ipv4Prefix subnet;
    std::optional<net::Ipv4Address> gateway, dns;
    SimTime lease = SimTime::s(3600);
};

struct ServiceSpec {
    ServiceKind kind;
    std::uint16_t port;
    // dns-server: A records by lower-case name, their TTL, and where to ask
    // about any other name (recursion), if anywhere.
    std::vector<std::pair<std::string, net::Ipv4Address>> records = {};
    SimTime ttl = SimTime::s(300);
    std::optional<net::Ipv4Address> forwarder = std::nullopt;
    std::vector<DhcpPool> pools = {};  // dhcp-server: one per subnet it serves (its own, and relayed ones)
};

struct RouteSpec {
    net::Ipv4Prefix to;  // network (host bits cleared)
    std::optional<net::Ipv4Address> via;
    int dev = -1;  // interface index, or -1 for "the one whose subnet holds via"
};

// RIP version 2 on a router (RFC 2453). Split horizon decides what goes back
// out of the interface a route was learned on: poisoned reverse (metric 16),
// simple (left out), or off (advertised as any other, to show counting to
// infinity).
enum class SplitHorizon : std::uint8_t { PoisonedReverse, Simple, Off };
const char* to_string(SplitHorizon s);

struct RipSpec {
    bool enabled = false;
    std::vector<int> interfaces;  // the interface indexes it runs on (sorted)
    SplitHorizon split_horizon = SplitHorizon::PoisonedReverse;
    // false: changes wait for the next regular update, as in RFC 1058's
    // first routers; a lesson's way to show counting to infinity step by step.
    bool triggered_updates = true;
};

// RIP's timers (RFC 2453 3.8), one set per scenario like the STP timers: a
// lesson may shrink them. Triggered updates wait a random 1/30 to 1/6 of the
// update interval after one another (1-5 s of 30 s, 3.10.1).
struct RipTimers {
    SimTime update = SimTime::s(30);
    SimTime timeout = SimTime::s(180);
    SimTime garbage = SimTime::s(120);
};

// Network address and port translation on a router (RFC 3022 NAPT, as
// Linux's MASQUERADE does it): what leaves `outside` from an `inside`
// interface takes the outside address; replies are translated back.
struct PortForward {
    std::uint8_t protocol = 6;  // 6 TCP, 17 UDP
    std::uint16_t outside_port = 0;
    net::Ipv4Address to;
    std::uint16_t to_port = 0;
};

struct NatSpec {
    bool enabled = false;
    std::vector<int> inside;  // interface indexes (sorted)
    int outside = -1;
    std::vector<PortForward> forwards;
};

struct NodeSpec {
    std::string id;
    NodeKind kind = NodeKind::Host;
    std::vector<InterfaceSpec> interfaces;  // hosts and routers
    std::optional<net::Ipv4Address> gateway;
    std::optional<net::Ipv4Address> dns;  // a host's resolver: the DNS server it asks
    bool dhcp = false;  // a host whose one interface gets its address, gateway and DNS server from DHCP
    std::vector<ServiceSpec> services;
    std::vector<RouteSpec> routes;
    RipSpec rip;  // routers
    NatSpec nat;  // routers
    int ports = 0;  // hubs and switches: port count (declared, or the highest port linked)
    SimTime mac_ageing = SimTime::s(300);
    // Switches: per-port VLAN settings when any port has one ("ports" as an
    // object), else empty and the switch ignores VLAN tags (Linux's bridge
    // without vlan_filtering).
    std::vector<SwitchPortSpec> port_specs;
    bool vlan_aware() const { return !port_specs.empty(); }
    const SwitchPortSpec& port_spec(int port) const;
    bool stp = false;
    std::uint16_t stp_priority = 32768;
    std::optional<std::array<double, 2>> pos;

    // Ports a device has: interfaces for hosts/routers, numbered ports otherwise.
    int port_count() const {
        return kind == NodeKind::Host || kind == NodeKind::Router ? static_cast<int>(interfaces.size()) : ports;
    }
    bool is_subinterface(int port) const {
        return port >= 0 && static_cast<std::size_t>(port) < interfaces.size() &&
               interfaces[static_cast<std::size_t>(port)].parent >= 0;
    }
};

struct Endpoint {
    int node = -1;
    int port = -1;  // interface index, or hub/switch port - 1
    bool operator==(const Endpoint&) const = default;
};

struct LinkSpec {
    std::array<Endpoint, 2> ends;
    std::int64_t bandwidth_bps = 100'000'000;
    SimTime delay = SimTime::ns(500);
    double loss = 0.0;
    int queue = 100;   // frames waiting per direction (drop-tail)
    int mtu = 1500;    // largest Ethernet payload (IP datagram) carried
};

enum class TrafficKind : std::uint8_t { Ping, Udp, Tcp, Frame, Traceroute };
const char* to_string(TrafficKind k);

struct TrafficSpec {
    std::string id;  // from the scenario, or "traffic[N]"
    TrafficKind kind = TrafficKind::Ping;
    SimTime at;
    int from = -1;                 // node index (a host)
    int to_node = -1;              // node index when "to" named a node, else -1
    net::Ipv4Address to_ip;        // ping/udp/tcp
    std::string to_name;           // "to" a DNS name: to_ip is what the sender's resolver answers
    bool to_lease = false;         // "to" a host that takes its address from DHCP: sent to its lease, once it has one
    std::uint16_t to_port = 0;     // udp/tcp
    int count = 1;
    SimTime interval;
    int ttl = 64;
    Payload payload;  // ICMP data, UDP/TCP payload, raw frame payload
    bool echo = false;                  // tcp: expect the bytes back
    bool df = true;                     // ping/udp: set Don't Fragment (Linux's default)
    int max_ttl = 30;                   // traceroute
    int probes = 3;                     // traceroute: probes per hop
    bool icmp_probes = false;           // traceroute: ICMP echo instead of UDP
    SimTime wait = SimTime::s(5);       // traceroute: how long to wait for each reply
    net::MacAddress dst_mac = net::MacAddress::broadcast();  // frame
    std::uint16_t ethertype = 0x88b5;                         // frame (IEEE local experimental)
};

// Something that happens to the topology during the run ("events").
struct TopologyEvent {
    SimTime at;
    int link = -1;
    bool up = false;  // link_up, else link_down
};

// Which "predict, then reveal" questions a lesson asks (hopsim quiz, view --quiz).
struct QuizSpec {
    std::vector<std::string> kinds;  // "switch", "ttl", "mac", "arp", "collision"; empty: all
    int max = 10;
    SimTime after;
};

struct Scenario {
    std::string name;
    std::string description;
    std::uint64_t seed = 1;
    bool allow_duplicate_ip = false;  // a lab about address conflicts: two hosts may share an address
    SimTime until = SimTime::s(60);
    std::vector<NodeSpec> nodes;
    std::vector<LinkSpec> links;
    std::vector<TrafficSpec> traffic;
    std::vector<TopologyEvent> events;  // ordered by time
    StpTimers stp_timers;
    RipTimers rip_timers;
    std::vector<Expectation> expect;    // what the lesson says must happen (hopsim check)
    QuizSpec quiz;
    std::vector<std::string> warnings;  // legal but probably not meant (a switching loop)
    std::unordered_map<std::string, int> node_index;

    int find_node(std::string_view id) const;
    void index_nodes();  // makes find_node O(1); the loader calls it once nodes are read
    // "eth0" for hosts and routers, "3" for hub/switch port 3.
    std::string port_name(int node, int port) const;
    // Link index attached to (node, port), or -1.
    int link_at(int node, int port) const;
    std::string link_name(int link) const;  // "A:eth0-S1:1"
};

// The links that close a loop of hubs and switches (each joins two already
// joined): without a spanning tree, a broadcast circulates for ever there.
std::vector<int> switching_loops(const Scenario& sc);

}  // namespace hopsim::sim
