#pragma once
// TCP's connection states and every transition between them, in one table
// (RFC 9293 figure 5, plus the reset and give-up exits to CLOSED).

#include <cstdint>
#include <optional>

namespace hopsim::sim {

enum class TcpState : std::uint8_t {
    Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait,
};
const char* to_string(TcpState s);

enum class TcpEvent : std::uint8_t {
    ActiveOpen,    // connect(): SYN sent
    Listen,        // a listening socket took a SYN
    SynReceived,   // ... and answered it with SYN-ACK
    SynAcked,      // our SYN was acknowledged (SYN-ACK received, or the handshake's ACK)
    FinSent,       // our FIN left after the last byte
    FinReceived,   // the peer's FIN arrived in order
    FinAcked,      // our FIN was acknowledged
    TimeWaitOver,  // 2 MSL passed
    Reset,         // an acceptable RST arrived
    GiveUp,        // too many retransmissions
};

// Why a connection closed without the orderly FIN exchange (the socket's
// SO_ERROR): a RST answered our SYN, a RST ended it later, or the peer
// stopped answering retransmissions.
enum class TcpError : std::uint8_t { None, Refused, Reset, TimedOut };
const char* to_string(TcpError e);  // "connection refused", as strerror says it

// The state `event` leads to from `s`, or nothing if it does not apply there.
std::optional<TcpState> tcp_transition(TcpState s, TcpEvent event);

// States in which data and FIN may be sent.
inline bool may_send(TcpState s) {
    return s == TcpState::Established || s == TcpState::CloseWait || s == TcpState::FinWait1 ||
           s == TcpState::LastAck || s == TcpState::Closing;
}

}  // namespace hopsim::sim
