// One TcpConnection driven by a script, in the style of smoltcp's socket
// tests: segments in, segments out, the timer. Sequence numbers are counted
// from the initial sequence numbers (ISS 1000 here, the peer's 5000), and
// the expected segments and timers are worked from RFC 9293, RFC 6298 and
// RFC 5681/6582.

#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/sim/tcp_connection.hpp"

using namespace hopsim::sim;
namespace fl = hopsim::net::tcp_flag;
using hopsim::net::Ipv4Address;

namespace {

constexpr std::uint32_t kIss = 1000, kIrs = 5000;

struct Out {
    hopsim::net::TcpHeader h;
    std::size_t len;
    Retransmit why;  // why it was sent again (No for a first transmission)
};

struct Script final : TcpEnv {
    std::vector<Out> out;
    std::vector<std::uint8_t> delivered;
    std::vector<TcpState> states;
    SimTime timer = SimTime::max();
    bool peer_closed = false;

    void tcp_send(TcpConnection&, const hopsim::net::TcpHeader& h, hopsim::net::Bytes p, Retransmit why) override {
        out.push_back({h, p.size(), why});
    }
    void tcp_deliver(TcpConnection&, hopsim::net::Bytes d) override { delivered.insert(delivered.end(), d.begin(), d.end()); }
    void tcp_state(TcpConnection&, TcpState, TcpState to) override { states.push_back(to); }
    void tcp_arm_timer(TcpConnection&, SimTime at) override { timer = at; }
    void tcp_peer_closed(TcpConnection&) override { peer_closed = true; }
    void tcp_window(TcpConnection& c) override { windows.push_back({c.congestion().cwnd(), c.congestion().ssthresh()}); }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> windows;  // (cwnd, ssthresh) as reported
};

struct Segment {
    std::vector<std::uint8_t> bytes;
    hopsim::net::TcpView view() const { return *hopsim::net::TcpView::parse(bytes); }
};

// A segment from the peer: port 7 to 49152.
Segment from_peer(std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::size_t len = 0,
                  std::optional<std::uint16_t> mss = {}, std::uint16_t window = 65535) {
    hopsim::net::TcpHeader h;
    h.src_port = 7;
    h.dst_port = 49152;
    h.seq = seq;
    h.ack = ack;
    h.flags = flags;
    h.window = window;
    h.options.mss = mss;
    std::vector<std::uint8_t> payload(len, 'x');
    hopsim::net::FrameBuilder b(payload);
    b.tcp(h, *Ipv4Address::parse("10.0.0.2"), *Ipv4Address::parse("10.0.0.1"));
    const auto bytes = b.bytes();
    return {{bytes.begin(), bytes.end()}};
}

const TcpEndpoints kEnds{*Ipv4Address::parse("10.0.0.1"), *Ipv4Address::parse("10.0.0.2"), 49152, 7};

// An established active connection: SYN at 0, SYN-ACK at 10 ms (MSS 1000).
void establish(TcpConnection& c, Script& s) {
    c.connect(SimTime());
    c.on_segment(from_peer(kIrs, kIss + 1, fl::kSyn | fl::kAck, 0, 1000).view(), SimTime::ms(10));
    s.out.clear();
}

}  // namespace

TEST_CASE("active open: SYN with MSS, SYN-ACK, ACK, the handshake gives the first RTT sample", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    c.connect(SimTime());
    REQUIRE(s.out.size() == 1);
    CHECK(s.out[0].h.flags == fl::kSyn);
    CHECK(s.out[0].h.seq == kIss);
    CHECK(s.out[0].h.options.mss == 1460);
    CHECK(s.out[0].h.window == 64240);  // Linux's SYN: 44 x 1460, the largest multiple of the MSS in 16 bits
    CHECK(c.state() == TcpState::SynSent);
    CHECK(s.timer == SimTime::s(1));  // RFC 6298 2.1: the initial RTO

    c.on_segment(from_peer(kIrs, kIss + 1, fl::kSyn | fl::kAck, 0, 1000).view(), SimTime::ms(10));
    REQUIRE(s.out.size() == 2);
    CHECK(s.out[1].h.flags == fl::kAck);
    CHECK(s.out[1].h.seq == kIss + 1);
    CHECK(s.out[1].h.ack == kIrs + 1);
    CHECK(c.state() == TcpState::Established);
    // R = 10 ms: SRTT 10 ms + max(4 * 5 ms, Linux's 200 ms) = 210 ms.
    CHECK(c.rto() == SimTime::ms(210));
    CHECK(c.cwnd() == 10 * 1000);  // the peer's smaller MSS rules
}

