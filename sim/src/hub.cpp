#include "hopsim/sim/hub.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/sim/network.hpp"
#include "hopsim/sim/p2p_link.hpp"

namespace hopsim::sim {

namespace {
constexpr int kMaxAttempts = 16;   // IEEE 802.3 attemptLimit
constexpr int kBackoffLimit = 10;  // exponent cap
SimTime bit_times(std::int64_t bits, std::int64_t bps) {
    return SimTime::ns((bits * 1'000'000'000 + bps - 1) / bps);
}
}  // namespace

Hub::Hub(Network& net, int node, int ports, std::int64_t bps)
    : Device(net, node, ports), bps_(bps), slot_(bit_times(512, bps)), jam_(bit_times(32, bps)),
      stations_(static_cast<std::size_t>(ports)) {}

void Hub::add_station(int port, Device* dev, int dev_port, SimTime delay, int link, int queue_limit) {
    Station& s = stations_[static_cast<std::size_t>(port)];
    s.dev = dev;
    s.dev_port = dev_port;
    s.delay = delay;
    s.link = link;
    s.queue_limit = queue_limit;
    s.backoff = net_.stream(fmt::format("hub {} port {} backoff", node_, port + 1));
    max_delay_ = std::max(max_delay_, delay);
}

void Hub::transmit(int side, FrameRef f) {
    Station& s = stations_[static_cast<std::size_t>(side)];
    if (static_cast<int>(s.queue.size()) >= s.queue_limit) {
        net_.drop(s.dev->node(), s.dev_port, f, Reason::QueueFull);
        net_.pool.release(f);
        return;
    }
    s.queue.push_back(f);
    if (s.queue.size() == 1 && s.current < 0 && !s.try_pending) try_send(side);
}

SimTime Hub::carrier_until(int s) const {
    const SimTime now = net_.now();
    const SimTime my_delay = stations_[static_cast<std::size_t>(s)].delay;
    SimTime until;
    for (int i : live_) {
        const Transmission& t = txs_[static_cast<std::size_t>(i)];
        if (t.station == s) continue;
        const SimTime d = stations_[static_cast<std::size_t>(t.station)].delay + my_delay;
        // A signal arriving at this very instant is not yet sensed: a station
        // ending its deferral then transmits and collides, as on a real wire.
        if (t.start + d < now && now < t.end + d) until = std::max(until, t.end + d);
    }
    return until;
}

void Hub::try_send(int s) {
    Station& st = stations_[static_cast<std::size_t>(s)];
    st.try_pending = false;
    if (st.queue.empty() || st.current >= 0) return;
    const SimTime busy = carrier_until(s);
    if (busy > net_.now()) {  // defer until the carrier drops (1-persistent)
        st.try_pending = true;
        net_.engine.schedule(busy, this, kTry, static_cast<std::uint32_t>(s));
        return;
    }
    begin(s);
}

int Hub::new_tx() {
    if (!free_.empty()) {
        const int i = free_.back();
        free_.pop_back();
        txs_[static_cast<std::size_t>(i)] = Transmission{};
        return i;
    }
    txs_.emplace_back();
    return static_cast<int>(txs_.size()) - 1;
}

// Transmissions whose signal has left the whole medium are recycled.
void Hub::forget_old() {
    const SimTime now = net_.now();
    std::erase_if(live_, [&](int i) {
        const Transmission& t = txs_[static_cast<std::size_t>(i)];
        const bool gone = t.sender_finished && t.hub_finished && t.end + max_delay_ * 2 < now;
        if (gone) free_.push_back(i);
        return gone;
    });
}

void Hub::begin(int s) {
    forget_old();
    Station& st = stations_[static_cast<std::size_t>(s)];
    const FrameRef f = st.queue.front();
    const int i = new_tx();
    Transmission& t = txs_[static_cast<std::size_t>(i)];
    const net::Bytes bytes = net_.pool.bytes(f);
    const SimTime wire = wire_time(bytes.size(), bps_);
    t.station = s;
    t.frame = f;
    t.wire_id = net_.new_wire_id();
    t.start = net_.now();
    t.end = t.start + wire;
    st.current = i;
    live_.push_back(i);
    const int node = st.dev->node();
    net_.stats[static_cast<std::size_t>(node)].tx_frames++;
    if (net_.tracer.enabled()) {
        TraceEvent e(t.start, Ev::Tx, node, st.dev_port, t.wire_id,
                     net_.pool.pkt(f), bytes);
        e.link = st.link;
        e.wire = wire;
        const std::string detail = st.attempts ? fmt::format("attempt {}", st.attempts + 1) : std::string();
        e.detail = detail;
        net_.tracer.emit(e);
    }
    net_.engine.schedule(t.start + st.delay, this, kAtHub, static_cast<std::uint32_t>(i));
    net_.engine.schedule(t.end, this, kSenderEnd, static_cast<std::uint32_t>(i));
}

void Hub::arrive(int i) {
    Transmission& t = txs_[static_cast<std::size_t>(i)];
    const SimTime now = net_.now();
    t.at_hub = true;
    t.hub_start = now;
    t.hub_end = t.end + stations_[static_cast<std::size_t>(t.station)].delay;
    if (t.aborted) t.collided = true;  // it already heard another signal: only a fragment reaches us
    // Any other signal on the hub now collides with this one.
    std::vector<int>& hit = hit_;  // reused: no allocation per arrival
    hit.clear();
    for (int j : live_) {
        if (j == i) continue;
        Transmission& o = txs_[static_cast<std::size_t>(j)];
        if (o.at_hub && o.hub_start <= now && now < o.hub_end) hit.push_back(j);
    }
    if (!hit.empty()) {
        t.collided = true;
        net_.stats[static_cast<std::size_t>(node_)].collisions++;
        std::string frames = fmt::format("frames {}", t.wire_id);
        for (int j : hit) {
            Transmission& o = txs_[static_cast<std::size_t>(j)];
            if (!o.collided) {
                o.collided = true;
                net_.engine.schedule(now + stations_[static_cast<std::size_t>(o.station)].delay, this, kDetect,
                                     static_cast<std::uint32_t>(j));
            }
            frames += fmt::format(", {}", o.wire_id);
        }
        net_.engine.schedule(now + stations_[static_cast<std::size_t>(t.station)].delay, this, kDetect,
                             static_cast<std::uint32_t>(i));
        if (net_.tracer.enabled()) {
            TraceEvent e(now, Ev::Collision, node_, t.station, t.wire_id,
                         net_.pool.pkt(t.frame), net_.pool.bytes(t.frame));
            e.detail = frames;
            net_.tracer.emit(e);
        }
    } else if (!t.collided) {
        // The hub starts repeating: one copy onto every other port's wire.
        t.repeat_id = 0;
        for (std::size_t p = 0; p < stations_.size(); ++p) {
            if (static_cast<int>(p) == t.station || !stations_[p].dev) continue;
            const std::uint64_t id = net_.new_wire_id();
            if (!t.repeat_id) t.repeat_id = id;
            net_.stats[static_cast<std::size_t>(node_)].tx_frames++;
            if (net_.tracer.enabled()) {
                TraceEvent e(now, Ev::Tx, node_, static_cast<int>(p), id,
                             net_.pool.pkt(t.frame), net_.pool.bytes(t.frame));
                e.link = stations_[p].link;
                e.wire = t.end - t.start;
                net_.tracer.emit(e);
            }
        }
    }
    net_.engine.schedule(t.hub_end, this, kHubEnd, static_cast<std::uint32_t>(i));
}

void Hub::detect(int i) {
    Transmission& t = txs_[static_cast<std::size_t>(i)];
    if (t.sender_finished || t.aborted) return;  // too late to notice: a late collision
    Station& st = stations_[static_cast<std::size_t>(t.station)];
    const SimTime now = net_.now();
    t.aborted = true;
    t.end = now + jam_;  // stop the frame, send the jam
    if (t.at_hub) t.hub_end = std::min(t.hub_end, t.end + st.delay);
    st.attempts++;
    const int node = st.dev->node();
    net_.stats[static_cast<std::size_t>(node)].collisions++;
    std::string detail;
    const bool give_up = st.attempts >= kMaxAttempts;
    SimTime wait;
    if (!give_up) {
        const std::uint64_t k = st.backoff.below(std::uint64_t{1} << std::min(st.attempts, kBackoffLimit));
        wait = slot_ * static_cast<std::int64_t>(k);
        if (net_.tracer.enabled()) detail = fmt::format("collision {}: jam, back off {} slots ({})", st.attempts, k, wait.to_string());
    } else if (net_.tracer.enabled()) {
        detail = fmt::format("collision {}: excessive collisions, frame dropped", st.attempts);
    }
    if (net_.tracer.enabled()) {
        TraceEvent e(now, Ev::Collision, node, st.dev_port, t.wire_id,
                     net_.pool.pkt(t.frame), net_.pool.bytes(t.frame));
        e.detail = detail;
        net_.tracer.emit(e);
    }
    net_.engine.schedule(t.end, this, kSenderEnd, static_cast<std::uint32_t>(i));
    if (give_up) {
        net_.drop(node, st.dev_port, t.frame, Reason::Collision, "16 attempts");
        st.attempts = 0;
        st.queue.pop_front();
        net_.pool.release(t.frame);
        st.try_pending = true;
        net_.engine.schedule(t.end, this, kTry, static_cast<std::uint32_t>(t.station));
    } else {
        st.try_pending = true;
        net_.engine.schedule(t.end + wait, this, kTry, static_cast<std::uint32_t>(t.station));
    }
}

void Hub::sender_end(int i) {
    Transmission& t = txs_[static_cast<std::size_t>(i)];
    if (t.sender_finished || net_.now() < t.end) return;  // the original end of an aborted frame
    t.sender_finished = true;
    Station& st = stations_[static_cast<std::size_t>(t.station)];
    st.current = -1;
    if (t.aborted) return;  // detect() has scheduled the retry; the frame stays queued
    st.attempts = 0;
    st.queue.pop_front();
    t.owns_frame = true;  // released once the hub has delivered (or lost) it
    if (!st.queue.empty() && !st.try_pending) try_send(t.station);
}

void Hub::hub_end(int i) {
    Transmission& t = txs_[static_cast<std::size_t>(i)];
    if (t.hub_finished) return;
    t.hub_finished = true;
    if (t.collided) {
        // Every copy the hub repeated was damaged. An aborted frame is retried
        // by its sender; one that escaped detection (a late collision) is lost.
        net_.drop(node_, t.station, t.frame, Reason::Collision, "damaged in a collision");
        if (t.owns_frame) net_.pool.release(t.frame);
        return;
    }
    net_.received(node_);
    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(net_.now(), Ev::Rx, node_, t.station, t.wire_id,
                          net_.pool.pkt(t.frame), net_.pool.bytes(t.frame)));
    for (std::size_t p = 0; p < stations_.size(); ++p) {
        if (static_cast<int>(p) == t.station || !stations_[p].dev) continue;
        net_.pool.retain(t.frame);
        net_.engine.schedule(net_.now() + stations_[p].delay, this, kDeliver, static_cast<std::uint32_t>(i), p);
    }
    net_.pool.release(t.frame);  // the sender's reference; each delivery holds its own
}

void Hub::deliver(int i, int p) {
    const Transmission& t = txs_[static_cast<std::size_t>(i)];
    Station& st = stations_[static_cast<std::size_t>(p)];
    const int node = st.dev->node();
    // Copies went out in port order, so port p's copy id counts the stations before it.
    std::uint64_t id = t.repeat_id;
    for (int q = 0; q < p; ++q)
        if (q != t.station && stations_[static_cast<std::size_t>(q)].dev) ++id;
    net_.received(node);
    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(net_.now(), Ev::Rx, node, st.dev_port, id,
                          net_.pool.pkt(t.frame), net_.pool.bytes(t.frame)));
    // on_frame may transmit a reply, which can grow txs_ and move `t`.
    const FrameRef frame = t.frame;
    st.dev->receive(st.dev_port, frame);
    net_.pool.release(frame);
}

void Hub::on_event(const Event& e) {
    const int i = static_cast<int>(e.a);
    switch (e.kind) {
        case kTry: return try_send(i);
        case kAtHub: return arrive(i);
        case kDetect: return detect(i);
        case kSenderEnd: return sender_end(i);
        case kHubEnd: return hub_end(i);
        case kDeliver: return deliver(i, static_cast<int>(e.b));
    }
}

}  // namespace hopsim::sim
