#include "hopsim/real/loopback_replay.hpp"

#include <fmt/core.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "hopsim/netstack/socket/sockets.hpp"
#include "hopsim/netstack/socket/stream_client.hpp"
#include "hopsim/netstack/socket/stream_service.hpp"
#include "hopsim/real/payload_source.hpp"
#include "real_flow_json.hpp"

namespace hopsim::real {

using namespace sim;

using namespace net::sock;
using Clock = Reactor::Clock;

namespace {
// Room for a burst of datagrams while the replay's one thread is sending.
constexpr int kUdpReceiveBuffer = 8 << 20;
}  // namespace

net::Ipv4Address loopback_address(int node) { return net::Ipv4Address(0x7f000100u + static_cast<std::uint32_t>(node) + 1); }

namespace {

struct Replay {
    const Scenario& sc;
    RealRun run;
    Reactor reactor;
    std::vector<std::unique_ptr<TcpService>> tcp_services;
    std::vector<std::unique_ptr<UdpService>> udp_services;
    std::vector<std::unique_ptr<TcpClient>> tcp_clients;
    std::vector<Fd> udp_clients;
    std::map<SocketAddress, int> flow_of_peer;  // client address -> flow
    std::vector<std::uint64_t> received;        // per flow, bytes seen by the receiver
    std::vector<std::unique_ptr<PayloadSource>> sources;  // per TCP flow: its bytes for the kernel, in windows
    int pending = 0;
    Clock::time_point start;

    sim::FlowLedger ledger;                     // what the kernel delivered, counted as the simulation counts

    Replay(const Scenario& s, const Scenario& original)
        : sc(s), received(s.traffic.size()), sources(s.traffic.size()), ledger(original.traffic) {
        run.flows.resize(s.traffic.size());
    }

    // Bytes arriving at a service: counted against the flow whose client sent them.
    void on_data(const SocketAddress& peer, net::Bytes data, bool datagram) {
        auto it = flow_of_peer.find(peer);
        if (it == flow_of_peer.end()) return;
        const int f = it->second;
        if (datagram) {
            ledger.delivered(f, data, now());
        } else {
            ledger.stream_delivered(f, received[static_cast<std::size_t>(f)], data, now());
            received[static_cast<std::size_t>(f)] += data.size();
        }
    }

    SimTime now() const { return SimTime::ns(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count()); }

    Result<bool, std::string> listen() {
        for (std::size_t n = 0; n < sc.nodes.size(); ++n) {
            for (const ServiceSpec& s : sc.nodes[n].services) {
                const SocketAddress at{loopback_address(static_cast<int>(n)), s.port};
                const ServiceMode mode = s.kind == ServiceKind::TcpEcho || s.kind == ServiceKind::UdpEcho ? ServiceMode::Echo : ServiceMode::Sink;
                if (is_udp(s.kind)) {
                    auto fd = udp_bind(at);
                    if (!fd) return Unexpected<std::string>{fd.error().message};
                    set_receive_buffer(fd->get(), kUdpReceiveBuffer);
                    udp_services.push_back(std::make_unique<UdpService>(reactor, std::move(*fd), mode,
                        [this](const SocketAddress& p, net::Bytes d) { on_data(p, d, true); }));
                } else {
                    auto fd = tcp_listen(at);
                    if (!fd) return Unexpected<std::string>{fd.error().message};
                    TcpService::Options o;
                    o.mode = mode;
                    tcp_services.push_back(std::make_unique<TcpService>(reactor, std::move(*fd), o,
                        [this](const SocketAddress& p, net::Bytes d) { on_data(p, d, false); }));
                }
            }
        }
        return true;
    }

    void start_tcp(int f) {
        const TrafficSpec& t = sc.traffic[static_cast<std::size_t>(f)];
        ledger.stream_opened(f, t.payload.size(), now());
        auto& source = sources[static_cast<std::size_t>(f)];
        source = std::make_unique<PayloadSource>(t.payload);
        auto client = std::make_unique<TcpClient>(reactor, SocketAddress{loopback_address(t.from), 0},
                                                  SocketAddress{t.to_ip, t.to_port}, *source, [this] { --pending; });
        if (!client->outcome().error.empty()) --pending;  // failed at once (no descriptor left): no callback comes
        else flow_of_peer[client->local()] = f;
        tcp_clients[static_cast<std::size_t>(f)] = std::move(client);
    }

