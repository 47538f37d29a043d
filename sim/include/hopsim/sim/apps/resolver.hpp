#pragma once
// A host's stub resolver, as glibc's: A queries over UDP to the one DNS
// server the host is given ("dns"), from one ephemeral port, each query with
// recursion desired; no answer in 5 s asks again, and after the second try
// the lookup fails (glibc's RES_TIMEOUT and RES_DFLRETRY). An ICMP port
// unreachable from the server ends an attempt at once (glibc's connected
// socket sees ECONNREFUSED) and the next goes out. Unlike glibc
// alone (nscd or systemd-resolved would), answers are kept for their TTL, so
// a second lookup of the name within it sends nothing. NXDOMAIN and other
// failures are not kept.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

struct Resolution {
    bool ok = false;
    net::Ipv4Address address;
    std::uint32_t ttl = 0;    // seconds left
    bool cached = false;      // answered from the cache, nothing sent
    const char* why = "";     // a failure: "NXDOMAIN", "SERVFAIL", "no answer from the DNS server", ...
};

class Resolver final : public Application {
public:
    using Callback = std::function<void(const Resolution&)>;
    Resolver(SocketApi& stack, net::Ipv4Address server, Rng rng) : stack_(stack), server_(server), rng_(std::move(rng)) {}

    // The server to ask from now on (a DHCP lease's; unspecified: none yet).
    void set_server(net::Ipv4Address server) { server_ = server; }

    // Calls `done` with the answer, at once from the cache or when it comes.
    // `flow` tags the query and its answer in the trace.
    void resolve(const std::string& name, int flow, Callback done);

    void on_timer(std::uint64_t id) override;
    void on_datagram(SocketId s, const Received& r) override;
    bool on_icmp_error(SocketId s, const IcmpError& e) override;

    static constexpr SimTime kTimeout = SimTime::s(5);
    static constexpr int kAttempts = 2;

private:
    struct Query {
        std::string name;
        int flow = -1;
        int attempts = 0;
        SimTime sent_at;  // the latest attempt's
        std::vector<Callback> waiting;
    };
    struct Cached {
        net::Ipv4Address address;
        SimTime expires;
    };
    void send(std::uint16_t id, Query& q);
    void attempt_failed(std::uint16_t id, const char* why);
    void finish(std::uint16_t id, const Resolution& r);

    SocketApi& stack_;
    net::Ipv4Address server_;
    Rng rng_;
    SocketId socket_ = kNoSocket;
    std::map<std::uint16_t, Query> pending_;  // by query id
    std::map<std::string, Cached> cache_;
};

}  // namespace hopsim::sim
