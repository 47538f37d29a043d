#pragma once
// A host's protocol stack: interfaces and ARP (IpNode), a loopback interface
// (datagrams to the host's own addresses or to 127.0.0.0/8 never reach a
// wire: they arrive in the next instant, as through Linux's lo), IPv4 in and
// out with local fragmentation and reassembly, ICMP (it answers echo requests
// itself), and UDP, ICMP-echo and TCP demultiplexing to the sockets of the
// applications above it (socket_api.hpp). The stack knows no application:
// the scenario's traffic and services are Application objects
// (app_factory.hpp) bound to its sockets.
//
// Linux's defaults where RFCs leave room: TTL 64; DF set on every datagram
// that fits, never on echo replies or ICMP errors; errors quote up to 576
// bytes with TOS 0xc0; echo requests to a broadcast address are ignored;
// ephemeral ports counted up from 49152; ICMP port unreachable for a UDP port
// nobody listens on (never about a broadcast) and a reset for a TCP segment
// nobody expects (neither rate-limited here). Datagrams larger than the
// interface MTU are fragmented locally; fragments are reassembled (30 s
// timeout). Not modelled: the path-MTU cache (a fragmentation-needed reply
// does not shrink later sends).

#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/ipv4_fragment.hpp"
#include "hopsim/netstack/udp.hpp"
#include "hopsim/sim/ip_node.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/socket_api.hpp"
#include "hopsim/sim/tcp_connection.hpp"

namespace hopsim::sim {

class Host final : public IpNode, public SocketApi, private TcpEnv {
public:
    Host(Network& net, int node, const NodeSpec& spec);
    ~Host() override;

    // The host owns its applications; they start, in this order, with the
    // run (one added during the run is started by whoever added it), and
    // end in the reverse order, as later ones may lean on earlier ones.
    Application& add_application(std::unique_ptr<Application> app);
    int node_of(net::Ipv4Address a) const;  // the node that owns an address, or -1

    // An address leased by DHCP, as `ip addr` shows one "dynamic": the
    // interface takes it (and the gateway), and gives it up when it ends.
    struct Lease {
        net::Ipv4Prefix address;
        std::optional<net::Ipv4Address> gateway, dns, server;
        SimTime bound_at, expires;
    };
    void apply_lease(int port, const Lease& l);
    void end_lease(int port);
    const std::optional<Lease>& lease() const { return lease_; }
    // A state change of an application's own (DHCP's INIT -> SELECTING ...), for the trace.
    void trace_state(std::string_view conn, std::string_view from, std::string_view to, std::string_view detail);
    Rng rng(std::string_view key) const;    // the scenario's random stream named `key`

    void start() override;
    void on_frame(int port, FrameRef f) override;

    // SocketApi
    SimTime now() const override;
    FlowLedger& ledger() override;
    void set_timer(Application& app, SimTime at, std::uint64_t token) override;
    net::Ipv4Address source_for(net::Ipv4Address dst) const override;
    SocketId udp_bind(Application& app, std::uint16_t port) override;
    std::uint16_t udp_port(SocketId s) const override { return udp_[static_cast<std::size_t>(s)].port; }
    void udp_send(SocketId s, net::Ipv4Address dst, std::uint16_t port, net::Bytes data, const SendOptions& o) override;
    SocketId icmp_open(Application& app, std::uint16_t id) override;
    void icmp_echo(SocketId s, net::Ipv4Address dst, std::uint16_t seq, net::Bytes data, const SendOptions& o) override;
    SocketId tcp_listen(Application& app, std::uint16_t port) override;
    SocketId tcp_socket(Application& app) override;
    void tcp_connect(SocketId s, net::Ipv4Address dst, std::uint16_t port, int flow) override;
    void tcp_write(SocketId s, net::Bytes data) override;
    void tcp_write(SocketId s, const Payload& data) override;
    void tcp_close(SocketId s) override;
    TcpState tcp_state(SocketId s) const override;
    TcpError tcp_error(SocketId s) const override;
    bool tcp_all_acked(SocketId s) const override;
    int tcp_flow(SocketId s) const override;
    void frame_send(net::MacAddress dst, std::uint16_t ethertype, net::Bytes payload, int flow) override;
    SocketId packet_open(Application& app) override;
    void trace_delivery(const Received& r, std::size_t n, std::string_view detail) override;
    void trace_stream_delivery(int flow, std::size_t n, std::string_view detail) override;

private:
    enum Kind : std::uint32_t { kAppTimer = kFirstOwnKind, kTcpTimer, kLoopback };
    static constexpr std::size_t kLoopbackMtu = 65535;  // the largest datagram; Linux's lo takes 65536
    // Sent to ourselves: our own addresses and 127.0.0.0/8.
    bool to_self(net::Ipv4Address dst) const { return dst.is_loopback() || is_local(dst); }
    struct UdpSocket {
        Application* app;
        std::uint16_t port;
    };
    struct IcmpSocket {
        Application* app;
        std::uint16_t id;
    };
    struct Conn {
        std::unique_ptr<TcpConnection> tcp;  // null until connected
        Application* app = nullptr;
        std::uint16_t local_port = 0;
        bool active = false;  // opened by connect(): its data segments are its flow's packets
        std::uint64_t timer_generation = 0;
    };

