#include "hopsim/sim/apps/tcp_sink.hpp"

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void TcpSink::on_tcp_data(SocketId s, net::Bytes data) {
    const int flow = stack_.tcp_flow(s);
    std::uint64_t& offset = received_[s];
    if (flow >= 0) stack_.ledger().stream_delivered(flow, offset, data, stack_.now());
    offset += data.size();
    stack_.trace_stream_delivery(flow, data.size(), "");
}

void TcpEcho::on_tcp_data(SocketId s, net::Bytes data) {
    TcpSink::on_tcp_data(s, data);
    stack_.tcp_write(s, data);
}

}  // namespace hopsim::sim
