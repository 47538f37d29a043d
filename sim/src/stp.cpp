#include "hopsim/sim/stp.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

const char* to_string(PortState s) {
    switch (s) {
        case PortState::Disabled: return "disabled";
        case PortState::Blocking: return "blocking";
        case PortState::Listening: return "listening";
        case PortState::Learning: return "learning";
        case PortState::Forwarding: return "forwarding";
    }
    return "?";
}

const char* to_string(PortRole r) {
    switch (r) {
        case PortRole::Disabled: return "disabled";
        case PortRole::Root: return "root";
        case PortRole::Designated: return "designated";
        case PortRole::Alternate: return "alternate";
    }
    return "?";
}

std::uint32_t stp_path_cost(std::int64_t bps) {
    if (bps <= 0) return 200'000'000;
    const std::int64_t kbps = std::max<std::int64_t>(bps / 1000, 1);
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(20'000'000'000 / kbps, 1, 200'000'000));
}

std::vector<std::uint32_t> switch_path_costs(const Scenario& sc, int node) {
    const NodeSpec& n = sc.nodes[static_cast<std::size_t>(node)];
    std::vector<std::uint32_t> costs(static_cast<std::size_t>(n.ports), stp_path_cost(100'000'000));
    for (const LinkSpec& l : sc.links)
        for (const Endpoint& e : l.ends)
            if (e.node == node) costs[static_cast<std::size_t>(e.port)] = stp_path_cost(l.bandwidth_bps);
    for (int p = 0; p < n.ports; ++p)
        if (const auto& c = n.port_spec(p).stp_cost) costs[static_cast<std::size_t>(p)] = *c;
    return costs;
}

net::MacAddress switch_port_mac(int node, int port) {
    return net::MacAddress::from_u64(0x020000000000ull | (std::uint64_t(node + 1) << 8) | std::uint64_t(port + 1));
}

namespace {
// Linux's MESSAGE_AGE_INCR: a relayed BPDU is at least one tick older.
constexpr std::uint16_t kMessageAgeIncrement = 1;
}  // namespace

SpanningTree::SpanningTree(Network& net, int node, const NodeSpec& spec, std::vector<std::uint32_t> path_costs, Hooks hooks)
    : net_(net), node_(node), hooks_(std::move(hooks)), own_(net.sc.stp_timers), in_use_(own_),
      hold_(std::min(SimTime::s(1), own_.hello)) {
    // The bridge's address is its lowest port MAC, as Linux picks it.
    bridge_id_ = {spec.stp_priority, switch_port_mac(node, 0)};
    designated_root_ = bridge_id_;
    ports_.resize(path_costs.size());
    for (std::size_t p = 0; p < ports_.size(); ++p) {
        ports_[p].id = static_cast<std::uint16_t>(0x8000 | ((p + 1) & 0x0fff));
        ports_[p].path_cost = path_costs[p];
    }
    timers_.resize(3 + kTimerCount * ports_.size());
}

PortRole SpanningTree::role(int p) const {
    if (state(p) == PortState::Disabled) return PortRole::Disabled;
    if (p == root_port_) return PortRole::Root;
    if (is_designated(p)) return PortRole::Designated;
    return PortRole::Alternate;
}

// --- timers: one generation counter each; a stale engine event is ignored.

SpanningTree::Armed& SpanningTree::armed(Timer t, int port) {
    if (t <= kTopologyChange) return timers_[t];
    return timers_[3 + static_cast<std::size_t>(port) * kTimerCount + t];
}

void SpanningTree::start_timer(Timer t, int port, SimTime after) {
    Armed& a = armed(t, port);
    a.generation++;
    a.running = true;
    net_.engine.schedule_in(after, this, t, static_cast<std::uint32_t>(port < 0 ? 0 : port), a.generation);
}

void SpanningTree::stop_timer(Timer t, int port) {
    Armed& a = armed(t, port);
    a.generation++;
    a.running = false;
}

std::uint16_t SpanningTree::to_256(SimTime t) const {
    return static_cast<std::uint16_t>(std::min<std::int64_t>(t.count() * 256 / 1'000'000'000, 65535));
}
SimTime SpanningTree::from_256(std::uint16_t v) const { return SimTime::ns(std::int64_t{v} * 1'000'000'000 / 256); }

void SpanningTree::on_event(const Event& e) {
    const auto t = static_cast<Timer>(e.kind);
    const int p = static_cast<int>(e.a);
    Armed& a = armed(t, p);
    if (!a.running || a.generation != e.b) return;
    a.running = false;
    switch (t) {
        case kHello:
            config_bpdu_generation();
            start_timer(kHello, -1, in_use_.hello);
            break;
        case kTcn:
            if (!is_root()) {
                transmit_tcn();
                start_timer(kTcn, -1, own_.hello);
            }
            break;
        case kTopologyChange:
            topology_change_detected_ = false;
            set_topology_change(false);
            break;
        case kMessageAge: {
            if (state(p) == PortState::Disabled) break;
            const bool was_root = is_root();
            const net::BridgeId old_root = designated_root_;
            const int old_rp = root_port_;
            become_designated(p);
            configuration_update();
            port_state_selection();
            if (is_root() && !was_root) become_root();
            report_root(old_root, old_rp);
            break;
        }
        case kForwardDelay:
            if (state(p) == PortState::Listening) {
                set_state(p, PortState::Learning);
                start_timer(kForwardDelay, p, in_use_.forward_delay);
            } else if (state(p) == PortState::Learning) {
                set_state(p, PortState::Forwarding);
                bool designated_somewhere = false;
                for (int q = 0; q < static_cast<int>(ports_.size()); ++q)
                    designated_somewhere |= state(q) != PortState::Disabled && is_designated(q);
                if (designated_somewhere) topology_change_detection();
            }
            break;
        case kHold:
            if (ports_[static_cast<std::size_t>(p)].config_pending) transmit_config(p);
            break;
        case kTimerCount: break;
    }
}

// --- the procedures

bool SpanningTree::is_designated(int p) const {
    const Port& port = ports_[static_cast<std::size_t>(p)];
    return port.designated_bridge == bridge_id_ && port.designated_port == port.id;
}

bool SpanningTree::supersedes(int p, const net::Bpdu& b) const {
    const Port& port = ports_[static_cast<std::size_t>(p)];
    if (b.root != port.designated_root) return b.root < port.designated_root;
    if (b.root_cost != port.designated_cost) return b.root_cost < port.designated_cost;
    if (b.bridge != port.designated_bridge) return b.bridge < port.designated_bridge;
    if (b.bridge != bridge_id_) return true;
    return b.port <= port.designated_port;
}

void SpanningTree::record(int p, const net::Bpdu& b) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    port.designated_root = b.root;
    port.designated_cost = b.root_cost;
    port.designated_bridge = b.bridge;
    port.designated_port = b.port;
    port.message_age = b.message_age;
    port.info_received = net_.now();
    const SimTime left = b.max_age > b.message_age ? from_256(static_cast<std::uint16_t>(b.max_age - b.message_age)) : SimTime();
    start_timer(kMessageAge, p, left);
}

void SpanningTree::root_selection() {
    int best = -1;
    for (int p = 0; p < static_cast<int>(ports_.size()); ++p) {
        const Port& c = ports_[static_cast<std::size_t>(p)];
        if (c.state == PortState::Disabled || is_designated(p) || !(c.designated_root < bridge_id_)) continue;
        if (best < 0) {
            best = p;
            continue;
        }
        const Port& r = ports_[static_cast<std::size_t>(best)];
        const auto key = [](const Port& x) {
            return std::tuple{x.designated_root, std::uint64_t{x.designated_cost} + x.path_cost, x.designated_bridge,
                              x.designated_port, x.id};
        };
        if (key(c) < key(r)) best = p;
    }
    root_port_ = best;
    if (best < 0) {
        designated_root_ = bridge_id_;
        root_path_cost_ = 0;
    } else {
        const Port& r = ports_[static_cast<std::size_t>(best)];
        designated_root_ = r.designated_root;
        root_path_cost_ = r.designated_cost + r.path_cost;
    }
}

void SpanningTree::become_designated(int p) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    port.designated_root = designated_root_;
    port.designated_cost = root_path_cost_;
    port.designated_bridge = bridge_id_;
    port.designated_port = port.id;
}

void SpanningTree::designated_port_selection() {
    for (int p = 0; p < static_cast<int>(ports_.size()); ++p) {
        const Port& port = ports_[static_cast<std::size_t>(p)];
        if (port.state == PortState::Disabled) continue;
        bool become = is_designated(p) || port.designated_root != designated_root_;
        if (!become) {
            if (root_path_cost_ != port.designated_cost) become = root_path_cost_ < port.designated_cost;
            else if (bridge_id_ != port.designated_bridge) become = bridge_id_ < port.designated_bridge;
            else become = port.id < port.designated_port;
        }
        if (become) become_designated(p);
    }
}

void SpanningTree::configuration_update() {
    root_selection();
    designated_port_selection();
}

void SpanningTree::port_state_selection() {
    for (int p = 0; p < static_cast<int>(ports_.size()); ++p) {
        Port& port = ports_[static_cast<std::size_t>(p)];
        if (port.state == PortState::Disabled) continue;
        if (p == root_port_) {
            port.config_pending = port.topology_change_ack = false;
            make_forwarding(p);
        } else if (is_designated(p)) {
            stop_timer(kMessageAge, p);
            make_forwarding(p);
        } else {
            port.config_pending = port.topology_change_ack = false;
            make_blocking(p);
        }
    }
}

void SpanningTree::make_forwarding(int p) {
    if (state(p) != PortState::Blocking) return;
    set_state(p, PortState::Listening);
    start_timer(kForwardDelay, p, in_use_.forward_delay);
}

void SpanningTree::make_blocking(int p) {
    const PortState s = state(p);
    if (s == PortState::Disabled || s == PortState::Blocking) return;
    if (s == PortState::Forwarding || s == PortState::Learning) topology_change_detection();
    set_state(p, PortState::Blocking);
    stop_timer(kForwardDelay, p);
}

void SpanningTree::set_state(int p, PortState s) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    const PortState old = port.state;
    port.state = s;
    if (old == s || !net_.tracer.enabled()) return;
    const char* r = to_string(role(p));
    TraceEvent e(net_.now(), Ev::State, node_, p);
    e.conn = "stp";
    e.from_state = to_string(old);
    e.to_state = to_string(s);
    e.role = r;
    net_.tracer.emit(e);
}

void SpanningTree::config_bpdu_generation() {
    for (int p = 0; p < static_cast<int>(ports_.size()); ++p)
        if (state(p) != PortState::Disabled && is_designated(p)) transmit_config(p);
}

void SpanningTree::transmit_config(int p) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    if (armed(kHold, p).running) {
        port.config_pending = true;
        return;
    }
    net::Bpdu b;
    b.type = net::kBpduConfig;
    b.flags = static_cast<std::uint8_t>((topology_change_ ? net::kBpduFlagTc : 0) |
                                        (port.topology_change_ack ? net::kBpduFlagTca : 0));
    b.root = designated_root_;
    b.root_cost = root_path_cost_;
    b.bridge = bridge_id_;
    b.port = port.id;
    if (!is_root()) {
        const Port& rp = ports_[static_cast<std::size_t>(root_port_)];
        const std::int64_t age = rp.message_age + to_256(net_.now() - rp.info_received) + kMessageAgeIncrement;
        b.message_age = static_cast<std::uint16_t>(std::min<std::int64_t>(age, 65535));
    }
    b.max_age = to_256(in_use_.max_age);
    b.hello = to_256(in_use_.hello);
    b.forward_delay = to_256(in_use_.forward_delay);
    if (b.message_age >= b.max_age) return;  // information too old to pass on
    hooks_.send(p, b);
    port.topology_change_ack = port.config_pending = false;
    start_timer(kHold, p, hold_);
}

void SpanningTree::transmit_tcn() {
    if (root_port_ < 0) return;
    net::Bpdu b;
    b.type = net::kBpduTcn;
    hooks_.send(root_port_, b);
}

void SpanningTree::topology_change_detection() {
    if (is_root()) {
        set_topology_change(true);
        start_timer(kTopologyChange, -1, own_.forward_delay + own_.max_age);
    } else if (!topology_change_detected_) {
        transmit_tcn();
        start_timer(kTcn, -1, own_.hello);
    }
    topology_change_detected_ = true;
}

void SpanningTree::become_root() {
    in_use_ = own_;
    topology_change_detection();
    stop_timer(kTcn, -1);
    config_bpdu_generation();
    start_timer(kHello, -1, in_use_.hello);
}

void SpanningTree::set_topology_change(bool on) {
    if (on == topology_change_) return;
    topology_change_ = on;
    // Linux: while the topology changes, MAC entries age in twice the forward delay.
    hooks_.short_ageing(on ? std::optional<SimTime>(in_use_.forward_delay * 2) : std::nullopt);
}

void SpanningTree::report_root(const net::BridgeId& old_root, int old_rp) {
    if ((old_root == designated_root_ && old_rp == root_port_) || !net_.tracer.enabled()) return;
    const std::string from = old_root.to_string(), to = designated_root_.to_string();
    const std::string detail =
        is_root() ? std::string("this bridge is the root")
                  : fmt::format("root port {}, cost {}", root_port_ + 1, root_path_cost_);
    TraceEvent e(net_.now(), Ev::State, node_, root_port_);
    e.conn = "stp root";
    e.from_state = from;
    e.to_state = to;
    e.detail = detail;
    net_.tracer.emit(e);
}

// --- what arrives from outside

void SpanningTree::start() { start_timer(kHello, -1, in_use_.hello); }

void SpanningTree::receive(int p, const net::Bpdu& b) {
    if (state(p) == PortState::Disabled) return;
    const net::BridgeId old_root = designated_root_;
    const int old_rp = root_port_;
    if (b.type == net::kBpduTcn) {
        if (is_designated(p)) {
            topology_change_detection();
            ports_[static_cast<std::size_t>(p)].topology_change_ack = true;
            transmit_config(p);
        }
        return;
    }
    const bool was_root = is_root();
    if (supersedes(p, b)) {
        record(p, b);
        configuration_update();
        port_state_selection();
        if (!is_root() && was_root) {
            stop_timer(kHello, -1);
            if (topology_change_detected_) {
                stop_timer(kTopologyChange, -1);
                transmit_tcn();
                start_timer(kTcn, -1, own_.hello);
            }
        }
        if (p == root_port_) {
            in_use_.max_age = from_256(b.max_age);
            in_use_.hello = from_256(b.hello);
            in_use_.forward_delay = from_256(b.forward_delay);
            set_topology_change((b.flags & net::kBpduFlagTc) != 0);
            config_bpdu_generation();
            if (b.flags & net::kBpduFlagTca) {
                topology_change_detected_ = false;
                stop_timer(kTcn, -1);
            }
        }
    } else if (is_designated(p)) {
        transmit_config(p);
    }
    report_root(old_root, old_rp);
}

void SpanningTree::port_up(int p) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    if (port.state != PortState::Disabled) return;
    become_designated(p);
    set_state(p, PortState::Blocking);
    port.topology_change_ack = port.config_pending = false;
    port_state_selection();
}

void SpanningTree::port_down(int p) {
    Port& port = ports_[static_cast<std::size_t>(p)];
    if (port.state == PortState::Disabled) return;
    const bool was_root = is_root();
    const net::BridgeId old_root = designated_root_;
    const int old_rp = root_port_;
    become_designated(p);
    set_state(p, PortState::Disabled);
    port.topology_change_ack = port.config_pending = false;
    stop_timer(kMessageAge, p);
    stop_timer(kForwardDelay, p);
    stop_timer(kHold, p);
    hooks_.flush_port(p);
    configuration_update();
    port_state_selection();
    if (is_root() && !was_root) become_root();
    report_root(old_root, old_rp);
}

}  // namespace hopsim::sim
