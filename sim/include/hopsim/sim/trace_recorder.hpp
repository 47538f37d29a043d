#pragma once
// An in-memory trace: every event kept with copies of what it borrowed, for
// the viewer (which indexes it once and then draws any instant) and for tests.

#include <cstdint>
#include <string>
#include <vector>

#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

struct RecordedEvent {
    std::int64_t t = 0;
    Ev ev = Ev::Send;
    int node = -1, port = -1, link = -1, flow = -1;
    std::uint64_t frame = 0, pkt = 0, nbytes = 0;
    std::int64_t wire_ns = 0;
    Table table = Table::None;
    std::string reason, key, value, old, detail, conn, from_state, to_state, cause;
    std::uint32_t seq = 0, len = 0, cwnd = 0, ssthresh = 0;
    std::int64_t rto_ns = 0;
    bool eth_dst_unresolved = false;
    std::uint16_t vlan = 0;  // learn/expire in a VLAN-aware switch
    std::string role;        // state of a spanning-tree port
    std::vector<FieldChange> changes;
    std::vector<std::uint8_t> bytes;
};

class RecorderSink final : public TraceSink {
public:
    void on_event(const TraceEvent& e) override;
    std::vector<RecordedEvent> events;
};

}  // namespace hopsim::sim
