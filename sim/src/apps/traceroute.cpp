#include "hopsim/sim/apps/traceroute.hpp"

#include "hopsim/netstack/icmp.hpp"
#include "hopsim/sim/apps/ping.hpp"
#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void Traceroute::start() {
    socket_ = t_.icmp_probes ? stack_.icmp_open(*this, Ping::identifier(flow_)) : stack_.udp_bind(*this, 0);
    stack_.set_timer(*this, t_.at, 0);  // token 0: the first probe
}

void Traceroute::on_timer(std::uint64_t token) {
    if (token == 0) return send_probe();
    if (done_ || token != generation_) return;  // answered in time
    stack_.ledger().probe_unanswered(flow_, ttl_);
    next_probe();
}

void Traceroute::send_probe() {
    stack_.ledger().sent(flow_, t_.payload.size(), stack_.now());
    probe_sent_ = stack_.now();
    generation_++;
    const SendOptions o{ttl_, t_.df, flow_};
    if (t_.icmp_probes) stack_.icmp_echo(socket_, t_.to_ip, static_cast<std::uint16_t>(seq_ + 1), t_.payload.bytes(), o);
    else stack_.udp_send(socket_, t_.to_ip, static_cast<std::uint16_t>(kFirstPort + seq_), t_.payload.bytes(), o);
    stack_.set_timer(*this, stack_.now() + t_.wait, generation_);
}

bool Traceroute::on_icmp_error(SocketId, const IcmpError& e) {
    if (done_) return false;
    const bool ours = t_.icmp_probes ? e.quoted_seq == seq_ + 1 : e.quoted_dst_port == kFirstPort + seq_;
    if (!ours) return false;
    answered(e.from, e.type == net::kIcmpDestUnreachable && e.code == net::kIcmpPortUnreachable);
    return true;
}

void Traceroute::on_echo_reply(SocketId, const Received& r) {
    if (!done_ && r.seq == seq_ + 1) answered(r.src, true);
}

void Traceroute::answered(net::Ipv4Address from, bool reached) {
    stack_.ledger().probe_answered(flow_, {ttl_, from.to_u32(), stack_.now() - probe_sent_, reached}, stack_.now());
    reached_ |= reached;
    next_probe();
}

void Traceroute::next_probe() {
    generation_++;  // the pending timeout no longer applies
    seq_++;
    if (++probe_ < t_.probes) return send_probe();
    if (reached_ || ttl_ >= t_.max_ttl) {
        done_ = true;
        return;
    }
    ttl_++;
    probe_ = 0;
    send_probe();
}

}  // namespace hopsim::sim
