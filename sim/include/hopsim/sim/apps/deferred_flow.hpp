#pragma once
// A traffic item that cannot start at once: on a host that waits for its
// DHCP lease, "to" a DNS name, and/or to a host that takes its address from
// DHCP. At its start it waits for the lease (if the host has none yet), asks
// the host's resolver (for a name) or waits for the destination's lease,
// then starts the ordinary ping, datagrams, connection or traceroute, as a
// program that calls getaddrinfo() first would. A failed lookup fails the
// flow with the resolver's reason ("NXDOMAIN") and sends nothing else; while
// it waits for a lease the flow reads as failed for that reason, so a run
// that ends first says why nothing was sent.

#include <functional>
#include <memory>

#include "hopsim/sim/apps/resolver.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

class DhcpClient;
class Host;

class DeferredFlow final : public Application {
public:
    // `make` builds the sender for the item as it finally starts, which the host then runs.
    using Make = std::function<std::unique_ptr<Application>(const TrafficSpec&)>;
    DeferredFlow(Host& host, Resolver* resolver, DhcpClient* lease, DhcpClient* to_lease, int flow,
                 const TrafficSpec& t, Make make)
        : host_(host), resolver_(resolver), lease_(lease), to_lease_(to_lease), flow_(flow), t_(t), make_(std::move(make)) {}
    void start() override;
    void on_timer(std::uint64_t token) override;

private:
    void leased();
    void resolved(const Resolution& r);
    void destination_leased();
    void begin(net::Ipv4Address to, int to_node);

    Host& host_;
    Resolver* resolver_;  // when "to" is a name
    DhcpClient* lease_;   // when the host takes its address from DHCP
    DhcpClient* to_lease_;  // when the destination does
    const int flow_;
    const TrafficSpec& t_;
    Make make_;
    TrafficSpec started_;  // the item as it starts: the sender's, for the rest of the run
};

}  // namespace hopsim::sim
