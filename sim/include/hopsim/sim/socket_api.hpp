#pragma once
// The socket API a host's stack offers the applications above it, small
// enough for a fake in a unit test. An application binds sockets (UDP,
// ICMP, TCP) and sets timers through a SocketApi; the stack calls the
// application back (Application) when something arrives for a socket.
// Nothing in the stack knows which application runs above it.
//
// `flow` tags travel with what is sent and received: the scenario's traffic
// item a packet belongs to, so the flow ledger and the trace can follow it
// (a simulation's bookkeeping; no header field carries it).

#include <cstdint>
#include <string_view>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/sim/frame_pool.hpp"
#include "hopsim/sim/payload.hpp"
#include "hopsim/sim/tcp_state.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

class FlowLedger;
class Application;

using SocketId = int;
inline constexpr SocketId kNoSocket = -1;

// How a datagram is sent (IP_TTL, IP_MTU_DISCOVER) and whose it is.
struct SendOptions {
    int ttl = 64;
    bool df = true;
    int flow = -1;
};

// A datagram or ICMP message handed up to a socket.
struct Received {
    FrameRef frame = 0;     // the frame it arrived in (for the trace)
    int flow = -1;          // the flow that frame belongs to
    net::Ipv4Address src, dst;
    std::uint16_t src_port = 0, dst_port = 0;  // UDP
    std::uint8_t type = 0, code = 0;           // ICMP
    std::uint16_t id = 0, seq = 0;             // ICMP echo
    std::uint8_t ttl = 0;   // the IP TTL it arrived with (Linux's IP_RECVTTL)
    net::Bytes data;        // UDP payload or ICMP body
};

// An ICMP error about a datagram this socket sent (Linux's IP_RECVERR): who
// sent it, what it says, and the ports or echo id/seq of the quoted datagram.
struct IcmpError {
    net::Ipv4Address from;
    std::uint8_t type = 0, code = 0;
    std::uint16_t quoted_src_port = 0, quoted_dst_port = 0;  // a UDP datagram's
    std::uint16_t quoted_id = 0, quoted_seq = 0;             // an ICMP echo's
};

class SocketApi {
public:
    virtual SimTime now() const = 0;
    virtual FlowLedger& ledger() = 0;
    // Calls app.on_timer(token) at `at`.
    virtual void set_timer(Application& app, SimTime at, std::uint64_t token) = 0;
    // This host's address towards `dst` (the source a datagram to it gets).
    virtual net::Ipv4Address source_for(net::Ipv4Address dst) const = 0;

    // UDP. Port 0 binds an ephemeral port (Linux counts them from 49152);
    // kNoSocket if the port is taken.
    virtual SocketId udp_bind(Application& app, std::uint16_t port) = 0;
    virtual std::uint16_t udp_port(SocketId s) const = 0;
    virtual void udp_send(SocketId s, net::Ipv4Address dst, std::uint16_t port, net::Bytes data,
                          const SendOptions& o) = 0;

    // ICMP, as a ping socket: echo replies and errors about our echoes come
    // back to the socket whose identifier they carry.
    virtual SocketId icmp_open(Application& app, std::uint16_t id) = 0;
    virtual void icmp_echo(SocketId s, net::Ipv4Address dst, std::uint16_t seq, net::Bytes data,
                           const SendOptions& o) = 0;

    // TCP.
    virtual SocketId tcp_listen(Application& app, std::uint16_t port) = 0;
    // A socket bound to an ephemeral port now (so ports follow the order in
    // which applications start), connected later.
    virtual SocketId tcp_socket(Application& app) = 0;
    virtual void tcp_connect(SocketId s, net::Ipv4Address dst, std::uint16_t port, int flow) = 0;
    virtual void tcp_write(SocketId s, net::Bytes data) = 0;       // a copy is queued
    virtual void tcp_write(SocketId s, const Payload& data) = 0;  // borrowed: outlives the connection
    virtual void tcp_close(SocketId s) = 0;
    virtual TcpState tcp_state(SocketId s) const = 0;
    virtual TcpError tcp_error(SocketId s) const = 0;  // why it closed abnormally (SO_ERROR)
    virtual bool tcp_all_acked(SocketId s) const = 0;
    virtual int tcp_flow(SocketId s) const = 0;

    // A raw Ethernet frame from the first interface (a packet socket).
    virtual void frame_send(net::MacAddress dst, std::uint16_t ethertype, net::Bytes payload, int flow) = 0;
    // Receives the frames of EtherTypes the stack has no protocol for.
    virtual SocketId packet_open(Application& app) = 0;

    // The trace's `deliver` event: the application took `n` bytes of `r`
    // (or of a stream, with no frame) for `flow`.
    virtual void trace_delivery(const Received& r, std::size_t n, std::string_view detail = {}) = 0;
    virtual void trace_stream_delivery(int flow, std::size_t n, std::string_view detail) = 0;

protected:
    ~SocketApi() = default;
};

// An application: a scenario's traffic item or service, bound to sockets.
// Each callback has a default that ignores it.
class Application {
public:
    virtual ~Application() = default;
    virtual void start() {}  // at the start of the run: bind, set the first timer
    virtual void on_timer(std::uint64_t /*token*/) {}
    virtual void on_datagram(SocketId /*s*/, const Received& /*r*/) {}
    virtual void on_packet(const Received& /*r*/) {}  // data: the Ethernet payload
    virtual void on_echo_reply(SocketId /*s*/, const Received& /*r*/) {}
    // An error about one of this socket's datagrams. True if the application
    // made use of it; otherwise the stack reports it as delivered unread.
    virtual bool on_icmp_error(SocketId /*s*/, const IcmpError& /*e*/) { return false; }
    virtual void on_tcp_data(SocketId /*s*/, net::Bytes /*data*/) {}
    virtual void on_tcp_peer_closed(SocketId /*s*/) {}
    // After every segment or timer the connection handled.
    virtual void on_tcp_progress(SocketId /*s*/) {}

    // The stack that owns this application numbers it here, to find it
    // again when a timer fires without a lookup per event.
    std::uint32_t stack_slot = 0;
};

}  // namespace hopsim::sim
