#pragma once
// A store-and-forward learning switch (IEEE 802.1D), after ns-3's
// BridgeNetDevice and Linux's bridge: learn the source, then flood broadcast,
// multicast and unknown destinations to every other port, filter a frame whose
// destination sits on the port it came from, and forward known unicast.
// Forwarding is instant once the frame is fully received (no fabric delay);
// each egress port has its own link queue.
//
// VLANs (IEEE 802.1Q), when the scenario gives port settings: each port is an
// access port of one VLAN or a trunk; a frame belongs to the VLAN of its tag,
// or of the port it arrived untagged on; learning, flooding and forwarding
// stay inside that VLAN; it leaves a trunk tagged (its native VLAN untagged)
// and an access port untagged. A tagged frame of a VLAN its port does not
// carry is dropped (Linux's vlan_filtering ingress check). A switch without
// port settings ignores tags, as Linux's bridge without vlan_filtering.
//
// Spanning tree ("stp": true): see stp.hpp. BPDUs go to the tree, never
// forwarded; a port not yet learning drops what arrives, a port not
// forwarding sends nothing. Without it a loop is a broadcast storm, bounded
// by run.until. Not modelled: IGMP snooping, per-VLAN spanning trees.

#include <memory>
#include <optional>

#include "hopsim/sim/device.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/mac_table.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/stp.hpp"

namespace hopsim::net {
class EthernetView;
}

namespace hopsim::sim {

class Switch final : public Device, public EventTarget {
public:
    // `path_costs`: each port's spanning-tree cost (from its link's speed).
    Switch(Network& net, int node, const NodeSpec& spec, std::vector<std::uint32_t> path_costs);
    ~Switch() override;
    void on_frame(int port, FrameRef f) override;
    void on_event(const Event& e) override;  // an entry's ageing deadline
    void start() override;
    void link_changed(int port, bool up) override;
    const MacTable& table() const { return table_; }
    const SpanningTree* spanning_tree() const { return stp_.get(); }
    bool vlan_aware() const { return spec_.vlan_aware(); }

private:
    // The VLAN a frame arriving on `port` belongs to; nothing if the port
    // does not carry it (the drop is traced).
    std::optional<std::uint16_t> ingress_vlan(int port, FrameRef f, const net::EthernetView& eth);
    void flood(int in_port, std::uint16_t vid, FrameRef f);
    // Sends `f` out of `port` in VLAN `vid`, tagged as that port carries it.
    void egress(int port, std::uint16_t vid, FrameRef f);
    // `f` as it leaves `port` in VLAN `vid`: itself, or a copy with the tag
    // set or removed (made once per frame handled).
    FrameRef shaped(int port, std::uint16_t vid, FrameRef f);
    FrameRef variant(FrameRef f, std::optional<std::uint16_t> tag);
    void learn(int port, std::uint16_t vid, net::MacAddress src);
    void trace_table(Ev ev, net::MacAddress mac, int port, std::uint16_t vid, std::optional<int> old,
                     std::string_view detail = {});
    void send_bpdu(int port, const net::Bpdu& b);
    void expire_entries();  // removes and reports what is dead now
    void arm_expiry();      // a timer at the next deadline, if none is set

    const NodeSpec& spec_;
    MacTable table_;
    SimTime expiry_at_ = SimTime::max();  // the armed timer's time
    std::unique_ptr<SpanningTree> stp_;
    // Per frame handled: the copies made with another tag, released after.
    FrameRef tagged_ = 0, untagged_ = 0;
    bool have_tagged_ = false, have_untagged_ = false;
};

}  // namespace hopsim::sim
