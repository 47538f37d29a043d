#include "hopsim/sim/apps/app_factory.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "hopsim/sim/apps/dns_server.hpp"
#include "hopsim/sim/apps/frame_sender.hpp"
#include "hopsim/sim/apps/deferred_flow.hpp"
#include "hopsim/sim/apps/dhcp_client.hpp"
#include "hopsim/sim/apps/dhcp_server.hpp"
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
        case ServiceKind::DhcpServer: return std::make_unique<DhcpServer>(h, s);
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
    std::vector<DhcpClient*> leases(hosts.size(), nullptr);
    for (std::size_t n = 0; n < hosts.size(); ++n) {
        if (!hosts[n]) continue;
        const NodeSpec& spec = sc.nodes[n];
        for (const ServiceSpec& s : spec.services) hosts[n]->add_application(service(*hosts[n], static_cast<int>(n), s));
        if (frames) hosts[n]->add_application(std::make_unique<FrameSink>(*hosts[n]));
        // A host with a DNS server, or one a lease may name, has a resolver.
        if (spec.dns || spec.dhcp)
            resolvers[n] = static_cast<Resolver*>(&hosts[n]->add_application(std::make_unique<Resolver>(
                *hosts[n], spec.dns.value_or(net::Ipv4Address()), hosts[n]->rng(fmt::format("resolver/{}", n)))));
        if (spec.dhcp)
            leases[n] = static_cast<DhcpClient*>(&hosts[n]->add_application(std::make_unique<DhcpClient>(
                *hosts[n], spec.interfaces.front().mac, resolvers[n], hosts[n]->rng(fmt::format("dhcp-client/{}", n)))));
    }
    for (std::size_t f = 0; f < sc.traffic.size(); ++f) {
        const TrafficSpec& t = sc.traffic[f];
        const auto from_index = static_cast<std::size_t>(t.from);
        Host* from = hosts[from_index];
        if (!from) continue;
        const int flow = static_cast<int>(f);
        DhcpClient* to_lease = t.to_lease ? leases[static_cast<std::size_t>(t.to_node)] : nullptr;
        if (t.to_name.empty() && !leases[from_index] && !to_lease) {
            from->add_application(sender(*from, flow, t));
            continue;
        }
        // The loader gives a host that sends to a name a resolver.
        from->add_application(std::make_unique<DeferredFlow>(
            *from, resolvers[from_index], leases[from_index], to_lease, flow, t,
            [from, flow](const TrafficSpec& started) { return sender(*from, flow, started); }));
    }
}

}  // namespace hopsim::sim
