#include <algorithm>

#include "hopsim/sim/tcp_congestion.hpp"
#include "hopsim/sim/tcp_rtt.hpp"

namespace hopsim::sim {

void NewReno::start(std::uint32_t mss) {
    mss_ = mss;
    cwnd_ = kInitialWindowSegments * mss;
}

std::uint32_t NewReno::half_flight(std::uint32_t in_flight) const { return std::max(in_flight / 2, 2u * mss_); }

Resend NewReno::on_new_ack(const AckContext& a) {
    dupacks_ = 0;
    if (in_recovery_) {
        if (seq_le(recover_, a.ack)) {  // RFC 6582 3.2 step 3: a full acknowledgement ends recovery
            in_recovery_ = false;
            cwnd_ = ssthresh_;
            return Resend::Nothing;
        }
        // Step 4, a partial acknowledgement: the next hole was lost too.
        // Deflate by what was acknowledged, add back one segment, resend.
        cwnd_ = cwnd_ > a.acked ? cwnd_ - a.acked + mss_ : mss_;
        return Resend::FirstUnacked;
    }
    if (cwnd_ < ssthresh_) cwnd_ += std::min(a.acked, mss_);  // slow start
    else cwnd_ += std::max<std::uint32_t>(1, mss_ * mss_ / cwnd_);  // congestion avoidance, RFC 5681 (3)
    return Resend::Nothing;
}

Resend NewReno::on_duplicate_ack(const AckContext& a) {
    ++dupacks_;
    // Step 2: after a timeout, duplicates of data sent before it start nothing.
    const bool beyond_recovery_point = !recover_set_ || seq_lt(recover_, a.ack);
    if (dupacks_ == kDupAckThreshold && !in_recovery_ && beyond_recovery_point) {  // fast retransmit, fast recovery
        ssthresh_ = half_flight(a.in_flight);
        recover_ = a.snd_max;
        recover_set_ = true;
        in_recovery_ = true;
        cwnd_ = ssthresh_ + kDupAckThreshold * mss_;
        return Resend::FirstUnacked;
    }
    if (in_recovery_) cwnd_ += mss_;  // each duplicate: one more segment has left the network
    return Resend::Nothing;
}

void NewReno::on_timeout(std::uint32_t in_flight, std::uint32_t snd_max) {
    // RFC 5681 (4) and 3.1: one segment of window, ssthresh half the flight;
    // RFC 6582 3.2 step 1: the recovery point moves to what was sent.
    ssthresh_ = half_flight(in_flight);
    recover_ = snd_max;
    recover_set_ = true;
    cwnd_ = mss_;
    in_recovery_ = false;
    dupacks_ = 0;
}

}  // namespace hopsim::sim
