#pragma once
// Frames in flight live here as real bytes, immutable once sent and shared by
// every port of a flood through a reference count. Released buffers keep their
// capacity and are reused, so a steady state allocates nothing per hop.

#include <cstdint>
#include <vector>

#include "hopsim/netstack/bytes.hpp"

namespace hopsim::sim {

using FrameRef = std::uint32_t;

class FramePool {
public:
    // A new frame with one reference. `pkt` is the id a person follows hop by
    // hop; `flow` the scenario traffic item it belongs to (-1: none), which is
    // bookkeeping for the summary, not something on the wire.
    FrameRef make(net::Bytes bytes, std::uint64_t pkt, int flow = -1);
    // A new frame whose bytes the caller writes (size n) before sending it.
    FrameRef make_uninitialised(std::size_t n, std::uint64_t pkt, int flow, net::MutableBytes& out);
    void retain(FrameRef f) { slots_[f].refs++; }
    void release(FrameRef f);

    net::Bytes bytes(FrameRef f) const { return slots_[f].bytes; }
    std::uint64_t pkt(FrameRef f) const { return slots_[f].pkt; }
    int flow(FrameRef f) const { return slots_[f].flow; }
    // Only for a frame not yet sent (one waiting for ARP gets its destination).
    net::MutableBytes mutable_bytes(FrameRef f) { return slots_[f].bytes; }
    std::size_t live() const { return slots_.size() - free_.size(); }

private:
    struct Slot {
        std::vector<std::uint8_t> bytes;
        std::uint32_t refs = 0;
        std::uint64_t pkt = 0;
        int flow = -1;
    };
    FrameRef take();
    std::vector<Slot> slots_;
    std::vector<FrameRef> free_;
};

}  // namespace hopsim::sim
