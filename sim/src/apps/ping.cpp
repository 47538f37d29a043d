#include "hopsim/sim/apps/ping.hpp"

#include <algorithm>

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

Ping::Ping(SocketApi& stack, int flow, const TrafficSpec& t)
    : PeriodicSender(stack, flow, t), sent_at_(static_cast<std::size_t>(std::clamp(t.count, 1, 65536))) {}

void Ping::open() { socket_ = stack_.icmp_open(*this, identifier(flow_)); }

void Ping::send(int repetition) {
    const auto seq = static_cast<std::uint16_t>(repetition + 1);
    stack_.ledger().sent(flow_, t_.payload.size(), stack_.now());
    sent_at_[seq % sent_at_.size()] = stack_.now();
    stack_.icmp_echo(socket_, t_.to_ip, seq, t_.payload.bytes(), {t_.ttl, t_.df, flow_});
}

void Ping::on_echo_reply(SocketId, const Received& r) {
    FlowLedger& ledger = stack_.ledger();
    ledger.delivered(flow_, r.data, stack_.now());
    ledger.round_trip(flow_, stack_.now() - sent_at_[r.seq % sent_at_.size()], r.ttl);
    stack_.trace_delivery(r, r.data.size());
}

}  // namespace hopsim::sim
