#include "hopsim/sim/device.hpp"

#include <fmt/core.h>

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

void Device::bind_vlan(int port, int parent, std::uint16_t vid) {
    auto& b = ports_[static_cast<std::size_t>(port)];
    b.parent = parent;
    b.vlan = vid;
    ends_vlans_ = true;
}

void Device::receive(int port, FrameRef f) {
    const net::Bytes bytes = net_.pool.bytes(f);
    const bool tagged = ends_vlans_ && bytes.size() >= net::kEthernetHeaderLen + net::kVlanTagLen &&
                        net::load16(bytes, net::eth_field::kType) == net::kEtherTypeVlan;
    if (!tagged) return on_frame(port, f);
    // A tagged frame goes to the subinterface of its VLAN, untagged, as
    // Linux's vlan driver hands it up; VLAN 0 (priority only) to the port itself.
    const auto vid = static_cast<std::uint16_t>(net::load16(bytes, net::eth_field::kVlanTci) & 0x0fff);
    int to = vid == 0 ? port : -1;
    for (std::size_t k = 0; k < ports_.size() && to < 0; ++k)
        if (ports_[k].parent == port && ports_[k].vlan == vid) to = static_cast<int>(k);
    if (to < 0) return net_.drop(node_, port, f, Reason::VlanFiltered, fmt::format("no subinterface for VLAN {}", vid));
    net::MutableBytes out;
    const FrameRef g = net_.pool.make_uninitialised(net::retagged_size(bytes, false), net_.pool.pkt(f), net_.pool.flow(f), out);
    net::retag(net_.pool.bytes(f), std::nullopt, out);
    on_frame(to, g);
    net_.pool.release(g);
}

void Device::send(int port, FrameRef f) {
    if (const auto& sub = ports_[static_cast<std::size_t>(port)]; sub.parent >= 0) {
        net::MutableBytes out;
        const net::Bytes in = net_.pool.bytes(f);
        const FrameRef g = net_.pool.make_uninitialised(net::retagged_size(in, true), net_.pool.pkt(f), net_.pool.flow(f), out);
        net::retag(net_.pool.bytes(f), net::VlanTag{0, false, sub.vlan}, out);
        net_.pool.release(f);
        f = g;
        port = sub.parent;
    }
    const auto& b = ports_[static_cast<std::size_t>(port)];
    if (!b.medium) {  // an unlinked interface: the frame goes nowhere
        net_.drop(node_, port, f, Reason::NoRoute, "interface has no link");
        net_.pool.release(f);
        return;
    }
    b.medium->transmit(b.side, f);
}

}  // namespace hopsim::sim
