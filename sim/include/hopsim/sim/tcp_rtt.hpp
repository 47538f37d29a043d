#pragma once
// The retransmission timer's estimate of the round-trip time (RFC 6298),
// written once: the first sample sets SRTT = R and RTTVAR = R/2, later ones
// smooth with alpha = 1/8 and beta = 1/4. RTO = SRTT + max(4 RTTVAR, 200 ms)
// as Linux computes it (tcp_rtt_estimator: the 200 ms minimum bounds the
// variance term, not the sum, so the RTO is always at least 200 ms more than
// the smoothed RTT), at most 120 s, and 1 s before any sample. One segment is timed at a time and a retransmission cancels the
// measurement (Karn's rule): an ACK for a resent range says nothing about
// which copy it answers.

#include <cstdint>

#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

class RttEstimator {
public:
    static constexpr SimTime kInitialRto = SimTime::s(1);
    static constexpr SimTime kMinRto = SimTime::ms(200);
    static constexpr SimTime kMaxRto = SimTime::s(120);

    // Times the segment ending at `end_seq` unless one is being timed.
    void start_timing(std::uint32_t end_seq, SimTime now);
    // Karn: whatever was being timed has been (or will be) sent again.
    void cancel_timing() { timing_ = false; }
    bool timing() const { return timing_; }
    // An acknowledgement up to `ack`: takes the sample if it covers the timed segment.
    void on_ack(std::uint32_t ack, SimTime now);

    void sample(SimTime r);
    void back_off();  // RFC 6298 5.5: double the RTO after a timeout

    SimTime rto() const { return rto_; }
    SimTime srtt() const { return srtt_; }
    SimTime rttvar() const { return rttvar_; }
    bool has_sample() const { return has_sample_; }

private:
    SimTime srtt_, rttvar_, rto_ = kInitialRto;
    bool has_sample_ = false;
    bool timing_ = false;
    std::uint32_t timed_end_ = 0;
    SimTime timed_at_;
};

// Sequence-space comparison (RFC 9293 section 3.4): a < b modulo 2^32.
inline bool seq_lt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
inline bool seq_le(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }

}  // namespace hopsim::sim
