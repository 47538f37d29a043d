#pragma once
// A store-and-forward learning switch (IEEE 802.1D without spanning tree),
// after ns-3's BridgeNetDevice: learn the source, then flood broadcast,
// multicast and unknown destinations to every other port, filter a frame whose
// destination sits on the port it came from, and forward known unicast.
// Forwarding is instant once the frame is fully received (no fabric delay);
// each egress port has its own link queue. Not modelled: STP (a loop is a
// broadcast storm, bounded by run.until), VLANs, IGMP snooping.

#include "hopsim/sim/device.hpp"
#include "hopsim/sim/mac_table.hpp"

namespace hopsim::sim {

class Switch final : public Device {
public:
    Switch(Network& net, int node, int ports, SimTime ageing);
    void on_frame(int port, FrameRef f) override;
    const MacTable& table() const { return table_; }

private:
    void flood(int in_port, FrameRef f);
    MacTable table_;
};

}  // namespace hopsim::sim
