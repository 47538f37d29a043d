#include "hopsim/sim/tcp_connection.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::sim {

namespace fl = net::tcp_flag;

const char* to_string(Retransmit r) {
    switch (r) {
        case Retransmit::No: return "no";
        case Retransmit::Timeout: return "rto";
        case Retransmit::Fast: return "fast";
        case Retransmit::PartialAck: return "partial-ack";
        case Retransmit::PathMtu: return "pmtu";
    }
    return "?";
}

const char* retransmit_cause_text(std::string_view cause) {
    if (cause == "rto") return "the retransmission timer expired";
    if (cause == "fast") return "three duplicate ACKs (fast retransmit)";
    if (cause == "partial-ack") return "a partial ACK in fast recovery showed the next hole";
    if (cause == "pmtu") return "a router said the segment is too big for the path (fragmentation needed)";
    return "?";
}

std::string ssthresh_text(std::uint32_t ssthresh) {
    return ssthresh >= 0x7fffffff ? std::string("infinite") : std::to_string(ssthresh);
}

TcpConnection::TcpConnection(TcpEnv& env, TcpEndpoints ends, std::uint32_t iss, std::uint16_t mss, int flow, int id)
    : env_(env), ends_(ends), flow_(flow), id_(id), iss_(iss), snd_una_(iss), snd_nxt_(iss), sbuf_seq_(iss + 1),
      adv_mss_(mss), mss_(mss), cc_(std::make_unique<NewReno>(mss)) {}

// As Linux offers it without window scaling: at first the largest multiple
// of our MSS that fits in 16 bits (tcp_select_initial_window: 64240 for an
// MSS of 1460), all 65535 once data arrives (tcp_grow_window raises the
// threshold by two MSS at the first full-sized segment). Linux then sizes it
// from its buffer accounting, which is not modelled: the reader here always
// reads at once, and a segment smaller than ~900 bytes leaves Linux's window
// where it was (the comparison with the kernel compares SYN windows only).
std::uint16_t TcpConnection::receive_window() const {
    return static_cast<std::uint16_t>(data_received_ ? kWindow : kWindow / adv_mss_ * adv_mss_);
}

std::string TcpConnection::name() const {
    return fmt::format("{}:{}>{}:{}", ends_.local_ip.to_string(), ends_.local_port, ends_.remote_ip.to_string(),
                       ends_.remote_port);
}

void TcpConnection::on(TcpEvent event, SimTime now) {
    const auto next = tcp_transition(state_, event);
    if (!next || *next == state_) return;
    const TcpState from = state_;
    state_ = *next;
    env_.tcp_state(*this, from, state_);
    if (state_ == TcpState::TimeWait) env_.tcp_arm_timer(*this, now + kTimeWait);
    else if (state_ == TcpState::Closed) env_.tcp_arm_timer(*this, SimTime::max());
}

std::size_t TcpConnection::unsent() const {
    const std::uint32_t end = data_end();
    return seq_lt(snd_nxt_, end) ? end - snd_nxt_ : 0;
}

void TcpConnection::window_changed() {
    if (cc_->cwnd() == told_cwnd_ && cc_->ssthresh() == told_ssthresh_) return;
    told_cwnd_ = cc_->cwnd();
    told_ssthresh_ = cc_->ssthresh();
    env_.tcp_window(*this);
}

void TcpConnection::send_segment(std::uint32_t seq, std::uint8_t flags, net::Bytes payload, Retransmit why) {
    net::TcpHeader h;
    h.src_port = ends_.local_port;
    h.dst_port = ends_.remote_port;
    h.seq = seq;
    h.ack = (flags & fl::kAck) ? rcv_nxt_ : 0;
    h.flags = flags;
    h.window = receive_window();
    if (flags & fl::kSyn) h.options.mss = adv_mss_;
    ++segments_sent_;
    if (why != Retransmit::No) ++retransmissions_;
    env_.tcp_send(*this, h, payload, why);
}

void TcpConnection::send_syn(Retransmit why) {
    const bool syn_ack = state_ == TcpState::SynReceived;
    send_segment(iss_, syn_ack ? fl::kSyn | fl::kAck : fl::kSyn, {}, why);
}

void TcpConnection::arm(SimTime now) {
    const bool idle = snd_una_ == snd_nxt_ && state_ != TcpState::SynSent && state_ != TcpState::SynReceived;
    env_.tcp_arm_timer(*this, idle ? SimTime::max() : now + rtt_.rto());
}

void TcpConnection::connect(SimTime now) {
    on(TcpEvent::ActiveOpen, now);
    send_syn(Retransmit::No);
    snd_nxt_ = snd_max_ = iss_ + 1;
    rtt_.start_timing(snd_nxt_, now);  // the SYN gives the first sample
    arm(now);
}

