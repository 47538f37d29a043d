#include "hopsim/sim/apps/udp_sink.hpp"

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void UdpSink::on_datagram(SocketId, const Received& r) {
    FlowLedger& ledger = stack_.ledger();
    if (r.flow >= 0) {
        if (ledger.to_node(r.flow) == node_ && ledger.spec(r.flow).to_port == r.dst_port)
            ledger.delivered(r.flow, r.data, stack_.now());
    }
    stack_.trace_delivery(r, r.data.size());
}

void UdpEcho::on_datagram(SocketId s, const Received& r) {
    UdpSink::on_datagram(s, r);
    stack_.udp_send(s, r.src, r.src_port, r.data, {64, true, r.flow});
}

}  // namespace hopsim::sim
