#pragma once
// A store-and-forward learning switch (IEEE 802.1D without spanning tree),
// after ns-3's BridgeNetDevice: learn the source, then flood broadcast,
// multicast and unknown destinations to every other port, filter a frame whose
// destination sits on the port it came from, and forward known unicast.
// Forwarding is instant once the frame is fully received (no fabric delay);
// each egress port has its own link queue. Not modelled: STP (a loop is a
// broadcast storm, bounded by run.until), VLANs, IGMP snooping.

#include "hopsim/sim/device.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/mac_table.hpp"

namespace hopsim::sim {

class Switch final : public Device, public EventTarget {
public:
    Switch(Network& net, int node, int ports, SimTime ageing);
    void on_frame(int port, FrameRef f) override;
    void on_event(const Event& e) override;  // an entry's ageing deadline
    const MacTable& table() const { return table_; }

private:
    void flood(int in_port, FrameRef f);
    void expire_entries();  // removes and reports what is dead now
    void arm_expiry();      // a timer at the next deadline, if none is set
    MacTable table_;
    SimTime expiry_at_ = SimTime::max();  // the armed timer's time
};

}  // namespace hopsim::sim
