#include "hopsim/sim/switch.hpp"

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

Switch::Switch(Network& net, int node, int ports, SimTime ageing) : Device(net, node, ports), table_(ageing) {}

namespace {
std::string port_label(int port) { return std::to_string(port + 1); }
}  // namespace

void Switch::expire_entries() {
    table_.expire_due(net_.now(), [&](net::MacAddress mac, int port) {
        if (!net_.tracer.enabled()) return;
        const std::string key = mac.to_string(), value = port_label(port);
        TraceEvent e(net_.now(), Ev::Expire, node_, port);
        e.table = Table::Mac;
        e.key = key;
        e.value = value;
        net_.tracer.emit(e);
    });
}

void Switch::arm_expiry() {
    const auto next = table_.next_expiry();
    if (!next || *next >= expiry_at_) return;
    expiry_at_ = *next;
    net_.engine.schedule(*next, this, 0);
}

void Switch::on_event(const Event& e) {
    if (e.time != expiry_at_) return;  // superseded by an earlier deadline
    expiry_at_ = SimTime::max();
    expire_entries();
    arm_expiry();
}

void Switch::on_frame(int port, FrameRef f) {
    const SimTime now = net_.now();
    if (expiry_at_ <= now) expire_entries();  // a deadline at this very instant goes first
    const auto eth = net::EthernetView::parse(net_.pool.bytes(f));
    if (!eth) return net_.drop_malformed(node_, port, f, eth.error());

    // Learn where the source lives.
    const net::MacAddress src = eth->src();
    if (src.is_unicast()) {
        const auto learned = table_.learn(src, port, now);
        if (learned.changed && net_.tracer.enabled()) {
            const std::string key = src.to_string(), value = port_label(port);
            const std::string old = learned.old_port ? port_label(*learned.old_port) : std::string();
            TraceEvent e(now, Ev::Learn, node_, port);
            e.table = Table::Mac;
            e.key = key;
            e.value = value;
            e.old = old;
            net_.tracer.emit(e);
        }
        if (learned.changed) arm_expiry();
    }

    // Decide.
    const net::MacAddress dst = eth->dst();
    if (dst.is_multicast()) return flood(port, f);
    const auto out = table_.lookup(dst, now);
    if (!out) return flood(port, f);
    if (*out == port) return net_.filter(node_, port, f, Reason::SamePort);

    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(now, Ev::Forward, node_, *out, 0,
                          net_.pool.pkt(f), net_.pool.bytes(f)));
    net_.pool.retain(f);
    send(*out, f);
}

void Switch::flood(int in_port, FrameRef f) {
    net_.stats[static_cast<std::size_t>(node_)].floods++;
    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(net_.now(), Ev::Flood, node_, in_port, 0,
                          net_.pool.pkt(f), net_.pool.bytes(f)));
    for (int p = 0; p < port_count(); ++p) {
        if (p == in_port || !attached(p)) continue;
        net_.pool.retain(f);  // one frame, shared by every copy of the flood
        send(p, f);
    }
}

}  // namespace hopsim::sim