TEST_CASE("data leaves in MSS-sized segments, the last one pushed", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    std::vector<std::uint8_t> data(2500, 'a');
    c.write(data, SimTime::ms(20));
    REQUIRE(s.out.size() == 3);
    CHECK(s.out[0].len == 1000);
    CHECK(s.out[1].h.seq == kIss + 1 + 1000);
    CHECK(s.out[2].len == 500);
    CHECK(s.out[2].h.flags == (fl::kAck | fl::kPsh));
    CHECK(s.timer == SimTime::ms(230));  // now + RTO
}

TEST_CASE("SYN retransmission: backed-off timer, and no RTT sample from the answer (Karn)", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    c.connect(SimTime());
    c.on_timer(SimTime::s(1));
    REQUIRE(s.out.size() == 2);
    CHECK(s.out[1].h.flags == fl::kSyn);
    CHECK(s.out[1].why == Retransmit::Timeout);
    CHECK(s.timer == SimTime::s(3));  // RTO doubled to 2 s
    c.on_segment(from_peer(kIrs, kIss + 1, fl::kSyn | fl::kAck, 0, 1000).view(), SimTime::ms(1010));
    CHECK(c.state() == TcpState::Established);
    CHECK(c.rto() == SimTime::s(2));  // a sample of 10 ms would have given 200 ms
}

TEST_CASE("retransmission timeout: go back to the first unacknowledged byte with one segment of window", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    std::vector<std::uint8_t> data(3000, 'a');
    c.write(data, SimTime::ms(20));
    REQUIRE(s.out.size() == 3);
    c.on_timer(SimTime::ms(230));
    REQUIRE(s.out.size() == 4);
    CHECK(s.out[3].h.seq == kIss + 1);
    CHECK(s.out[3].len == 1000);
    CHECK(s.out[3].why == Retransmit::Timeout);
    CHECK(c.cwnd() == 1000);
    CHECK(c.congestion().ssthresh() == 2000);  // max(3000 / 2, 2 SMSS)
    // Reported: the initial window at the SYN-ACK (10 segments, ssthresh
    // "infinite" as Linux's 0x7fffffff), then one segment after the timeout.
    CHECK(s.windows == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{10000, 0x7fffffff}, {1000, 2000}});
    CHECK(s.timer == SimTime::ms(230 + 420));  // RTO doubled
    // The ACK of the resent segment is not timed (Karn); cwnd grows to two segments.
    c.on_segment(from_peer(kIrs + 1, kIss + 1 + 1000, fl::kAck).view(), SimTime::ms(300));
    CHECK(c.rto() == SimTime::ms(420));
    REQUIRE(s.out.size() == 6);
    CHECK(s.out[4].h.seq == kIss + 1 + 1000);
    CHECK(s.out[5].h.seq == kIss + 1 + 2000);
    // Both were sent before the timeout: resending them is still the timeout's doing.
    CHECK(s.out[4].why == Retransmit::Timeout);
    CHECK(s.out[5].why == Retransmit::Timeout);
    CHECK(s.windows.back() == std::pair<std::uint32_t, std::uint32_t>{2000, 2000});  // slow start: +1 SMSS
}

TEST_CASE("three duplicate ACKs: fast retransmit, a partial ACK resends the next hole", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    std::vector<std::uint8_t> data(20000, 'a');
    c.write(data, SimTime::ms(20));
    REQUIRE(s.out.size() == 10);  // the initial window
    // Segment 1 arrives, segment 2 is lost, segments 3.. arrive: ACK 2000 (relative), then duplicates.
    c.on_segment(from_peer(kIrs + 1, kIss + 1 + 1000, fl::kAck).view(), SimTime::ms(30));
    REQUIRE(s.out.size() == 12);  // cwnd 11000: two more segments
    const std::size_t before = s.out.size();
    for (int i = 0; i < 3; ++i) c.on_segment(from_peer(kIrs + 1, kIss + 1 + 1000, fl::kAck).view(), SimTime::ms(31 + i));
    REQUIRE(s.out.size() == before + 1);
    CHECK(s.out.back().h.seq == kIss + 1 + 1000);
    CHECK(s.out.back().why == Retransmit::Fast);
    CHECK(c.congestion().ssthresh() == 5500);  // 11000 in flight / 2
    CHECK(c.cwnd() == 8500);                   // + 3 SMSS
    CHECK(s.windows.back() == std::pair<std::uint32_t, std::uint32_t>{8500, 5500});
    // The resent segment fills the first hole; the one after (relative 3000) was lost too.
    c.on_segment(from_peer(kIrs + 1, kIss + 1 + 3000, fl::kAck).view(), SimTime::ms(40));
    CHECK(s.out.back().h.seq == kIss + 1 + 3000);
    CHECK(s.out.back().why == Retransmit::PartialAck);
    CHECK(s.windows.back().first == 8500 - 2000 + 1000);  // deflated by the 2000 acknowledged, + 1 SMSS
}

