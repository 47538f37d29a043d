#pragma once
// How much a TCP sender may have in flight, and when to resend before the
// timer: the congestion controller. The connection classifies each arriving
// acknowledgement (new data acknowledged, or a duplicate by RFC 5681's
// definition) and tells its controller; the controller moves cwnd and
// ssthresh and answers whether the first unacknowledged segment must be
// sent again now. NewReno (RFC 5681 + RFC 6582) is the one implemented; a
// Reno, CUBIC or BBR would implement the same interface.

#include <cstdint>
#include <memory>

namespace hopsim::sim {

// The sender's state at an acknowledgement, in bytes and sequence numbers.
struct AckContext {
    std::uint32_t ack = 0;        // the acknowledgement number
    std::uint32_t acked = 0;      // bytes newly acknowledged (0 for a duplicate)
    std::uint32_t in_flight = 0;  // bytes sent and not yet acknowledged, before this ACK
    std::uint32_t snd_max = 0;    // the highest sequence number sent so far
};

enum class Resend : std::uint8_t { Nothing, FirstUnacked };

class CongestionControl {
public:
    virtual ~CongestionControl() = default;
    virtual const char* name() const = 0;
    // The connection is established with this segment size: initial window.
    virtual void start(std::uint32_t mss) = 0;
    virtual Resend on_new_ack(const AckContext& a) = 0;
    virtual Resend on_duplicate_ack(const AckContext& a) = 0;
    // The retransmission timer fired with `in_flight` bytes outstanding and
    // `snd_max` the highest sequence number sent.
    virtual void on_timeout(std::uint32_t in_flight, std::uint32_t snd_max) = 0;

    virtual std::uint32_t cwnd() const = 0;
    virtual std::uint32_t ssthresh() const = 0;
};

// Slow start from Linux's initial window of 10 segments (RFC 6928), byte
// counting with L = 1 SMSS (RFC 3465), congestion avoidance of about one
// segment per round trip, fast retransmit on the third duplicate ACK and
// NewReno's fast recovery with partial acknowledgements (RFC 6582). After a
// timeout the highest sequence number sent becomes the recovery point, and
// duplicate ACKs below it do not start a fast retransmit (RFC 6582 3.2 steps
// 1-2, as Linux does: it waits out the backed-off timer instead).
class NewReno final : public CongestionControl {
public:
    static constexpr std::uint32_t kInitialWindowSegments = 10;
    static constexpr int kDupAckThreshold = 3;

    explicit NewReno(std::uint32_t mss) { start(mss); }
    const char* name() const override { return "newreno"; }
    void start(std::uint32_t mss) override;
    Resend on_new_ack(const AckContext& a) override;
    Resend on_duplicate_ack(const AckContext& a) override;
    void on_timeout(std::uint32_t in_flight, std::uint32_t snd_max) override;
    std::uint32_t cwnd() const override { return cwnd_; }
    std::uint32_t ssthresh() const override { return ssthresh_; }
    bool in_recovery() const { return in_recovery_; }

private:
    std::uint32_t half_flight(std::uint32_t in_flight) const;  // RFC 5681 equation (4)

    std::uint32_t mss_ = 536;
    std::uint32_t cwnd_ = 0, ssthresh_ = 0x7fffffff;
    int dupacks_ = 0;
    bool in_recovery_ = false;
    std::uint32_t recover_ = 0;  // RFC 6582: snd_max when recovery (or the last timeout) began
    bool recover_set_ = false;   // no recovery point before the first one (RFC 6582: "initialized to ISS")
};

}  // namespace hopsim::sim