    void finish_tcp(int f) {
        const TcpClient& c = *tcp_clients[static_cast<std::size_t>(f)];
        RealFlow& rf = run.flows[static_cast<std::size_t>(f)];
        const auto& out = c.outcome();
        if (!out.error.empty()) rf.note = out.error;
        // The failure as the simulator names it, from strerror's text ("Connection refused").
        std::string error = out.error;
        std::transform(error.begin(), error.end(), error.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        for (const char* kind : {"connection refused", "connection reset by peer", "connection timed out"})
            if (error.find(kind) != std::string::npos) ledger.failed(f, kind);
        // The kernel's counts, with the simulator's meanings: data segments
        // first sent, and every segment the connecting socket sent.
        if (out.counters.data_segs_out > out.counters.total_retrans)
            ledger.segment_sent(f, out.counters.data_segs_out - out.counters.total_retrans);
        ledger.segments_out(f, out.counters.segs_out);
        ledger.retransmitted(f, out.counters.total_retrans);
        ledger.echoed(f, out.received, out.echo_matches);
    }

    void send_udp(int f, int repetition) {
        const TrafficSpec& t = sc.traffic[static_cast<std::size_t>(f)];
        const sockaddr_in to = SocketAddress{t.to_ip, t.to_port}.to_sockaddr();
        if (::sendto(udp_clients[static_cast<std::size_t>(f)].get(), t.payload.bytes().data(), t.payload.size(), MSG_NOSIGNAL,
                     reinterpret_cast<const sockaddr*>(&to), sizeof to) >= 0) {
            ledger.sent(f, t.payload.size(), now());
        }
        if (repetition + 1 < t.count) {
            reactor.at(start + std::chrono::nanoseconds((t.at + t.interval * (repetition + 1)).count()),
                       [this, f, repetition] { send_udp(f, repetition + 1); });
        } else {
            // Datagrams in flight on loopback arrive within microseconds; give them a moment.
            reactor.at(Clock::now() + std::chrono::milliseconds(200), [this] { --pending; });
        }
    }

    Result<bool, std::string> schedule() {
        tcp_clients.resize(sc.traffic.size());
        udp_clients.resize(sc.traffic.size());
        for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
            const TrafficSpec& t = sc.traffic[i];
            RealFlow& rf = run.flows[i];
            const int f = static_cast<int>(i);
            if (t.kind != TrafficKind::Tcp && t.kind != TrafficKind::Udp) {
                rf.note = fmt::format("{} needs raw sockets; not replayed", to_string(t.kind));
                continue;
            }
            if (!t.to_name.empty()) {
                rf.note = fmt::format("{} is a name, and loopback has no resolver for the scenario's DNS; not replayed", t.to_name);
                continue;
            }
            if (t.to_node < 0) {
                rf.note = fmt::format("{} belongs to no host of the scenario; not replayed", t.to_ip.to_string());
                continue;
            }
            rf.replayed = true;
            ++pending;
            const auto when = start + std::chrono::nanoseconds(t.at.count());
            if (t.kind == TrafficKind::Tcp) {
                reactor.at(when, [this, f] { start_tcp(f); });
            } else {
                auto fd = udp_bind({loopback_address(t.from), 0});
                if (!fd) return Unexpected<std::string>{fd.error().message};
                flow_of_peer[local_address(fd->get())] = f;
                udp_clients[i] = std::move(*fd);
                reactor.at(when, [this, f] { send_udp(f, 0); });
            }
        }
        return true;
    }
};

// Loopback has no NAT: a flow to a NAT's outside address and forwarded port
// goes straight to the host and port the forward names, as it would arrive.
void follow_port_forward(const Scenario& sc, TrafficSpec& t) {
    if (t.to_node < 0 || (t.kind != TrafficKind::Tcp && t.kind != TrafficKind::Udp)) return;
    const sim::NodeSpec& r = sc.nodes[static_cast<std::size_t>(t.to_node)];
    if (!r.nat.enabled || r.interfaces[static_cast<std::size_t>(r.nat.outside)].ip->address() != t.to_ip) return;
    const std::uint8_t protocol = t.kind == TrafficKind::Tcp ? 6 : 17;
    for (const sim::PortForward& f : r.nat.forwards) {
        if (f.protocol != protocol || f.outside_port != t.to_port) continue;
        for (std::size_t n = 0; n < sc.nodes.size(); ++n)
            for (const auto& i : sc.nodes[n].interfaces)
                if (i.ip && i.ip->address() == f.to) {
                    t.to_node = static_cast<int>(n);
                    t.to_port = f.to_port;
                    return;
                }
    }
}

}  // namespace


Result<RealRun, std::string> replay_on_loopback(const Scenario& scenario, SimTime timeout) {
    std::signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
    Scenario sc = scenario;  // flows name scenario addresses; on loopback each host has its own
    for (TrafficSpec& t : sc.traffic) {
        follow_port_forward(sc, t);
        if (t.to_node >= 0) t.to_ip = loopback_address(t.to_node);
    }
    Replay r(sc, scenario);
    if (auto ok = r.listen(); !ok) return Unexpected<std::string>{ok.error()};
    const long long drops_before = udp_receive_buffer_errors();
    r.start = Clock::now();
    if (auto ok = r.schedule(); !ok) return Unexpected<std::string>{ok.error()};
    const auto deadline = r.start + std::chrono::nanoseconds(timeout.count());
    while (r.pending > 0 && Clock::now() < deadline) {
        r.reactor.poll_once(deadline);
        for (auto& s : r.tcp_services) s->sweep();
    }
    r.run.timed_out = r.pending > 0;
    // Let services see the last bytes and closes.
    for (int i = 0; i < 5; ++i) r.reactor.poll_once(Clock::now() + std::chrono::milliseconds(10));
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        const auto sent = r.ledger[static_cast<int>(i)].sent_packets;
        if (t.kind == TrafficKind::Udp && r.run.flows[i].replayed && sent < static_cast<std::uint64_t>(t.count) &&
            r.run.flows[i].note.empty())
            r.run.flows[i].note = fmt::format("sent {} of {} datagrams before the timeout", sent, t.count);
        if (!r.tcp_clients[i]) continue;
        r.finish_tcp(static_cast<int>(i));
        if (!r.tcp_clients[i]->outcome().done && r.run.flows[i].note.empty())
            r.run.flows[i].note = "did not finish before the timeout";
    }
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) r.run.flows[i].stats = r.ledger[static_cast<int>(i)];
    if (const long long after = udp_receive_buffer_errors(); drops_before >= 0 && after >= drops_before)
        r.run.kernel_udp_drops = after - drops_before;
    r.run.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - r.start).count();
    return std::move(r.run);
}