void TcpConnection::accept_syn(const net::TcpView& syn, SimTime now) {
    irs_ = syn.seq();
    rcv_nxt_ = irs_ + 1;
    if (syn.options().mss) mss_ = std::min(mss_, *syn.options().mss);
    cc_->start(mss_);
    window_changed();
    snd_wnd_ = syn.window();
    // The connection is the listening socket's child: it starts where the
    // listener is (LISTEN, whose event the listener reported) and moves on.
    state_ = TcpState::Listen;
    on(TcpEvent::SynReceived, now);
    send_syn(Retransmit::No);
    snd_nxt_ = snd_max_ = iss_ + 1;
    arm(now);
}

void TcpConnection::release(std::size_t n) {
    sbuf_seq_ += static_cast<std::uint32_t>(n);
    if (src_) {
        src_off_ += n;
        return;
    }
    sbuf_head_ += n;
    // Compact now and then, not at every ACK: erasing the front of a large
    // buffer per ACK made a 100 MB transfer quadratic.
    if (sbuf_head_ > 65536 && sbuf_head_ * 2 > sbuf_.size()) {
        sbuf_.erase(sbuf_.begin(), sbuf_.begin() + static_cast<long>(sbuf_head_));
        sbuf_head_ = 0;
    }
}

void TcpConnection::write(net::Bytes data, SimTime now) {
    if (src_) {  // copies after a borrowed payload: the rest of it becomes copies too
        sbuf_.erase(sbuf_.begin(), sbuf_.begin() + static_cast<long>(sbuf_head_));
        sbuf_head_ = 0;
        for (std::size_t at = src_off_; at < src_->size(); at += Payload::kMaxSlice) {
            const net::Bytes s = src_->slice(at, std::min(Payload::kMaxSlice, src_->size() - at));
            sbuf_.insert(sbuf_.end(), s.begin(), s.end());
        }
        src_ = nullptr;
    }
    sbuf_.insert(sbuf_.end(), data.begin(), data.end());
    push(now);
}

void TcpConnection::write(const Payload& data, SimTime now) {
    if (src_ || sbuf_len() > 0) {  // behind other bytes: queue copies
        for (std::size_t at = 0; at < data.size(); at += Payload::kMaxSlice)
            write(data.slice(at, std::min(Payload::kMaxSlice, data.size() - at)), now);
        return;
    }
    sbuf_.clear();
    sbuf_head_ = 0;
    src_ = &data;
    src_off_ = 0;
    push(now);
}

void TcpConnection::close(SimTime now) {
    if (fin_queued_) return;
    fin_queued_ = true;
    push(now);
}

void TcpConnection::push(SimTime now) {
    if (!may_send(state_)) return;
    const std::uint32_t wnd = std::max<std::uint32_t>(std::min(cc_->cwnd(), snd_wnd_), 1);
    const std::uint32_t end = data_end();
    bool sent = false;
    while (in_flight() < wnd && seq_lt(snd_nxt_, end)) {
        const std::size_t off = snd_nxt_ - sbuf_seq_;
        const std::size_t n = std::min<std::size_t>({mss_, end - snd_nxt_, wnd - in_flight()});
        const bool last = snd_nxt_ + n == end;
        // Sender-side silly window avoidance (RFC 9293 3.8.6.2.1): no runt
        // segment while more data waits, unless nothing is in flight.
        if (n < mss_ && !last && in_flight() > 0) break;
        // Below the highest sequence sent only after a timeout or a smaller path MTU went back.
        const bool again = seq_lt(snd_nxt_, snd_max_);
        send_segment(snd_nxt_, last ? fl::kAck | fl::kPsh : fl::kAck, unacked(off, n), again ? going_back_ : Retransmit::No);
        if (!again) rtt_.start_timing(snd_nxt_ + static_cast<std::uint32_t>(n), now);
        snd_nxt_ += static_cast<std::uint32_t>(n);
        if (seq_lt(snd_max_, snd_nxt_)) snd_max_ = snd_nxt_;
        sent = true;
    }
    // The FIN follows the last byte, once everything before it has been sent.
    const bool fin_pending = fin_queued_ && snd_nxt_ == end && seq_le(snd_una_, end);
    if (fin_pending) {
        const bool again = seq_lt(snd_nxt_, snd_max_);
        send_segment(snd_nxt_, fl::kFin | fl::kAck, {}, again ? going_back_ : Retransmit::No);
        snd_nxt_ += 1;
        if (seq_lt(snd_max_, snd_nxt_)) snd_max_ = snd_nxt_;
        on(TcpEvent::FinSent, now);
        sent = true;
    }
    if (sent) arm(now);
}

