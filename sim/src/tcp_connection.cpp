#include "hopsim/sim/tcp_connection.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::sim {

namespace fl = net::tcp_flag;

const char* to_string(TcpState s) {
    switch (s) {
        case TcpState::Closed: return "CLOSED";
        case TcpState::Listen: return "LISTEN";
        case TcpState::SynSent: return "SYN_SENT";
        case TcpState::SynReceived: return "SYN_RECEIVED";
        case TcpState::Established: return "ESTABLISHED";
        case TcpState::FinWait1: return "FIN_WAIT_1";
        case TcpState::FinWait2: return "FIN_WAIT_2";
        case TcpState::CloseWait: return "CLOSE_WAIT";
        case TcpState::Closing: return "CLOSING";
        case TcpState::LastAck: return "LAST_ACK";
        case TcpState::TimeWait: return "TIME_WAIT";
    }
    return "?";
}

TcpConnection::TcpConnection(TcpEnv& env, TcpEndpoints ends, std::uint32_t iss, std::uint16_t mss, int flow, int id)
    : env_(env), ends_(ends), flow_(flow), id_(id), iss_(iss), snd_una_(iss), snd_nxt_(iss), sbuf_seq_(iss + 1),
      mss_(mss), cwnd_(static_cast<std::uint32_t>(kInitialWindowSegments) * mss) {}

std::string TcpConnection::name() const {
    return fmt::format("{}:{}>{}:{}", ends_.local_ip.to_string(), ends_.local_port, ends_.remote_ip.to_string(),
                       ends_.remote_port);
}

void TcpConnection::set_state(TcpState s) {
    if (s == state_) return;
    const TcpState from = state_;
    state_ = s;
    env_.tcp_state(*this, from, s);
}

std::size_t TcpConnection::unsent() const {
    const std::uint32_t end = sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len());
    return seq_lt(snd_nxt_, end) ? end - snd_nxt_ : 0;
}

void TcpConnection::send_segment(std::uint32_t seq, std::uint8_t flags, net::Bytes payload, bool retransmission) {
    net::TcpHeader h;
    h.src_port = ends_.local_port;
    h.dst_port = ends_.remote_port;
    h.seq = seq;
    h.ack = (flags & fl::kAck) ? rcv_nxt_ : 0;
    h.flags = flags;
    h.window = static_cast<std::uint16_t>(kWindow);
    if (flags & fl::kSyn) h.options.mss = mss_;
    ++segments_sent_;
    if (retransmission) ++retransmissions_;
    env_.tcp_send(*this, h, payload, retransmission);
}

void TcpConnection::send_syn(bool retransmission) {
    const bool syn_ack = state_ == TcpState::SynReceived;
    send_segment(iss_, syn_ack ? fl::kSyn | fl::kAck : fl::kSyn, {}, retransmission);
}

void TcpConnection::arm(SimTime now) {
    const bool idle = snd_una_ == snd_nxt_ && state_ != TcpState::SynSent && state_ != TcpState::SynReceived;
    env_.tcp_arm_timer(*this, idle ? SimTime::max() : now + rto_);
}

void TcpConnection::connect(SimTime now) {
    set_state(TcpState::SynSent);
    send_syn(false);
    snd_nxt_ = snd_max_ = iss_ + 1;
    timed_at_ = now;
    arm(now);
}

void TcpConnection::accept_syn(const net::TcpView& syn, SimTime now) {
    irs_ = syn.seq();
    rcv_nxt_ = irs_ + 1;
    if (syn.options().mss) mss_ = std::min(mss_, *syn.options().mss);
    cwnd_ = static_cast<std::uint32_t>(kInitialWindowSegments) * mss_;
    snd_wnd_ = syn.window();
    set_state(TcpState::Listen);
    set_state(TcpState::SynReceived);
    send_syn(false);
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
    if (state_ != TcpState::Established && state_ != TcpState::CloseWait && state_ != TcpState::FinWait1 &&
        state_ != TcpState::LastAck && state_ != TcpState::Closing)
        return;
    const std::uint32_t wnd = std::max<std::uint32_t>(std::min(cwnd_, snd_wnd_), 1);
    const std::uint32_t data_end = sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len());
    bool sent = false;
    while (in_flight() < wnd && seq_lt(snd_nxt_, data_end)) {
        const std::size_t off = snd_nxt_ - sbuf_seq_;
        const std::size_t n = std::min<std::size_t>({mss_, data_end - snd_nxt_, wnd - in_flight()});
        const bool last = snd_nxt_ + n == data_end;
        // Sender-side silly window avoidance (RFC 9293 3.8.6.2.1): no runt
        // segment while more data waits, unless nothing is in flight.
        if (n < mss_ && !last && in_flight() > 0) break;
        const bool again = seq_lt(snd_nxt_, snd_max_);
        send_segment(snd_nxt_, last ? fl::kAck | fl::kPsh : fl::kAck, unacked(off, n), again);
        if (!timing_ && !again) {
            timing_ = true;
            timed_seq_ = snd_nxt_ + static_cast<std::uint32_t>(n);
            timed_at_ = now;
        }
        snd_nxt_ += static_cast<std::uint32_t>(n);
        if (seq_lt(snd_max_, snd_nxt_)) snd_max_ = snd_nxt_;
        sent = true;
    }
    // The FIN follows the last byte, once everything before it has been sent.
    const bool fin_pending = fin_queued_ && snd_nxt_ == data_end && seq_le(snd_una_, data_end);
    if (fin_pending && (state_ == TcpState::Established || state_ == TcpState::CloseWait ||
                        state_ == TcpState::FinWait1 || state_ == TcpState::LastAck || state_ == TcpState::Closing)) {
        const bool again = seq_lt(snd_nxt_, snd_max_);
        send_segment(snd_nxt_, fl::kFin | fl::kAck, {}, again);
        snd_nxt_ += 1;
        if (seq_lt(snd_max_, snd_nxt_)) snd_max_ = snd_nxt_;
        if (state_ == TcpState::Established) set_state(TcpState::FinWait1);
        else if (state_ == TcpState::CloseWait) set_state(TcpState::LastAck);
        sent = true;
    }
    if (sent) arm(now);
}

