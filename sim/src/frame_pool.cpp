#include "hopsim/sim/frame_pool.hpp"

#include <algorithm>
#include <cassert>

namespace hopsim::sim {

FrameRef FramePool::take() {
    if (!free_.empty()) {
        FrameRef f = free_.back();
        free_.pop_back();
        return f;
    }
    slots_.emplace_back();
    return static_cast<FrameRef>(slots_.size() - 1);
}

FrameRef FramePool::make(net::Bytes bytes, std::uint64_t pkt, int flow) {
    net::MutableBytes out;
    FrameRef f = make_uninitialised(bytes.size(), pkt, flow, out);
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return f;
}

FrameRef FramePool::make_uninitialised(std::size_t n, std::uint64_t pkt, int flow, net::MutableBytes& out) {
    FrameRef f = take();
    Slot& s = slots_[f];
    s.bytes.resize(n);  // keeps the capacity of the buffer's earlier life
    s.refs = 1;
    s.pkt = pkt;
    s.flow = flow;
    out = s.bytes;
    return f;
}

void FramePool::release(FrameRef f) {
    assert(slots_[f].refs > 0);
    if (--slots_[f].refs == 0) free_.push_back(f);
}

}  // namespace hopsim::sim
