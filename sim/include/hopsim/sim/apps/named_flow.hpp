#pragma once
// A traffic item whose "to" is a DNS name: at its start it asks the host's
// resolver, then starts the ping, datagrams, connection or traceroute to
// the address answered, as a program calls getaddrinfo() first. A failed
// lookup fails the flow with the resolver's reason ("NXDOMAIN") and sends
// nothing else.

#include <memory>

#include "hopsim/sim/apps/resolver.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

class Host;

class NamedFlow final : public Application {
public:
    // `make` builds the sender for the resolved item, which the host then runs.
    using Make = std::function<std::unique_ptr<Application>(const TrafficSpec&)>;
    NamedFlow(Host& host, Resolver& resolver, int flow, const TrafficSpec& t, Make make)
        : host_(host), resolver_(resolver), flow_(flow), t_(t), make_(std::move(make)) {}
    void start() override;
    void on_timer(std::uint64_t token) override;

private:
    void resolved(const Resolution& r);

    Host& host_;
    Resolver& resolver_;
    const int flow_;
    const TrafficSpec& t_;
    Make make_;
    TrafficSpec resolved_;  // the item with the address: the sender's, for the rest of the run
};

}  // namespace hopsim::sim
