#pragma once
// The retransmission timer's estimate of the round-trip time (RFC 6298),
// written once: the first sample sets SRTT = R and RTTVAR = R/2, later ones
// smooth with alpha = 1/8 and beta = 1/4, and RTO = SRTT + max(G, 4 RTTVAR),
// kept within Linux's limits (200 ms floor, 120 s ceiling, 1 s before any
// sample). One segment is timed at a time and a retransmission cancels the
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
    static constexpr SimTime kGranularity = SimTime::us(1);  // G: the clock's tick

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