TEST_CASE("resets (RFC 5961): exactly at RCV.NXT closes, elsewhere in the window is challenged, outside ignored", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    c.on_segment(from_peer(kIrs, 0, fl::kRst).view(), SimTime::ms(20));  // before RCV.NXT
    CHECK(c.state() == TcpState::Established);
    CHECK(s.out.empty());
    c.on_segment(from_peer(kIrs + 1 + 70000, 0, fl::kRst).view(), SimTime::ms(21));  // beyond the 65535 window
    CHECK(c.state() == TcpState::Established);
    CHECK(s.out.empty());
    c.on_segment(from_peer(kIrs + 1 + 500, 0, fl::kRst).view(), SimTime::ms(22));  // in the window, not exact
    CHECK(c.state() == TcpState::Established);
    REQUIRE(s.out.size() == 1);  // the challenge ACK: RCV.NXT as it is
    CHECK(s.out[0].h.flags == fl::kAck);
    CHECK(s.out[0].h.ack == kIrs + 1);
    c.on_segment(from_peer(kIrs + 1, 0, fl::kRst).view(), SimTime::ms(23));
    CHECK(c.state() == TcpState::Closed);
    CHECK(s.timer == SimTime::max());
}

TEST_CASE("after a timeout, three duplicate ACKs do not fast-retransmit: the backed-off timer does", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    std::vector<std::uint8_t> data(5000, 'a');
    c.write(data, SimTime::ms(20));  // five segments
    c.on_timer(SimTime::ms(230));    // all lost: segment 1 again
    const std::size_t sent = s.out.size();
    // The peer had segments 3..5 after all: duplicates of ACK 0 arrive.
    for (int i = 0; i < 3; ++i) c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck).view(), SimTime::ms(240 + i));
    CHECK(s.out.size() == sent);  // nothing resent before the timer
    CHECK(s.timer == SimTime::ms(230 + 420));
}

TEST_CASE("simultaneous close: FIN_WAIT_1, CLOSING, TIME_WAIT for 60 s, CLOSED", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    establish(c, s);
    c.close(SimTime::ms(20));
    REQUIRE(s.out.size() == 1);
    CHECK(s.out[0].h.flags == (fl::kFin | fl::kAck));
    CHECK(c.state() == TcpState::FinWait1);
    // The peer's FIN crosses ours: it does not acknowledge our FIN.
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kFin | fl::kAck).view(), SimTime::ms(21));
    CHECK(c.state() == TcpState::Closing);
    CHECK(s.peer_closed);
    CHECK(s.out.back().h.ack == kIrs + 2);  // their FIN acknowledged
    c.on_segment(from_peer(kIrs + 2, kIss + 2, fl::kAck).view(), SimTime::ms(22));
    CHECK(c.state() == TcpState::TimeWait);
    CHECK(s.timer == SimTime::ms(22) + SimTime::s(60));
    c.on_timer(s.timer);
    CHECK(c.state() == TcpState::Closed);
    const std::vector<TcpState> walk{TcpState::SynSent, TcpState::Established, TcpState::FinWait1,
                                     TcpState::Closing, TcpState::TimeWait, TcpState::Closed};
    CHECK(s.states == walk);
}

TEST_CASE("passive open and receiving: in-order delivery, a hole held and filled", "[tcp][script]") {
    Script s;
    TcpEndpoints ends{kEnds.remote_ip, kEnds.local_ip, 7, 49152};
    TcpConnection c(s, ends, kIss, 1460, 0, 0);
    const Segment syn = from_peer(kIrs, 0, fl::kSyn, 0, 1460);
    c.accept_syn(syn.view(), SimTime());
    // A listener's child: from LISTEN (the listener's state) straight to SYN_RECEIVED.
    CHECK(s.states == std::vector<TcpState>{TcpState::SynReceived});
    REQUIRE(s.out.size() == 1);
    CHECK(s.out[0].h.flags == (fl::kSyn | fl::kAck));
    CHECK(s.out[0].h.ack == kIrs + 1);
    CHECK(c.state() == TcpState::SynReceived);
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck).view(), SimTime::ms(1));
    CHECK(c.state() == TcpState::Established);
    // Bytes 100..199 arrive before 0..99: held, a duplicate ACK for 0 sent.
    c.on_segment(from_peer(kIrs + 1 + 100, kIss + 1, fl::kAck, 100).view(), SimTime::ms(2));
    CHECK(s.delivered.empty());
    CHECK(s.out.back().h.ack == kIrs + 1);
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck, 100).view(), SimTime::ms(3));
    CHECK(s.delivered.size() == 200);
    CHECK(s.out.back().h.ack == kIrs + 1 + 200);
}

