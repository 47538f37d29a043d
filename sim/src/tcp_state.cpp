#include "hopsim/sim/tcp_state.hpp"

namespace hopsim::sim {

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

const char* to_string(TcpError e) {
    switch (e) {
        case TcpError::None: return "";
        case TcpError::Refused: return "connection refused";
        case TcpError::Reset: return "connection reset by peer";
        case TcpError::TimedOut: return "connection timed out";
    }
    return "?";
}

std::optional<TcpState> tcp_transition(TcpState s, TcpEvent event) {
    using S = TcpState;
    switch (event) {
        case TcpEvent::ActiveOpen: return s == S::Closed ? std::optional(S::SynSent) : std::nullopt;
        case TcpEvent::Listen: return s == S::Closed ? std::optional(S::Listen) : std::nullopt;
        case TcpEvent::SynReceived: return s == S::Listen ? std::optional(S::SynReceived) : std::nullopt;
        case TcpEvent::SynAcked:
            return s == S::SynSent || s == S::SynReceived ? std::optional(S::Established) : std::nullopt;
        case TcpEvent::FinSent:
            if (s == S::Established) return S::FinWait1;
            if (s == S::CloseWait) return S::LastAck;
            return std::nullopt;
        case TcpEvent::FinReceived:
            if (s == S::Established) return S::CloseWait;
            if (s == S::FinWait1) return S::Closing;
            if (s == S::FinWait2) return S::TimeWait;
            return std::nullopt;
        case TcpEvent::FinAcked:
            if (s == S::FinWait1) return S::FinWait2;
            if (s == S::Closing) return S::TimeWait;
            if (s == S::LastAck) return S::Closed;
            return std::nullopt;
        case TcpEvent::TimeWaitOver: return s == S::TimeWait ? std::optional(S::Closed) : std::nullopt;
        case TcpEvent::Reset:
        case TcpEvent::GiveUp: return s == S::Closed ? std::nullopt : std::optional(S::Closed);
    }
    return std::nullopt;
}

}  // namespace hopsim::sim
