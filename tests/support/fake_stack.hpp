#pragma once
// A stack for application unit tests: it records what an application sends,
// binds and schedules, and lets the test play the network (deliver a
// datagram, an echo reply, an ICMP error, TCP bytes) and the clock.

#include <map>
#include <string>
#include <vector>

#include "hopsim/sim/flow_ledger.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::test {

using namespace hopsim::sim;

struct Sent {
    std::string proto;  // "udp", "icmp", "frame"
    SocketId socket = kNoSocket;
    net::Ipv4Address dst;
    std::uint16_t port = 0;  // udp: destination port; icmp: sequence number
    std::vector<std::uint8_t> data;
    SendOptions options;
    SimTime at;
};

struct Timer {
    Application* app;
    SimTime at;
    std::uint64_t token;
};

class FakeStack final : public SocketApi {
public:
    explicit FakeStack(const std::vector<TrafficSpec>& traffic) : ledger_(traffic) {}

    // The clock moves to the earliest timer, which fires; false if none is left.
    bool fire_next_timer() {
        if (timers.empty()) return false;
        auto it = timers.begin();
        for (auto t = timers.begin(); t != timers.end(); ++t)
            if (t->at < it->at) it = t;
        const Timer t = *it;
        timers.erase(it);
        now_ = t.at;
        t.app->on_timer(t.token);
        return true;
    }
    void advance(SimTime to) { now_ = to; }

    SimTime now() const override { return now_; }
    FlowLedger& ledger() override { return ledger_; }
    void set_timer(Application& app, SimTime at, std::uint64_t token) override { timers.push_back({&app, at, token}); }
    net::Ipv4Address source_for(net::Ipv4Address) const override { return *net::Ipv4Address::parse("10.0.0.1"); }

    SocketId udp_bind(Application& app, std::uint16_t port) override {
        if (port == 0) port = next_port_++;
        for (const auto& [s, p] : udp_ports)
            if (p == port) return kNoSocket;
        const SocketId s = next_socket_++;
        udp_ports[s] = port;
        owners[s] = &app;
        return s;
    }
    std::uint16_t udp_port(SocketId s) const override { return udp_ports.at(s); }
    void udp_send(SocketId s, net::Ipv4Address dst, std::uint16_t port, net::Bytes data, const SendOptions& o) override {
        sent.push_back({"udp", s, dst, port, {data.begin(), data.end()}, o, now_});
    }
    SocketId icmp_open(Application& app, std::uint16_t id) override {
        const SocketId s = next_socket_++;
        icmp_ids[s] = id;
        owners[s] = &app;
        return s;
    }
    void icmp_echo(SocketId s, net::Ipv4Address dst, std::uint16_t seq, net::Bytes data, const SendOptions& o) override {
        sent.push_back({"icmp", s, dst, seq, {data.begin(), data.end()}, o, now_});
    }

    SocketId tcp_listen(Application& app, std::uint16_t port) override {
        listening[port] = &app;
        return port;
    }
    SocketId tcp_socket(Application& app) override {
        const SocketId s = next_socket_++;
        owners[s] = &app;
        tcp[s] = {};
        return s;
    }
    void tcp_connect(SocketId s, net::Ipv4Address dst, std::uint16_t port, int flow) override {
        tcp[s].connected_to = dst;
        tcp[s].port = port;
        tcp[s].flow = flow;
        tcp[s].state = TcpState::SynSent;
    }
    void tcp_write(SocketId s, net::Bytes data) override { tcp[s].written.insert(tcp[s].written.end(), data.begin(), data.end()); }
    void tcp_write(SocketId s, const Payload& data) override { tcp[s].borrowed = &data; }
    void tcp_close(SocketId s) override { tcp[s].closed = true; }
    TcpState tcp_state(SocketId s) const override { return tcp.at(s).state; }
    TcpError tcp_error(SocketId s) const override { return tcp.at(s).error; }
    bool tcp_all_acked(SocketId s) const override { return tcp.at(s).all_acked; }
    int tcp_flow(SocketId s) const override { return tcp.at(s).flow; }

    void frame_send(net::MacAddress dst, std::uint16_t ethertype, net::Bytes payload, int flow) override {
        Sent s{"frame", kNoSocket, {}, ethertype, {payload.begin(), payload.end()}, {64, false, flow}, now_};
        frames_to.push_back(dst);
        sent.push_back(std::move(s));
    }
    SocketId packet_open(Application& app) override {
        packet_owner = &app;
        return 0;
    }

    void trace_delivery(const Received& r, std::size_t n, std::string_view detail) override {
        deliveries.push_back({r.flow, n, std::string(detail)});
    }
    void trace_stream_delivery(int flow, std::size_t n, std::string_view detail) override {
        deliveries.push_back({flow, n, std::string(detail)});
    }

    struct TcpSock {
        net::Ipv4Address connected_to;
        std::uint16_t port = 0;
        int flow = -1;
        TcpState state = TcpState::Closed;
        TcpError error = TcpError::None;
        bool all_acked = false, closed = false;
        std::vector<std::uint8_t> written;
        const Payload* borrowed = nullptr;
    };
    struct Delivery {
        int flow;
        std::size_t bytes;
        std::string detail;
    };

    std::vector<Sent> sent;
    std::vector<net::MacAddress> frames_to;
    std::vector<Timer> timers;
    std::vector<Delivery> deliveries;
    std::map<SocketId, std::uint16_t> udp_ports, icmp_ids;
    std::map<SocketId, Application*> owners;
    std::map<std::uint16_t, Application*> listening;
    std::map<SocketId, TcpSock> tcp;
    Application* packet_owner = nullptr;

private:
    FlowLedger ledger_;
    SimTime now_;
    std::uint16_t next_port_ = 49152;
    SocketId next_socket_ = 0;
};

}  // namespace hopsim::test
