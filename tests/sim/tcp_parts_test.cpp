// TCP's parts on their own: the RFC 6298 estimator, NewReno (RFC 5681 and
// RFC 6582) and the state table (RFC 9293 figure 5). Expected values are
// worked by hand from the RFCs' formulas.

#include <catch2/catch.hpp>

#include "hopsim/sim/tcp_congestion.hpp"
#include "hopsim/sim/tcp_rtt.hpp"
#include "hopsim/sim/tcp_state.hpp"

using namespace hopsim::sim;

TEST_CASE("RFC 6298: the first sample, then smoothing with alpha 1/8 and beta 1/4", "[tcp][rtt]") {
    RttEstimator e;
    CHECK(e.rto() == SimTime::s(1));  // 2.1: before any sample
    e.sample(SimTime::ms(100));
    CHECK(e.srtt() == SimTime::ms(100));  // 2.2: SRTT = R
    CHECK(e.rttvar() == SimTime::ms(50)); //      RTTVAR = R/2
    CHECK(e.rto() == SimTime::ms(300));   //      RTO = SRTT + 4 RTTVAR
    e.sample(SimTime::ms(200));
    // 2.3: RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
    CHECK(e.rttvar() == SimTime::us(62'500));
    CHECK(e.srtt() == SimTime::us(112'500));
    CHECK(e.rto() == SimTime::us(362'500));
}

TEST_CASE("Linux's RTO: SRTT + max(4 RTTVAR, 200 ms), doubling on timeout up to 120 s", "[tcp][rtt]") {
    RttEstimator e;
    e.sample(SimTime::ms(1));
    // 1 ms + max(4 * 0.5 ms, 200 ms): the floor is on the variance term
    // (Linux tcp_rtt_estimator), so not a flat 200 ms.
    CHECK(e.rto() == SimTime::ms(201));
    e.back_off();
    CHECK(e.rto() == SimTime::ms(402));
    for (int i = 0; i < 20; ++i) e.back_off();
    CHECK(e.rto() == SimTime::s(120));
}

TEST_CASE("Karn: a retransmission cancels the measurement, one segment timed at a time", "[tcp][rtt]") {
    RttEstimator e;
    e.start_timing(1000, SimTime::ms(0));
    e.start_timing(2000, SimTime::ms(5));  // already timing 1000: ignored
    e.on_ack(999, SimTime::ms(20));         // does not cover the timed segment
    CHECK_FALSE(e.has_sample());
    e.on_ack(1000, SimTime::ms(40));
    CHECK(e.srtt() == SimTime::ms(40));
    e.start_timing(3000, SimTime::ms(50));
    e.cancel_timing();
    e.on_ack(3000, SimTime::ms(500));
    CHECK(e.srtt() == SimTime::ms(40));
    // Sequence numbers wrap: an ACK just past 2^32 covers a segment ending before it.
    e.start_timing(0xfffffff0u, SimTime::ms(600));
    e.on_ack(0x10, SimTime::ms(640));
    CHECK(e.srtt() == SimTime::ms(40));  // (7 * 40 + 40) / 8
    CHECK_FALSE(e.timing());
}

TEST_CASE("NewReno: initial window of 10 segments, slow start, congestion avoidance", "[tcp][newreno]") {
    NewReno cc(1460);
    CHECK(cc.cwnd() == 14600);
    CHECK(cc.on_new_ack({1461, 1460, 14600, 14601}) == Resend::Nothing);
    CHECK(cc.cwnd() == 16060);  // slow start: + min(acked, SMSS)
    cc.on_timeout(20000, 0);
    CHECK(cc.ssthresh() == 10000);  // max(FlightSize / 2, 2 SMSS)
    CHECK(cc.cwnd() == 1460);       // loss window: one segment
    cc.on_timeout(1000, 0);
    CHECK(cc.ssthresh() == 2920);   // never below 2 SMSS
    cc.on_new_ack({0, 2920, 2920, 0});
    CHECK(cc.cwnd() == 2920);       // + SMSS, not + 2920 (RFC 3465 with L = 1)
    cc.on_new_ack({0, 1460, 1460, 0});
    CHECK(cc.cwnd() == 2920 + 730);  // cwnd >= ssthresh: SMSS * SMSS / cwnd
}

TEST_CASE("NewReno: fast retransmit on the third duplicate, partial and full acknowledgements", "[tcp][newreno]") {
    NewReno cc(1000);
    const AckContext dup{5000, 0, 10000, 15000};  // 10 segments in flight, the highest sent 15000
    CHECK(cc.on_duplicate_ack(dup) == Resend::Nothing);
    CHECK(cc.on_duplicate_ack(dup) == Resend::Nothing);
    CHECK(cc.cwnd() == 10000);
    CHECK(cc.on_duplicate_ack(dup) == Resend::FirstUnacked);
    CHECK(cc.in_recovery());
    CHECK(cc.ssthresh() == 5000);
    CHECK(cc.cwnd() == 8000);  // ssthresh + 3 SMSS
    CHECK(cc.on_duplicate_ack(dup) == Resend::Nothing);
    CHECK(cc.cwnd() == 9000);  // inflated by one SMSS per further duplicate
    // Partial ACK: 2000 bytes acknowledged, 15000 not reached: the next hole goes now.
    CHECK(cc.on_new_ack({7000, 2000, 10000, 15000}) == Resend::FirstUnacked);
    CHECK(cc.cwnd() == 9000 - 2000 + 1000);
    CHECK(cc.in_recovery());
    // Full ACK ends recovery with cwnd = ssthresh.
    CHECK(cc.on_new_ack({15000, 8000, 8000, 15000}) == Resend::Nothing);
    CHECK_FALSE(cc.in_recovery());
    CHECK(cc.cwnd() == 5000);
}

TEST_CASE("NewReno: no second fast retransmit during recovery, recovery across sequence wrap", "[tcp][newreno]") {
    NewReno cc(1000);
    const AckContext dup{0xfffff000u, 0, 8000, 0x00001000u};
    for (int i = 0; i < 3; ++i) cc.on_duplicate_ack(dup);
    CHECK(cc.in_recovery());
    for (int i = 0; i < 5; ++i) CHECK(cc.on_duplicate_ack(dup) == Resend::Nothing);
    // 0x800 is past the wrap but before the recovery point 0x1000: partial.
    CHECK(cc.on_new_ack({0x00000800u, 0x1800, 8000, 0x00001000u}) == Resend::FirstUnacked);
    CHECK(cc.on_new_ack({0x00001000u, 0x800, 8000, 0x00001000u}) == Resend::Nothing);
    CHECK_FALSE(cc.in_recovery());
}

TEST_CASE("NewReno after a timeout: duplicates of older data start no fast retransmit (RFC 6582 3.2)", "[tcp][newreno]") {
    NewReno cc(1000);
    cc.on_timeout(10000, 20000);  // the timer fired with 20000 the highest sent
    const AckContext old_dup{15000, 0, 5000, 20000};
    for (int i = 0; i < 5; ++i) CHECK(cc.on_duplicate_ack(old_dup) == Resend::Nothing);
    CHECK_FALSE(cc.in_recovery());
    CHECK(cc.cwnd() == 1000);
    // Once the ACKs are past the recovery point, three duplicates do start one.
    const AckContext new_dup{21000, 0, 5000, 26000};
    cc.on_new_ack({21000, 6000, 11000, 26000});
    CHECK(cc.on_duplicate_ack(new_dup) == Resend::Nothing);
    CHECK(cc.on_duplicate_ack(new_dup) == Resend::Nothing);
    CHECK(cc.on_duplicate_ack(new_dup) == Resend::FirstUnacked);
}

TEST_CASE("RFC 9293 figure 5: every transition of the state table", "[tcp][state]") {
    using S = TcpState;
    using E = TcpEvent;
    struct Arc {
        S from;
        E event;
        S to;
    };
    const Arc arcs[] = {
        {S::Closed, E::ActiveOpen, S::SynSent},      {S::Closed, E::Listen, S::Listen},
        {S::Listen, E::SynReceived, S::SynReceived}, {S::SynSent, E::SynAcked, S::Established},
        {S::SynReceived, E::SynAcked, S::Established}, {S::Established, E::FinSent, S::FinWait1},
        {S::CloseWait, E::FinSent, S::LastAck},      {S::Established, E::FinReceived, S::CloseWait},
        {S::FinWait1, E::FinReceived, S::Closing},   {S::FinWait2, E::FinReceived, S::TimeWait},
        {S::FinWait1, E::FinAcked, S::FinWait2},     {S::Closing, E::FinAcked, S::TimeWait},
        {S::LastAck, E::FinAcked, S::Closed},        {S::TimeWait, E::TimeWaitOver, S::Closed},
        {S::Established, E::Reset, S::Closed},       {S::SynSent, E::GiveUp, S::Closed},
    };
    for (const Arc& a : arcs) {
        INFO(to_string(a.from) << " -> " << to_string(a.to));
        CHECK(tcp_transition(a.from, a.event) == a.to);
    }
    // Events that do not apply leave the state alone.
    CHECK_FALSE(tcp_transition(S::Closed, E::FinReceived));
    CHECK_FALSE(tcp_transition(S::Established, E::ActiveOpen));
    CHECK_FALSE(tcp_transition(S::CloseWait, E::FinAcked));
    CHECK_FALSE(tcp_transition(S::Closed, E::Reset));
    CHECK(may_send(S::CloseWait));
    CHECK_FALSE(may_send(S::SynSent));
}