void TcpConnection::retransmit_first(SimTime now) {
    const std::uint32_t data_end = sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len());
    timing_ = false;  // Karn: no RTT sample from a retransmitted range
    if (seq_lt(snd_una_, data_end)) {
        const std::size_t off = snd_una_ - sbuf_seq_;
        const std::size_t n = std::min<std::size_t>(mss_, data_end - snd_una_);
        send_segment(snd_una_, fl::kAck, unacked(off, n), true);
    } else if (fin_queued_) {
        send_segment(snd_una_, fl::kFin | fl::kAck, {}, true);
    }
    arm(now);
}

void TcpConnection::on_timer(SimTime now) {
    if (state_ == TcpState::TimeWait) return set_state(TcpState::Closed);
    if (state_ == TcpState::Closed) return;
    if (snd_una_ == snd_nxt_ && state_ != TcpState::SynSent && state_ != TcpState::SynReceived) return;
    if (++retries_ > kMaxRetries) return set_state(TcpState::Closed);
    rto_ = std::min(rto_ * 2, kMaxRto);  // RFC 6298 5.5: back off
    timing_ = false;
    if (state_ == TcpState::SynSent || state_ == TcpState::SynReceived) {
        send_syn(true);
        return arm(now);
    }
    // RFC 5681: one segment of window, ssthresh half the flight; go back to
    // the first unacknowledged byte and resend from there as the window grows.
    ssthresh_ = std::max<std::uint32_t>(static_cast<std::uint32_t>(in_flight()) / 2, 2u * mss_);
    cwnd_ = mss_;
    in_recovery_ = false;
    dupacks_ = 0;
    snd_nxt_ = snd_una_;
    push(now);
    arm(now);
}

void TcpConnection::handle_ack(const net::TcpView& seg, SimTime now) {
    const std::uint32_t ack = seg.ack();
    if (seq_lt(snd_max_, ack)) return send_ack();  // acknowledges what we never sent
    const std::uint32_t prev_wnd = snd_wnd_;
    snd_wnd_ = seg.window();
    if (seq_lt(snd_una_, ack)) {
        const std::uint32_t acked = ack - snd_una_;
        if (timing_ && seq_le(timed_seq_, ack)) {  // RFC 6298 section 2
            const SimTime r = now - timed_at_;
            if (!have_rtt_) {
                srtt_ = r;
                rttvar_ = SimTime::ns(r.count() / 2);
                have_rtt_ = true;
            } else {
                const std::int64_t err = std::abs(srtt_.count() - r.count());
                rttvar_ = SimTime::ns((3 * rttvar_.count() + err) / 4);
                srtt_ = SimTime::ns((7 * srtt_.count() + r.count()) / 8);
            }
            rto_ = std::clamp(srtt_ + std::max(SimTime::us(1), rttvar_ * 4), kMinRto, kMaxRto);
            timing_ = false;
        }
        snd_una_ = ack;
        retries_ = 0;
        if (seq_lt(snd_nxt_, snd_una_)) snd_nxt_ = snd_una_;
        // Drop acknowledged bytes (the FIN's sequence number is not in the buffer).
        const std::uint32_t data_end = sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len());
        const std::uint32_t done = seq_lt(data_end, ack) ? data_end : ack;
        if (seq_lt(sbuf_seq_, done)) release(done - sbuf_seq_);
        if (in_recovery_) {
            if (seq_le(recover_, ack)) {  // RFC 6582: full acknowledgement ends recovery
                in_recovery_ = false;
                cwnd_ = ssthresh_;
            } else {  // partial: the next hole was lost too
                retransmit_first(now);
                cwnd_ = cwnd_ > acked ? cwnd_ - acked + mss_ : mss_;
            }
        } else if (cwnd_ < ssthresh_) {
            cwnd_ += std::min<std::uint32_t>(acked, mss_);  // slow start (RFC 3465, L = 1 SMSS)
        } else {
            cwnd_ += std::max<std::uint32_t>(1, mss_ * mss_ / cwnd_);  // congestion avoidance
        }
        dupacks_ = 0;
        const bool fin_acked = fin_queued_ && snd_una_ == sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len()) + 1;
        if (fin_acked) {
            if (state_ == TcpState::FinWait1) set_state(TcpState::FinWait2);
            else if (state_ == TcpState::Closing) {
                set_state(TcpState::TimeWait);
                env_.tcp_arm_timer(*this, now + kTimeWait);
                return;
            } else if (state_ == TcpState::LastAck) {
                env_.tcp_arm_timer(*this, SimTime::max());
                return set_state(TcpState::Closed);
            }
        }
        arm(now);
    } else if (ack == snd_una_ && seg.payload().empty() && !seg.has(fl::kSyn) && !seg.has(fl::kFin) &&
               in_flight() > 0 && snd_wnd_ == prev_wnd) {
        ++dupacks_;  // RFC 5681: a duplicate acknowledgement
        if (dupacks_ == 3 && !in_recovery_) {
            ssthresh_ = std::max<std::uint32_t>(static_cast<std::uint32_t>(in_flight()) / 2, 2u * mss_);
            recover_ = snd_max_;
            in_recovery_ = true;
            retransmit_first(now);
            cwnd_ = ssthresh_ + 3u * mss_;
        } else if (in_recovery_) {
            cwnd_ += mss_;
        }
    }
    push(now);
}

