#include "hopsim/sim/p2p_link.hpp"

#include <fmt/core.h>

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

SimTime wire_time(std::size_t bytes, std::int64_t bps) {
    const std::int64_t bits = static_cast<std::int64_t>(bytes + net::kEthernetWireOverhead) * 8;
    return SimTime::ns((bits * 1'000'000'000 + bps - 1) / bps);
}

P2pLink::P2pLink(Network& net, int link, const LinkSpec& spec, std::array<Device*, 2> ends)
    : net_(net), link_(link), spec_(spec), ends_(ends), loss_rng_(net.stream(fmt::format("link {} loss", link))) {}

namespace {
// Frame handle and wire id travel together in one event argument.
std::uint64_t pack(FrameRef f, std::uint64_t wire) { return (wire << 32) | f; }
FrameRef frame_of(std::uint64_t b) { return static_cast<FrameRef>(b & 0xffffffffu); }
std::uint64_t wire_of(std::uint64_t b) { return b >> 32; }
}  // namespace

void P2pLink::set_up(bool up) {
    if (up == up_) return;
    up_ = up;
    for (int side = 0; side < 2; ++side) {
        const Endpoint& end = spec_.ends[static_cast<std::size_t>(side)];
        Direction& d = dirs_[static_cast<std::size_t>(side)];
        while (!up && !d.queue.empty()) {
            net_.drop(end.node, end.port, d.queue.front(), Reason::LinkDown, "queued when the link went down");
            net_.pool.release(d.queue.front());
            d.queue.pop_front();
        }
        if (net_.tracer.enabled()) {
            TraceEvent e(net_.now(), Ev::State, end.node, end.port);
            e.conn = "link";
            e.from_state = up ? "down" : "up";
            e.to_state = up ? "up" : "down";
            net_.tracer.emit(e);
        }
    }
    for (int side = 0; side < 2; ++side)
        ends_[static_cast<std::size_t>(side)]->link_changed(spec_.ends[static_cast<std::size_t>(side)].port, up);
}

void P2pLink::transmit(int side, FrameRef f) {
    const Endpoint& from = spec_.ends[static_cast<std::size_t>(side)];
    if (!up_) {
        net_.drop(from.node, from.port, f, Reason::LinkDown);
        net_.pool.release(f);
        return;
    }
    const std::size_t payload = net_.pool.bytes(f).size() - net::kEthernetHeaderLen;
    if (payload > static_cast<std::size_t>(spec_.mtu)) {
        net_.drop(from.node, from.port, f, Reason::TooBig,
                  fmt::format("{} bytes > MTU {}", payload, spec_.mtu));
        net_.pool.release(f);
        return;
    }
    Direction& d = dirs_[static_cast<std::size_t>(side)];
    if (!d.busy) return start(side, f);
    if (d.queue.size() >= static_cast<std::size_t>(spec_.queue)) {
        net_.drop(from.node, from.port, f, Reason::QueueFull);
        net_.pool.release(f);
        return;
    }
    d.queue.push_back(f);
}

void P2pLink::start(int dir, FrameRef f) {
    dirs_[static_cast<std::size_t>(dir)].busy = true;
    const Endpoint& from = spec_.ends[static_cast<std::size_t>(dir)];
    const net::Bytes bytes = net_.pool.bytes(f);
    const SimTime wire = wire_time(bytes.size(), spec_.bandwidth_bps);
    const std::uint64_t id = net_.new_wire_id();
    net_.stats[static_cast<std::size_t>(from.node)].tx_frames++;
    if (net_.tracer.enabled()) {
        TraceEvent e(net_.now(), Ev::Tx, from.node, from.port, id,
                     net_.pool.pkt(f), bytes);
        e.link = link_;
        e.wire = wire;
        net_.tracer.emit(e);
    }
    const bool lost = loss_rng_.chance(spec_.loss);
    net_.engine.schedule_in(wire, this, kTxDone, static_cast<std::uint32_t>(dir));
    net_.engine.schedule_in(wire + spec_.delay, this, lost ? kLost : kArrive, static_cast<std::uint32_t>(dir),
                            pack(f, id));
}

void P2pLink::on_event(const Event& e) {
    const int dir = static_cast<int>(e.a);
    if (e.kind == kTxDone) {
        Direction& d = dirs_[static_cast<std::size_t>(dir)];
        d.busy = false;
        if (!d.queue.empty()) {
            const FrameRef next = d.queue.front();
            d.queue.pop_front();
            start(dir, next);
        }
        return;
    }
    const FrameRef f = frame_of(e.b);
    const Endpoint& to = spec_.ends[static_cast<std::size_t>(1 - dir)];
    if (!up_) {
        net_.drop(to.node, to.port, f, Reason::LinkDown, "in flight when the link went down");
    } else if (e.kind == kLost) {
        net_.drop(to.node, to.port, f, Reason::Loss);
    } else {
        net_.received(to.node);
        if (net_.tracer.enabled())
            net_.tracer.emit(TraceEvent(net_.now(), Ev::Rx, to.node, to.port, wire_of(e.b),
                              net_.pool.pkt(f), net_.pool.bytes(f)));
        ends_[static_cast<std::size_t>(1 - dir)]->receive(to.port, f);
    }
    net_.pool.release(f);
}

}  // namespace hopsim::sim
