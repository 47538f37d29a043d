#include "hopsim/sim/apps/udp_sender.hpp"

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void UdpSender::open() { socket_ = stack_.udp_bind(*this, 0); }

void UdpSender::send(int) {
    stack_.ledger().sent(flow_, t_.payload.size(), stack_.now());
    stack_.udp_send(socket_, t_.to_ip, t_.to_port, t_.payload.bytes(), {t_.ttl, t_.df, flow_});
}

void UdpSender::on_datagram(SocketId, const Received& r) { stack_.trace_delivery(r, r.data.size()); }

}  // namespace hopsim::sim
