#pragma once
// One TCP connection (RFC 9293) with the loss recovery a lesson needs:
// three-way handshake with the MSS option, a sliding window bounded by the
// peer's receive window and the congestion window (tcp_congestion.hpp:
// NewReno), retransmission timeout per RFC 6298 (tcp_rtt.hpp: Karn's rule,
// exponential backoff, Linux's 200 ms minimum and 1 s initial RTO), FIN/ACK
// close with TIME_WAIT, RST for segments nobody expects. States change in one
// place (tcp_state.hpp). Every segment is acknowledged at once (Linux's
// quick-ACK mode; delayed ACKs are not modelled), out-of-order data is kept
// and delivered in order. Not modelled: SACK, window scaling, timestamps,
// Nagle, keepalive, urgent data.
//
// The connection knows nothing of frames or events: its host sends the
// segments it emits, runs its timer, and hands it arriving segments.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/sim/payload.hpp"
#include "hopsim/sim/tcp_congestion.hpp"
#include "hopsim/sim/tcp_rtt.hpp"
#include "hopsim/sim/tcp_state.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

class TcpConnection;

// Why a segment is sent again: the retransmission timer expired (and
// everything after the first unacknowledged byte is resent as the window
// opens), the third duplicate ACK (fast retransmit), or a partial ACK in
// fast recovery (RFC 6582) showed the next hole.
enum class Retransmit : std::uint8_t { No, Timeout, Fast, PartialAck, PathMtu };
const char* to_string(Retransmit r);  // "rto", "fast", "partial-ack", "pmtu"
// For people: why, from the trace's cause ("rto" -> "the retransmission timer expired").
const char* retransmit_cause_text(std::string_view cause);
// ssthresh for people: "infinite" before the first loss (Linux's 0x7fffffff).
std::string ssthresh_text(std::uint32_t ssthresh);

// What a connection needs from the host it lives on.
class TcpEnv {
public:
    virtual void tcp_send(TcpConnection& c, const net::TcpHeader& h, net::Bytes payload, Retransmit why) = 0;
    virtual void tcp_deliver(TcpConnection& c, net::Bytes data) = 0;  // in order, exactly once
    virtual void tcp_state(TcpConnection& c, TcpState from, TcpState to) = 0;
    virtual void tcp_arm_timer(TcpConnection& c, SimTime at) = 0;  // replaces any earlier timer
    virtual void tcp_peer_closed(TcpConnection& c) = 0;            // FIN received: no more data will come
    // The congestion window or slow-start threshold changed (read them from c.congestion()).
    virtual void tcp_window(TcpConnection& c) = 0;

protected:
    ~TcpEnv() = default;
};

struct TcpEndpoints {
    net::Ipv4Address local_ip, remote_ip;
    std::uint16_t local_port = 0, remote_port = 0;
};

class TcpConnection {
public:
    static constexpr SimTime kTimeWait = SimTime::s(60);
    static constexpr std::uint32_t kWindow = 65535;  // no window scaling
    static constexpr int kMaxRetries = 15;    // Linux tcp_retries2
    static constexpr int kMaxSynRetries = 6;  // Linux tcp_syn_retries: gives up after 1+2+...+64 = 127 s
    static constexpr int kMaxSynAckRetries = 5;  // Linux tcp_synack_retries

    TcpConnection(TcpEnv& env, TcpEndpoints ends, std::uint32_t iss, std::uint16_t mss, int flow, int id);

    void connect(SimTime now);  // active open: send SYN
    // Passive open from a SYN that arrived for a listening port.
    void accept_syn(const net::TcpView& syn, SimTime now);
    void on_segment(const net::TcpView& seg, SimTime now);
    void on_timer(SimTime now);
    // A router said our segments are too big for the path ("fragmentation
    // needed", RFC 1191): `mss` is what fits now.
    void path_mtu_reduced(std::uint16_t mss, SimTime now);
    void write(net::Bytes data, SimTime now);  // queue a copy of these bytes to send
    // Queue a payload that outlives the connection (the scenario's) without copying it.
    void write(const Payload& data, SimTime now);
    void close(SimTime now);                   // send FIN after the queued data

