#include "hopsim/sim/apps/frame_sender.hpp"

#include "hopsim/sim/flow_ledger.hpp"

namespace hopsim::sim {

void FrameSender::send(int) {
    stack_.ledger().sent(flow_, t_.payload.size(), stack_.now());
    stack_.frame_send(t_.dst_mac, t_.ethertype, t_.payload.bytes(), flow_);
}

void FrameSink::on_packet(const Received& r) {
    const std::size_t n = r.flow >= 0 ? stack_.ledger().delivered(r.flow, r.data, stack_.now()) : r.data.size();
    stack_.trace_delivery(r, n);
}

}  // namespace hopsim::sim