bool real_flow_intact(const Scenario& sc, const RealRun& run, int flow) {
    const RealFlow& rf = run.flows[static_cast<std::size_t>(flow)];
    return rf.replayed && flow_intact(sc.traffic[static_cast<std::size_t>(flow)], rf.stats);
}

sim::detail::OrderedJson detail::real_flow_json(const Scenario& sc, const RealRun& run, std::size_t i) {
    const TrafficSpec& t = sc.traffic[i];
    const RealFlow& rf = run.flows[i];
    auto flow = sim::detail::flow_json(sc, t, rf.stats, real_flow_intact(sc, run, static_cast<int>(i)));
    flow["replayed"] = rf.replayed;
    if (!rf.note.empty()) flow["note"] = rf.note;
    return flow;
}

std::string real_summary_json(const Scenario& sc, const RealRun& run) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["scenario"] = sc.name;
    j["backend"] = "loopback sockets";
    j["wall_time_ns"] = run.wall_ns;
    j["timed_out"] = run.timed_out;
    j["kernel_udp_receive_buffer_drops"] = run.kernel_udp_drops >= 0 ? Json(run.kernel_udp_drops) : Json();
    j["flows"] = Json::array();
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) j["flows"].push_back(detail::real_flow_json(sc, run, i));
    Json nodes = Json::object();
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        if (sc.nodes[n].kind == NodeKind::Host)
            nodes[sc.nodes[n].id] = {{"kind", "host"}, {"address", loopback_address(static_cast<int>(n)).to_string()}};
    j["nodes"] = std::move(nodes);
    return j.dump(2) + "\n";
}

}  // namespace hopsim::real
