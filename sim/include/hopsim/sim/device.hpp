#pragma once
// A device is a node with ports, and a reaction to one arriving frame
// (on_frame). Each port is bound to a medium: a point-to-point link or a hub.
// Frame references: send() takes over the caller's reference; on_frame()
// lends one for the call, so a device that forwards retains first.
// A port may be a VLAN subinterface of another (bind_vlan): what is sent on
// it leaves its parent tagged, and tagged frames arriving on the parent come
// to it untagged. Media deliver through receive(), which does that sorting.

#include <cstdint>
#include <vector>

#include "hopsim/sim/frame_pool.hpp"

namespace hopsim::sim {

struct Network;

class Medium {
public:
    virtual void transmit(int side, FrameRef f) = 0;

protected:
    ~Medium() = default;
};

class Device {
public:
    Device(Network& net, int node, int ports) : net_(net), node_(node), ports_(static_cast<std::size_t>(ports)) {}
    virtual ~Device() = default;

    virtual void on_frame(int port, FrameRef f) = 0;
    void receive(int port, FrameRef f);  // what media call: VLAN sorting, then on_frame
    void bind_vlan(int port, int parent, std::uint16_t vid);
    virtual void start() {}  // services and traffic schedule themselves here
    virtual void link_changed(int /*port*/, bool /*up*/) {}  // a scenario event took the port's link down or up

    // `mtu`: the largest IP datagram the attached link carries.
    void attach(int port, Medium* m, int side, int mtu) { ports_[static_cast<std::size_t>(port)] = {m, side, mtu}; }
    int mtu(int port) const { return physical(port).mtu; }
    bool attached(int port) const { return physical(port).medium != nullptr; }
    int port_count() const { return static_cast<int>(ports_.size()); }
    int node() const { return node_; }

protected:
    void send(int port, FrameRef f);
    // An end station (host, router) takes tagged frames only on a subinterface
    // of their VLAN; a switch takes them as they come.
    void end_vlans() { ends_vlans_ = true; }

    Network& net_;
    int node_;

private:
    struct Binding {
        Medium* medium = nullptr;
        int side = 0;
        int mtu = 1500;
        int parent = -1;  // a VLAN subinterface: the port it goes through
        std::uint16_t vlan = 0;
    };
    const Binding& physical(int port) const {
        const Binding& b = ports_[static_cast<std::size_t>(port)];
        return b.parent >= 0 ? ports_[static_cast<std::size_t>(b.parent)] : b;
    }
    std::vector<Binding> ports_;
    bool ends_vlans_ = false;  // some port is a subinterface: tagged frames are sorted
};

}  // namespace hopsim::sim