void TcpConnection::retransmit_first(SimTime now, Retransmit why) {
    const std::uint32_t end = data_end();
    rtt_.cancel_timing();  // Karn: no RTT sample from a retransmitted range
    if (seq_lt(snd_una_, end)) {
        const std::size_t off = snd_una_ - sbuf_seq_;
        const std::size_t n = std::min<std::size_t>(mss_, end - snd_una_);
        send_segment(snd_una_, fl::kAck, unacked(off, n), why);
    } else if (fin_queued_) {
        send_segment(snd_una_, fl::kFin | fl::kAck, {}, why);
    }
    arm(now);
}

void TcpConnection::on_timer(SimTime now) {
    if (state_ == TcpState::TimeWait) return on(TcpEvent::TimeWaitOver, now);
    if (state_ == TcpState::Closed) return;
    const bool handshake = state_ == TcpState::SynSent || state_ == TcpState::SynReceived;
    if (snd_una_ == snd_nxt_ && !handshake) return;
    const int limit = state_ == TcpState::SynSent ? kMaxSynRetries : state_ == TcpState::SynReceived ? kMaxSynAckRetries : kMaxRetries;
    if (++retries_ > limit) {
        error_ = TcpError::TimedOut;
        return on(TcpEvent::GiveUp, now);
    }
    rtt_.back_off();
    rtt_.cancel_timing();
    if (handshake) {
        send_syn(Retransmit::Timeout);
        return arm(now);
    }
    // Go back to the first unacknowledged byte and resend from there as the
    // window grows again.
    cc_->on_timeout(static_cast<std::uint32_t>(in_flight()), snd_max_);
    window_changed();
    going_back_ = Retransmit::Timeout;
    snd_nxt_ = snd_una_;
    push(now);
    arm(now);
}

// As Linux (tcp_v4_mtu_reduced, tcp_simple_retransmit): smaller segments
// from now on, and what is in flight sent again at once in the new size; the
// congestion window stays (no data was lost to congestion, the unit changed).
void TcpConnection::path_mtu_reduced(std::uint16_t mss, SimTime now) {
    if (mss >= mss_) return;
    mss_ = mss;
    if (!may_send(state_) || snd_una_ == snd_nxt_) return;
    rtt_.cancel_timing();  // Karn
    going_back_ = Retransmit::PathMtu;
    snd_nxt_ = snd_una_;
    push(now);
}

// RFC 9293 3.10.7 with RFC 5961 3.2, as Linux does it: in SYN_SENT a reset
// counts if it acknowledges our SYN; otherwise only one at exactly RCV.NXT
// closes the connection, one elsewhere in the window earns a "challenge" ACK
// (a blind attacker cannot guess RCV.NXT), and one outside it is dropped.
void TcpConnection::handle_reset(const net::TcpView& seg, SimTime now) {
    if (state_ == TcpState::SynSent) {
        if (seg.has(fl::kAck) && seg.ack() == iss_ + 1) {
            error_ = TcpError::Refused;
            on(TcpEvent::Reset, now);
        }
        return;
    }
    if (state_ == TcpState::Closed || state_ == TcpState::Listen) return;
    if (seg.seq() == rcv_nxt_) {
        error_ = TcpError::Reset;
        return on(TcpEvent::Reset, now);
    }
    if (seq_lt(rcv_nxt_, seg.seq()) && seq_lt(seg.seq(), rcv_nxt_ + receive_window())) send_ack();
}

bool TcpConnection::is_duplicate_ack(const net::TcpView& seg, std::uint32_t previous_window) const {
    return in_flight() > 0                                          // (a) data outstanding
           && seg.payload().empty()                                 // (b) no data carried
           && !seg.has(fl::kSyn) && !seg.has(fl::kFin)              // (c) neither SYN nor FIN
           && seg.ack() == snd_una_                                 // (d) the highest ACK seen so far
           && seg.window() == previous_window;                      // (e) the same window
}

