#include "hopsim/sim/switch.hpp"

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

Switch::Switch(Network& net, int node, int ports, SimTime ageing) : Device(net, node, ports), table_(ageing) {}

namespace {
std::string port_label(int port) { return std::to_string(port + 1); }
}  // namespace

void Switch::on_frame(int port, FrameRef f) {
    const SimTime now = net_.now();
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
    }

    // Decide.
    const net::MacAddress dst = eth->dst();
    if (dst.is_multicast()) return flood(port, f);
    const auto found = table_.lookup(dst, now);
    if (found.expired && net_.tracer.enabled()) {
        const std::string key = dst.to_string(), value = port_label(found.expired_port);
        TraceEvent e(now, Ev::Expire, node_, found.expired_port);
        e.table = Table::Mac;
        e.key = key;
        e.value = value;
        net_.tracer.emit(e);
    }
    if (!found.port) return flood(port, f);
    if (*found.port == port) return net_.filter(node_, port, f, Reason::SamePort);

    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(now, Ev::Forward, node_, *found.port, 0,
                          net_.pool.pkt(f), net_.pool.bytes(f)));
    net_.pool.retain(f);
    send(*found.port, f);
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