    TcpState state() const { return state_; }
    TcpError error() const { return error_; }
    const TcpEndpoints& ends() const { return ends_; }
    int flow() const { return flow_; }
    int id() const { return id_; }
    bool all_acked() const { return snd_una_ == snd_nxt_ && unsent() == 0; }
    std::uint64_t retransmissions() const { return retransmissions_; }
    std::uint64_t segments_sent() const { return segments_sent_; }
    std::string name() const;  // "10.0.0.1:49152>10.0.0.2:7"
    SimTime rto() const { return rtt_.rto(); }
    std::uint32_t cwnd() const { return cc_->cwnd(); }
    const CongestionControl& congestion() const { return *cc_; }

private:
    // The one place the state changes (and the timers that go with a state).
    void on(TcpEvent e, SimTime now);
    void send_segment(std::uint32_t seq, std::uint8_t flags, net::Bytes payload, Retransmit why);
    void send_ack() { send_segment(snd_nxt_, net::tcp_flag::kAck, {}, Retransmit::No); }
    void send_syn(Retransmit why);
    void push(SimTime now);  // sends what the windows allow
    void retransmit_first(SimTime now, Retransmit why);
    void window_changed();  // tells the host when cwnd or ssthresh moved
    void handle_ack(const net::TcpView& seg, SimTime now);
    void handle_reset(const net::TcpView& seg, SimTime now);
    void handle_data(const net::TcpView& seg, SimTime now);
    // RFC 5681 section 2's five conditions for a duplicate acknowledgement.
    bool is_duplicate_ack(const net::TcpView& seg, std::uint32_t previous_window) const;
    void arm(SimTime now);
    std::size_t unsent() const;
    std::size_t in_flight() const { return snd_nxt_ - snd_una_; }
    std::uint32_t data_end() const { return sbuf_seq_ + static_cast<std::uint32_t>(sbuf_len()); }

    TcpEnv& env_;
    TcpEndpoints ends_;
    int flow_, id_;
    TcpState state_ = TcpState::Closed;
    TcpError error_ = TcpError::None;

    // Send side: the bytes from sequence number sbuf_seq_ on are either a
    // borrowed payload from src_off_ (a client's, never copied) or copies in
    // sbuf_[sbuf_head_...] (an echo's).
    std::uint32_t iss_, snd_una_, snd_nxt_, snd_max_ = 0;  // snd_max_: the highest ever sent
    const Payload* src_ = nullptr;
    std::size_t src_off_ = 0;
    std::vector<std::uint8_t> sbuf_;
    std::size_t sbuf_head_ = 0;
    std::uint32_t sbuf_seq_;
    std::size_t sbuf_len() const { return src_ ? src_->size() - src_off_ : sbuf_.size() - sbuf_head_; }
    net::Bytes unacked(std::size_t offset, std::size_t n) const {
        return src_ ? src_->slice(src_off_ + offset, n) : net::Bytes(sbuf_).subspan(sbuf_head_ + offset, n);
    }
    void release(std::size_t n);  // n bytes acknowledged
    bool fin_queued_ = false;
    const std::uint16_t adv_mss_;  // ours, from the interface's MTU: what our SYN says
    std::uint16_t mss_;            // what we send: the smaller of ours, the peer's and the path's
    Retransmit going_back_ = Retransmit::Timeout;  // why segments below snd_max_ are being sent again
    std::uint32_t snd_wnd_ = kWindow;
    std::unique_ptr<CongestionControl> cc_;
    RttEstimator rtt_;
    int retries_ = 0;
    std::uint32_t told_cwnd_ = 0, told_ssthresh_ = 0;  // what window_changed() last reported

    // Receive side.
    std::uint32_t irs_ = 0, rcv_nxt_ = 0;
    std::map<std::uint32_t, std::vector<std::uint8_t>> out_of_order_;
    bool fin_received_ = false;
    bool data_received_ = false;
    std::uint16_t receive_window() const;

    std::uint64_t retransmissions_ = 0, segments_sent_ = 0;
};

}  // namespace hopsim::sim
