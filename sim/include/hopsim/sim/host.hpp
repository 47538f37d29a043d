#pragma once
// A host: one or more interfaces, a default gateway, IPv4 with ICMP echo, UDP
// sockets (services and the receiving side of udp flows), and the scenario's
// traffic that starts here (ping, udp, raw frames).
//
// Linux's defaults where RFCs leave room: TTL 64, DF set on every datagram,
// ping's 56 data bytes with sequence numbers from 1, ephemeral ports counted
// up from 49152, ICMP port unreachable for a UDP port nobody listens on (not
// rate-limited here). A udp flow opens a receiving socket on its destination
// port, as `nc -lu` would. Datagrams larger than the interface MTU are
// fragmented locally; fragments are reassembled (30 s timeout). Not modelled:
// the path-MTU cache (a fragmentation-needed reply does not shrink later sends).

#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "hopsim/netstack/ipv4_fragment.hpp"
#include "hopsim/netstack/udp.hpp"
#include "hopsim/sim/ip_node.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/tcp_connection.hpp"

namespace hopsim::sim {

class Host final : public IpNode, private TcpEnv {
public:
    Host(Network& net, int node, const NodeSpec& spec);

    // Traffic item `flow` starts here; a udp flow to us opens its port.
    void add_source(int flow);
    void add_udp_listener(std::uint16_t port, int flow);

    void start() override;
    void on_frame(int port, FrameRef f) override;

private:
    enum Kind : std::uint32_t { kTraffic = kFirstOwnKind, kProbeTimeout, kTcpTimer };
    enum class Listener : std::uint8_t { Echo, Sink, FlowSink, Reply };
    struct Source {
        int flow = -1;
        std::uint16_t sport = 0;    // udp, traceroute
        std::uint16_t ping_id = 0;  // ping, traceroute with ICMP probes
        // traceroute: the probe in flight
        int ttl = 1, probe = 0, seq = 0;
        SimTime probe_sent;
        std::uint64_t generation = 0;
        bool reached = false, done = false;
        int conn = -1;  // tcp
    };
    struct Conn {
        std::unique_ptr<TcpConnection> tcp;
        std::uint64_t timer_generation = 0;
        bool client = false;        // opened by this host's traffic
        bool echo = false;          // a tcp-echo service: write back what arrives
        bool close_requested = false;
        std::uint64_t received = 0;  // bytes handed to the application
    };

    void on_timer(const Event& e) override;
    void send_next(int source, int repetition);
    // traceroute (the classic UDP probes to port 33434 + n, or ICMP echo):
    // one probe at a time, `probes` per TTL, until the destination answers.
    void send_probe(int source);
    void probe_answered(int source, net::Ipv4Address from, bool reached);
    void probe_timeout(int source, std::uint64_t generation);
    void next_probe(int source);
    // The traceroute source an ICMP message answers, or -1.
    int probe_owner(const net::IcmpView& icmp) const;
    // Routes and sends an IPv4 datagram carrying `l4` (ICMP/UDP/TCP bytes).
    // Where datagrams to dst leave: the interface (-1: no route) and the next
    // hop (dst itself on a connected subnet, else the gateway).
    struct Route {
        int port;
        net::Ipv4Address next_hop;
    };
    Route route(net::Ipv4Address dst) const;
    net::Ipv4Address source_for(net::Ipv4Address dst) const;  // our address on that interface
    // Fragments it when it does not fit the interface's MTU.
    void send_ip(std::uint8_t proto, net::Ipv4Address dst, int ttl, net::Bytes l4, std::uint64_t pkt, int flow,
                 bool df = true);
    void trace_send(FrameRef f, int flow, std::string_view detail);

    void handle_ipv4(int port, FrameRef f, net::Bytes datagram);
    void dispatch(int port, FrameRef f, const net::Ipv4View& ip);  // a whole datagram for us
    void handle_icmp(int port, FrameRef f, const net::Ipv4View& ip);
    void handle_udp(int port, FrameRef f, const net::Ipv4View& ip);
    void handle_raw(int port, FrameRef f, net::Bytes payload);
    void send_icmp_error(const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code, int flow);
    // Counts a delivery to the flow and traces it; `data` is checked against
    // what the flow sent.
    void deliver(FrameRef f, int flow, net::Bytes data, bool count);

    std::optional<net::Ipv4Address> gateway_;
    std::vector<Source> sources_;
    std::map<std::uint16_t, std::pair<Listener, int>> udp_;  // port -> what listens, flow
    // TCP: connections by (local port, remote address, remote port).
    void handle_tcp(int port, FrameRef f, const net::Ipv4View& ip);
    void start_tcp(int source);
    void send_reset(const net::Ipv4View& ip, const net::TcpView& seg, int flow);
    void tcp_progress(Conn& k);  // a client closes once its bytes are through
    void tcp_send(TcpConnection& c, const net::TcpHeader& h, net::Bytes payload, bool retransmission) override;
    void tcp_deliver(TcpConnection& c, net::Bytes data) override;
    void tcp_state(TcpConnection& c, TcpState from, TcpState to) override;
    void tcp_arm_timer(TcpConnection& c, SimTime at) override;
    void tcp_peer_closed(TcpConnection& c) override;
    std::vector<Conn> conns_;
    std::map<std::tuple<std::uint16_t, std::uint32_t, std::uint16_t>, int> conn_index_;
    std::map<std::uint16_t, ServiceKind> tcp_listen_;
    Rng isn_rng_;

    std::uint16_t next_port_ = 49152;
    net::Ipv4Reassembler reassembler_;
    std::vector<std::uint8_t> l4_scratch_;  // where this host builds its segments and datagrams, reused
};

}  // namespace hopsim::sim