void TcpConnection::handle_ack(const net::TcpView& seg, SimTime now) {
    const std::uint32_t ack = seg.ack();
    if (seq_lt(snd_max_, ack)) return send_ack();  // acknowledges what we never sent
    const std::uint32_t previous_window = snd_wnd_;
    snd_wnd_ = seg.window();
    if (seq_lt(snd_una_, ack)) {
        const AckContext a{ack, ack - snd_una_, static_cast<std::uint32_t>(in_flight()), snd_max_};
        rtt_.on_ack(ack, now);
        snd_una_ = ack;
        retries_ = 0;
        if (seq_lt(snd_nxt_, snd_una_)) snd_nxt_ = snd_una_;
        // Drop acknowledged bytes (the FIN's sequence number is not in the buffer).
        const std::uint32_t done = seq_lt(data_end(), ack) ? data_end() : ack;
        if (seq_lt(sbuf_seq_, done)) release(done - sbuf_seq_);
        const Resend resend = cc_->on_new_ack(a);
        window_changed();
        if (resend == Resend::FirstUnacked) retransmit_first(now, Retransmit::PartialAck);
        if (fin_queued_ && snd_una_ == data_end() + 1) {
            on(TcpEvent::FinAcked, now);
            if (state_ == TcpState::TimeWait || state_ == TcpState::Closed) return;
        }
        arm(now);
    } else if (is_duplicate_ack(seg, previous_window)) {
        const AckContext a{ack, 0, static_cast<std::uint32_t>(in_flight()), snd_max_};
        const Resend resend = cc_->on_duplicate_ack(a);
        window_changed();
        if (resend == Resend::FirstUnacked) retransmit_first(now, Retransmit::Fast);
    }
    push(now);
}

void TcpConnection::handle_data(const net::TcpView& seg, SimTime now) {
    const net::Bytes data = seg.payload();
    const bool fin = seg.has(fl::kFin);
    if (data.empty() && !fin) return;
    std::uint32_t seq = seg.seq();
    // What goes up to the application: the segment's new bytes, then
    // whatever waited behind the hole it fills (rare: moved out of the map).
    net::Bytes fresh;
    std::vector<std::vector<std::uint8_t>> behind;
    if (!data.empty()) {
        data_received_ = true;
        if (seq_lt(rcv_nxt_, seq)) {
            out_of_order_.try_emplace(seq, data.begin(), data.end());
        } else if (seq_lt(rcv_nxt_, seq + static_cast<std::uint32_t>(data.size()))) {
            fresh = data.subspan(rcv_nxt_ - seq);  // part of it may have arrived before
            rcv_nxt_ += static_cast<std::uint32_t>(fresh.size());
            for (auto it = out_of_order_.begin(); it != out_of_order_.end() && seq_le(it->first, rcv_nxt_);) {
                const std::uint32_t end = it->first + static_cast<std::uint32_t>(it->second.size());
                if (seq_lt(rcv_nxt_, end)) {
                    behind.push_back(std::move(it->second));
                    behind.back().erase(behind.back().begin(), behind.back().begin() + (rcv_nxt_ - it->first));
                    rcv_nxt_ = end;
                }
                it = out_of_order_.erase(it);
            }
        }
    }
    const std::uint32_t fin_seq = seq + static_cast<std::uint32_t>(data.size());
    const bool closing = fin && fin_seq == rcv_nxt_ && !fin_received_;
    if (closing) {
        fin_received_ = true;
        rcv_nxt_ += 1;
        on(TcpEvent::FinReceived, now);
    }
    // The ACK leaves before the application reads (Linux acknowledges in the
    // softirq, the reader runs after), so what it writes back carries it.
    send_ack();  // every segment, and a duplicate ACK for one out of order
    if (!fresh.empty()) env_.tcp_deliver(*this, fresh);
    for (const auto& b : behind) env_.tcp_deliver(*this, b);
    if (closing) env_.tcp_peer_closed(*this);
}

void TcpConnection::on_segment(const net::TcpView& seg, SimTime now) {
    if (seg.has(fl::kRst)) return handle_reset(seg, now);
    switch (state_) {
        case TcpState::Closed:
        case TcpState::Listen: return;
        case TcpState::SynSent:
            if (!seg.has(fl::kSyn) || !seg.has(fl::kAck) || seg.ack() != iss_ + 1) return;
            irs_ = seg.seq();
            rcv_nxt_ = irs_ + 1;
            snd_una_ = seg.ack();
            snd_max_ = snd_nxt_;
            snd_wnd_ = seg.window();
            if (seg.options().mss) mss_ = std::min(mss_, *seg.options().mss);
            cc_->start(mss_);
            window_changed();
            rtt_.on_ack(seg.ack(), now);  // no sample if the SYN was resent (Karn)
            retries_ = 0;
            on(TcpEvent::SynAcked, now);
            send_ack();
            push(now);
            return arm(now);
        case TcpState::SynReceived:
            if (!seg.has(fl::kAck) || seg.ack() != iss_ + 1) return;
            snd_una_ = seg.ack();
            snd_max_ = snd_nxt_;
            retries_ = 0;
            on(TcpEvent::SynAcked, now);
            handle_data(seg, now);
            push(now);
            return arm(now);
        default:
            if (seg.has(fl::kSyn)) return send_ack();  // our ACK of their SYN was lost
            if (seg.has(fl::kAck)) handle_ack(seg, now);
            if (state_ != TcpState::Closed) handle_data(seg, now);
    }
}

}  // namespace hopsim::sim