void TcpConnection::handle_data(const net::TcpView& seg, SimTime now) {
    const net::Bytes data = seg.payload();
    const bool fin = seg.has(fl::kFin);
    if (data.empty() && !fin) return;
    std::uint32_t seq = seg.seq();
    if (!data.empty()) {
        if (seq_lt(rcv_nxt_, seq)) {
            out_of_order_.try_emplace(seq, data.begin(), data.end());
        } else if (seq_lt(rcv_nxt_, seq + static_cast<std::uint32_t>(data.size()))) {
            const std::size_t skip = rcv_nxt_ - seq;  // part of it arrived before
            env_.tcp_deliver(*this, data.subspan(skip));
            rcv_nxt_ += static_cast<std::uint32_t>(data.size() - skip);
            // Whatever waited behind the hole can go up now.
            for (auto it = out_of_order_.begin(); it != out_of_order_.end() && seq_le(it->first, rcv_nxt_);) {
                const std::uint32_t end = it->first + static_cast<std::uint32_t>(it->second.size());
                if (seq_lt(rcv_nxt_, end)) {
                    env_.tcp_deliver(*this, net::Bytes(it->second).subspan(rcv_nxt_ - it->first));
                    rcv_nxt_ = end;
                }
                it = out_of_order_.erase(it);
            }
        }
    }
    const std::uint32_t fin_seq = seq + static_cast<std::uint32_t>(data.size());
    if (fin && fin_seq == rcv_nxt_ && !fin_received_) {
        fin_received_ = true;
        rcv_nxt_ += 1;
        if (state_ == TcpState::Established) set_state(TcpState::CloseWait);
        else if (state_ == TcpState::FinWait1) set_state(TcpState::Closing);
        else if (state_ == TcpState::FinWait2) {
            set_state(TcpState::TimeWait);
            env_.tcp_arm_timer(*this, now + kTimeWait);
        }
        send_ack();
        env_.tcp_peer_closed(*this);
        return;
    }
    send_ack();  // every segment, and a duplicate ACK for one out of order
}

void TcpConnection::on_segment(const net::TcpView& seg, SimTime now) {
    if (seg.has(fl::kRst)) {
        const bool acceptable = state_ == TcpState::SynSent ? seg.has(fl::kAck) && seg.ack() == iss_ + 1
                                                            : seq_le(rcv_nxt_, seg.seq());
        if (acceptable) {
            env_.tcp_arm_timer(*this, SimTime::max());
            set_state(TcpState::Closed);
        }
        return;
    }
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
            cwnd_ = static_cast<std::uint32_t>(kInitialWindowSegments) * mss_;
            if (retries_ == 0) {  // Karn: only a SYN sent once gives an RTT sample
                srtt_ = now - timed_at_;
                rttvar_ = SimTime::ns(srtt_.count() / 2);
                have_rtt_ = true;
                rto_ = std::clamp(srtt_ + rttvar_ * 4, kMinRto, kMaxRto);
            }
            retries_ = 0;
            set_state(TcpState::Established);
            send_ack();
            push(now);
            return arm(now);
        case TcpState::SynReceived:
            if (!seg.has(fl::kAck) || seg.ack() != iss_ + 1) return;
            snd_una_ = seg.ack();
            snd_max_ = snd_nxt_;
            retries_ = 0;
            set_state(TcpState::Established);
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
