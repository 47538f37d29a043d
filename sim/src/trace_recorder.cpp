#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::sim {

void RecorderSink::on_event(const TraceEvent& e) {
    RecordedEvent r;
    r.t = e.t.count();
    r.ev = e.ev;
    r.node = e.node;
    r.port = e.port;
    r.link = e.link;
    r.flow = e.flow;
    r.frame = e.frame;
    r.pkt = e.pkt;
    r.nbytes = e.nbytes;
    r.wire_ns = e.wire.count();
    if (e.reason) r.reason = e.reason;
    r.table = e.table;
    r.key = e.key;
    r.value = e.value;
    r.old = e.old;
    r.detail = e.detail;
    r.conn = e.conn;
    r.from_state = e.from_state;
    r.to_state = e.to_state;
    if (e.cause) r.cause = e.cause;
    r.seq = e.seq;
    r.len = e.len;
    r.rto_ns = e.rto.count();
    r.cwnd = e.cwnd;
    r.ssthresh = e.ssthresh;
    r.eth_dst_unresolved = e.eth_dst_unresolved;
    r.vlan = e.vlan;
    if (e.role) r.role = e.role;
    r.changes.assign(e.changes.begin(), e.changes.end());
    r.bytes.assign(e.bytes.begin(), e.bytes.end());
    events.push_back(std::move(r));
}

}  // namespace hopsim::sim
