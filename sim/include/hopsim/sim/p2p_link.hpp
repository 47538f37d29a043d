#pragma once
// A full-duplex point-to-point Ethernet link: per direction a drop-tail queue
// (limit in frames), serialisation at the link's bandwidth over the frame's
// wire size (bytes + preamble/SFD 8 + FCS 4 + inter-frame gap 12), then the
// propagation delay. Loss is drawn per frame from the link's own random
// stream; a lost frame is traced as a drop at the receiving end. Not
// modelled: bit errors other than whole-frame loss, PAUSE frames, autonegotiation.

#include <array>
#include "hopsim/sim/ring_queue.hpp"

#include "hopsim/sim/device.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

struct Network;

// Time a frame of `bytes` occupies a wire of `bps` (rounded up to whole ns).
SimTime wire_time(std::size_t bytes, std::int64_t bps);

class P2pLink final : public Medium, public EventTarget {
public:
    P2pLink(Network& net, int link, const LinkSpec& spec, std::array<Device*, 2> ends);

    void transmit(int side, FrameRef f) override;
    void on_event(const Event& e) override;
    // A scenario event: down, the link drops what it queues, carries and is
    // given (`link-down`) and tells both ends; up, it carries frames again.
    void set_up(bool up);

private:
    enum Kind : std::uint32_t { kTxDone, kArrive, kLost };
    struct Direction {
        bool busy = false;
        RingQueue<FrameRef> queue;
    };
    void start(int dir, FrameRef f);

    Network& net_;
    int link_;
    const LinkSpec& spec_;
    std::array<Device*, 2> ends_;
    std::array<Direction, 2> dirs_;
    Rng loss_rng_;
    bool up_ = true;
};

}  // namespace hopsim::sim
