#pragma once
// traceroute: one probe at a time, `probes` per TTL from 1, until the
// destination answers or max_ttl is reached. Classic UDP probes go from an
// ephemeral port to 33434 + n (n counting every probe, as traceroute does)
// and are answered by ICMP time exceeded on the way and port unreachable at
// the end; ICMP probes (traceroute -I) are echo requests answered by time
// exceeded and finally an echo reply. A probe unanswered after `wait` is a
// "*".

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/socket_api.hpp"

namespace hopsim::sim {

class Traceroute final : public Application {
public:
    static constexpr std::uint16_t kFirstPort = 33434;

    Traceroute(SocketApi& stack, int flow, const TrafficSpec& t) : stack_(stack), flow_(flow), t_(t) {}
    void start() override;
    void on_timer(std::uint64_t token) override;
    bool on_icmp_error(SocketId s, const IcmpError& e) override;
    void on_echo_reply(SocketId s, const Received& r) override;

private:
    void send_probe();
    void answered(net::Ipv4Address from, bool reached);
    void next_probe();

    SocketApi& stack_;
    const int flow_;
    const TrafficSpec& t_;
    SocketId socket_ = kNoSocket;
    int ttl_ = 1, probe_ = 0, seq_ = 0;  // seq_: probes sent before this one
    SimTime probe_sent_;
    std::uint64_t generation_ = 0;  // the timeout that still applies (timer tokens from 1)
    bool reached_ = false, done_ = false;
};

}  // namespace hopsim::sim
