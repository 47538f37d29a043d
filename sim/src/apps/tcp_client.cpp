#include "hopsim/sim/apps/tcp_client.hpp"

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void TcpClient::start() {
    socket_ = stack_.tcp_socket(*this);
    stack_.set_timer(*this, t_.at, 0);
}

void TcpClient::on_timer(std::uint64_t) {
    stack_.ledger().stream_opened(flow_, t_.payload.size(), stack_.now());
    stack_.tcp_connect(socket_, t_.to_ip, t_.to_port, flow_);
    stack_.tcp_write(socket_, t_.payload);  // sent once the handshake completes
}

void TcpClient::on_tcp_data(SocketId, net::Bytes data) {
    stack_.ledger().echoed(flow_, received_, data);
    received_ += data.size();
    stack_.trace_stream_delivery(flow_, data.size(), "echoed back");
}

void TcpClient::on_tcp_progress(SocketId s) {
    if (const TcpError e = stack_.tcp_error(s); e != TcpError::None) return stack_.ledger().failed(flow_, to_string(e));
    if (closing_ || stack_.tcp_state(s) != TcpState::Established) return;
    const bool done = t_.echo ? received_ >= t_.payload.size() : stack_.tcp_all_acked(s);
    if (!done) return;
    closing_ = true;
    stack_.tcp_close(s);
}

}  // namespace hopsim::sim
