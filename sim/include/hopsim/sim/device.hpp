#pragma once
// A device is a node with ports, and a reaction to one arriving frame
// (on_frame). Each port is bound to a medium: a point-to-point link or a hub.
// Frame references: send() takes over the caller's reference; on_frame()
// lends one for the call, so a device that forwards retains first.

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
    virtual void start() {}  // services and traffic schedule themselves here

    // `mtu`: the largest IP datagram the attached link carries.
    void attach(int port, Medium* m, int side, int mtu) { ports_[static_cast<std::size_t>(port)] = {m, side, mtu}; }
    int mtu(int port) const { return ports_[static_cast<std::size_t>(port)].mtu; }
    bool attached(int port) const { return ports_[static_cast<std::size_t>(port)].medium != nullptr; }
    int port_count() const { return static_cast<int>(ports_.size()); }
    int node() const { return node_; }

protected:
    void send(int port, FrameRef f);

    Network& net_;
    int node_;

private:
    struct Binding {
        Medium* medium = nullptr;
        int side = 0;
        int mtu = 1500;
    };
    std::vector<Binding> ports_;
};

}  // namespace hopsim::sim