    void on_timer(const Event& e) override;

    // Where datagrams to dst leave: the interface (-1: no route) and the next
    // hop (dst itself on a connected subnet, else the gateway).
    struct Route {
        int port;
        net::Ipv4Address next_hop;
    };
    Route route(net::Ipv4Address dst) const;
    // Routes and sends an IPv4 datagram carrying `l4` (ICMP/UDP/TCP bytes);
    // fragments it when it does not fit the interface's MTU.
    // `tos`: the whole TOS byte (DSCP and ECN).
    void send_ip(std::uint8_t proto, net::Ipv4Address dst, int ttl, net::Bytes l4, std::uint64_t pkt, int flow,
                 bool df = true, std::uint8_t tos = 0);
    // The send event; an IP packet's Ethernet destination is filled in later, at output.
    void trace_send(FrameRef f, int flow, bool eth_dst_unresolved);
    std::uint16_t ephemeral_port();
    int path_mtu(net::Ipv4Address dst, int egress) const;  // the interface's, or less as a router said
    void learn_path_mtu(const net::IcmpView& icmp, net::Bytes quoted);
    bool tcp_icmp_error(const net::IcmpView& icmp, net::Bytes quoted, std::size_t header_len);

    void handle_ipv4(int port, FrameRef f, net::Bytes datagram);
    void dispatch(int port, FrameRef f, const net::Ipv4View& ip);  // a whole datagram for us
    void handle_icmp(int port, FrameRef f, const net::Ipv4View& ip);
    void handle_icmp_error(FrameRef f, const net::Ipv4View& ip, const net::IcmpView& icmp);
    void handle_udp(int port, FrameRef f, const net::Ipv4View& ip);
    void handle_tcp(int port, FrameRef f, const net::Ipv4View& ip);
    void handle_raw(int port, FrameRef f, const net::EthernetView& eth);
    void send_icmp_error(const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code, int flow);
    void send_reset(const net::Ipv4View& ip, const net::TcpView& seg, int flow);
    Received received(FrameRef f, const net::Ipv4View& ip, net::Bytes data) const;

    // TcpEnv
    void tcp_send(TcpConnection& c, const net::TcpHeader& h, net::Bytes payload, Retransmit why) override;
    void tcp_deliver(TcpConnection& c, net::Bytes data) override;
    void tcp_state(TcpConnection& c, TcpState from, TcpState to) override;
    void tcp_arm_timer(TcpConnection& c, SimTime at) override;
    void tcp_peer_closed(TcpConnection& c) override;
    void tcp_window(TcpConnection& c) override;
    std::string conn_name(const TcpConnection& c) const;  // "A:49152>B:7" in the trace
    Conn& conn(SocketId s) { return conns_[static_cast<std::size_t>(s)]; }
    const Conn& conn(SocketId s) const { return conns_[static_cast<std::size_t>(s)]; }

    std::optional<net::Ipv4Address> gateway_;
    std::optional<Lease> lease_;
    std::vector<std::unique_ptr<Application>> apps_;

    std::vector<UdpSocket> udp_;
    std::map<std::uint16_t, SocketId> udp_by_port_;
    std::map<net::Ipv4Address, int> path_mtu_;  // learned from "fragmentation needed" (RFC 1191)
    std::vector<IcmpSocket> icmp_;
    std::map<std::uint16_t, SocketId> icmp_by_id_;
    Application* packet_ = nullptr;  // the packet socket's owner, if one is open

    std::vector<Conn> conns_;
    // Connections by (local port, remote address, remote port); listeners by port.
    std::map<std::tuple<std::uint16_t, std::uint32_t, std::uint16_t>, SocketId> conn_index_;
    std::map<std::uint16_t, Application*> tcp_listeners_;
    std::set<std::uint16_t> tcp_ports_;  // bound by a listener or a connection
    Rng isn_rng_;

    std::uint16_t next_port_ = 49152;
    net::Ipv4Reassembler reassembler_;
    std::vector<std::uint8_t> l4_scratch_;  // where this host builds its segments and datagrams, reused
};

}  // namespace hopsim::sim