TEST_CASE("a SYN nobody answers: six retries, then ETIMEDOUT after 127 s (tcp(7): tcp_syn_retries)", "[tcp][script]") {
    Script s;
    TcpConnection c(s, kEnds, kIss, 1460, 0, 0);
    c.connect(SimTime());
    SimTime t;
    while (s.timer != SimTime::max()) {
        t = s.timer;
        c.on_timer(t);
    }
    CHECK(s.out.size() == 7);  // the SYN and six retransmissions, at 1, 3, 7, 15, 31 and 63 s
    CHECK(t == SimTime::s(127));
    CHECK(c.state() == TcpState::Closed);
    CHECK(c.error() == TcpError::TimedOut);
    CHECK(std::string(to_string(c.error())) == "connection timed out");
}

TEST_CASE("a RST answering our SYN: ECONNREFUSED, one later at RCV.NXT: ECONNRESET", "[tcp][script]") {
    Script s;
    TcpConnection refused(s, kEnds, kIss, 1460, 0, 0);
    refused.connect(SimTime());
    refused.on_segment(from_peer(0, kIss + 1, fl::kRst | fl::kAck).view(), SimTime::ms(1));
    CHECK(refused.state() == TcpState::Closed);
    CHECK(std::string(to_string(refused.error())) == "connection refused");
    TcpConnection reset(s, kEnds, kIss, 1460, 0, 1);
    establish(reset, s);
    CHECK(reset.error() == TcpError::None);
    reset.on_segment(from_peer(kIrs + 1, 0, fl::kRst).view(), SimTime::ms(20));
    CHECK(std::string(to_string(reset.error())) == "connection reset by peer");
}

// Values from Linux 6.18's captures (hopsim kernel, no window scaling): a host
// behind an MTU-576 link offered 65392 = 122 x 536 and MSS 536; its peer's
// SYN-ACK still offered its own MSS 1460 and window 64240; after a full
// segment arrived the window was 65535.
TEST_CASE("the receive window and MSS a SYN offers are Linux's, and data opens the window to 65535", "[tcp][script]") {
    Script s;
    TcpEndpoints ends{kEnds.remote_ip, kEnds.local_ip, 7, 49152};
    TcpConnection c(s, ends, kIss, 1460, 0, 0);
    c.accept_syn(from_peer(kIrs, 0, fl::kSyn, 0, 536).view(), SimTime());
    REQUIRE(s.out.size() == 1);
    CHECK(s.out[0].h.options.mss == 1460);  // ours, not the smaller of the two
    CHECK(s.out[0].h.window == 64240);
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck).view(), SimTime::ms(1));
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck, 536).view(), SimTime::ms(2));
    CHECK(s.out.back().h.window == 65535);

    Script small;
    TcpConnection a(small, kEnds, kIss, 536, 0, 0);
    a.connect(SimTime());
    CHECK(small.out[0].h.options.mss == 536);
    CHECK(small.out[0].h.window == 65392);
}

// Linux acknowledges in the receive path and the reader runs after it, so an
// echo's data carries the ACK of what it echoes and follows that ACK (kernel
// capture of 12: ACK 1461, then the echoed 1460 bytes with ACK 1461).
TEST_CASE("arriving data is acknowledged before the application reads it, so what it writes back carries the ACK", "[tcp][script]") {
    struct Echo final : TcpEnv {
        std::vector<Out> out;
        TcpConnection* c = nullptr;
        void tcp_send(TcpConnection&, const hopsim::net::TcpHeader& h, hopsim::net::Bytes p, Retransmit why) override {
            out.push_back({h, p.size(), why});
        }
        void tcp_deliver(TcpConnection&, hopsim::net::Bytes d) override { c->write(d, SimTime::ms(2)); }
        void tcp_state(TcpConnection&, TcpState, TcpState) override {}
        void tcp_arm_timer(TcpConnection&, SimTime) override {}
        void tcp_peer_closed(TcpConnection&) override {}
        void tcp_window(TcpConnection&) override {}
    } e;
    TcpEndpoints ends{kEnds.remote_ip, kEnds.local_ip, 7, 49152};
    TcpConnection c(e, ends, kIss, 1460, 0, 0);
    e.c = &c;
    c.accept_syn(from_peer(kIrs, 0, fl::kSyn, 0, 1460).view(), SimTime());
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck).view(), SimTime::ms(1));
    e.out.clear();
    c.on_segment(from_peer(kIrs + 1, kIss + 1, fl::kAck | fl::kPsh, 100).view(), SimTime::ms(2));
    REQUIRE(e.out.size() == 2);
    CHECK(e.out[0].len == 0);  // the ACK first
    CHECK(e.out[0].h.ack == kIrs + 1 + 100);
    CHECK(e.out[1].len == 100);  // then the echo, acknowledging the same bytes
    CHECK(e.out[1].h.ack == kIrs + 1 + 100);
}
