#include "hopsim/sim/apps/app_factory.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "hopsim/sim/apps/dns_server.hpp"
#include "hopsim/sim/apps/frame_sender.hpp"
#include "hopsim/sim/apps/named_flow.hpp"
#include "hopsim/sim/apps/resolver.hpp"
#include "hopsim/sim/apps/ping.hpp"
#include "hopsim/sim/apps/tcp_client.hpp"
#include "hopsim/sim/apps/tcp_sink.hpp"
#include "hopsim/sim/apps/traceroute.hpp"
#include "hopsim/sim/apps/udp_sender.hpp"
#include "hopsim/sim/apps/udp_sink.hpp"
#include "hopsim/sim/host.hpp"

namespace hopsim::sim {

namespace {

std::unique_ptr<Application> service(Host& h, int node, const ServiceSpec& s) {
    switch (s.kind) {
        case ServiceKind::TcpEcho: return std::make_unique<TcpEcho>(h, s.port);
        case ServiceKind::TcpSink: return std::make_unique<TcpSink>(h, s.port);
        case ServiceKind::UdpEcho: return std::make_unique<UdpEcho>(h, node, s.port);
        case ServiceKind::UdpSink: return std::make_unique<UdpSink>(h, node, s.port);
        case ServiceKind::DnsServer: return std::make_unique<DnsServer>(h, s, h.rng(fmt::format("dns-server/{}", node)));
    }
    return nullptr;
}

std::unique_ptr<Application> sender(Host& h, int flow, const TrafficSpec& t) {
    switch (t.kind) {
        case TrafficKind::Ping: return std::make_unique<Ping>(h, flow, t);
        case TrafficKind::Udp: return std::make_unique<UdpSender>(h, flow, t);
        case TrafficKind::Tcp: return std::make_unique<TcpClient>(h, flow, t);
        case TrafficKind::Frame: return std::make_unique<FrameSender>(h, flow, t);
        case TrafficKind::Traceroute: return std::make_unique<Traceroute>(h, flow, t);
    }
    return nullptr;
}

}  // namespace

void install_applications(const Scenario& sc, const std::vector<Host*>& hosts) {
    const bool frames = std::any_of(sc.traffic.begin(), sc.traffic.end(),
                                    [](const TrafficSpec& t) { return t.kind == TrafficKind::Frame; });
    std::vector<Resolver*> resolvers(hosts.size(), nullptr);
    for (std::size_t n = 0; n < hosts.size(); ++n) {
        if (!hosts[n]) continue;
        for (const ServiceSpec& s : sc.nodes[n].services) hosts[n]->add_application(service(*hosts[n], static_cast<int>(n), s));
        if (frames) hosts[n]->add_application(std::make_unique<FrameSink>(*hosts[n]));
        if (const auto& server = sc.nodes[n].dns)
            resolvers[n] = static_cast<Resolver*>(&hosts[n]->add_application(
                std::make_unique<Resolver>(*hosts[n], *server, hosts[n]->rng(fmt::format("resolver/{}", n)))));
    }
    for (std::size_t f = 0; f < sc.traffic.size(); ++f) {
        const TrafficSpec& t = sc.traffic[f];
        Host* from = hosts[static_cast<std::size_t>(t.from)];
        if (!from) continue;
        const int flow = static_cast<int>(f);
        if (t.to_name.empty()) {
            from->add_application(sender(*from, flow, t));
            continue;
        }
        // The loader gives a host that sends to a name a resolver.
        from->add_application(std::make_unique<NamedFlow>(*from, *resolvers[static_cast<std::size_t>(t.from)], flow, t,
                                                          [from, flow](const TrafficSpec& resolved) { return sender(*from, flow, resolved); }));
    }
}

}  // namespace hopsim::sim
