#include "hopsim/sim/switch.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/sim/network.hpp"

namespace hopsim::sim {

namespace {
std::string port_label(int port) { return std::to_string(port + 1); }
}  // namespace

Switch::Switch(Network& net, int node, const NodeSpec& spec, std::vector<std::uint32_t> path_costs)
    : Device(net, node, spec.ports), spec_(spec), table_(spec.mac_ageing) {
    if (!spec.stp) return;
    SpanningTree::Hooks hooks;
    hooks.send = [this](int port, const net::Bpdu& b) { send_bpdu(port, b); };
    hooks.flush_port = [this](int port) {
        table_.flush([&](int p, SimTime) { return p != port; },
                     [&](net::MacAddress mac, int p, std::uint16_t vid) {
                         trace_table(Ev::Expire, mac, p, vid, std::nullopt, "port left the spanning tree");
                     });
    };
    hooks.short_ageing = [this](std::optional<SimTime> shorter) {
        if (expiry_at_ <= net_.now()) expire_entries();
        table_.set_ageing(shorter.value_or(spec_.mac_ageing));
        expire_entries();  // what is already older than the short time goes now
        arm_expiry();
    };
    stp_ = std::make_unique<SpanningTree>(net, node, spec, std::move(path_costs), std::move(hooks));
}

Switch::~Switch() = default;

void Switch::start() {
    if (!stp_) return;
    for (int p = 0; p < port_count(); ++p)
        if (attached(p)) stp_->port_up(p);
    stp_->start();
}

void Switch::link_changed(int port, bool up) {
    if (stp_) return up ? stp_->port_up(port) : stp_->port_down(port);
    if (up) return;
    // Linux's bridge forgets what it learned on a port whose carrier goes down.
    table_.flush([&](int p, SimTime) { return p != port; },
                 [&](net::MacAddress mac, int p, std::uint16_t vid) {
                     trace_table(Ev::Expire, mac, p, vid, std::nullopt, "link down");
                 });
}

void Switch::trace_table(Ev ev, net::MacAddress mac, int port, std::uint16_t vid, std::optional<int> old,
                         std::string_view detail) {
    if (!net_.tracer.enabled()) return;
    const std::string key = mac.to_string(), value = port_label(port), was = old ? port_label(*old) : std::string();
    TraceEvent e(net_.now(), ev, node_, port);
    e.table = Table::Mac;
    e.key = key;
    e.value = value;
    e.old = was;
    e.vlan = vid;
    e.detail = detail;
    net_.tracer.emit(e);
}

void Switch::expire_entries() {
    table_.expire_due(net_.now(), [&](net::MacAddress mac, int port, std::uint16_t vid) {
        trace_table(Ev::Expire, mac, port, vid, std::nullopt);
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

void Switch::send_bpdu(int port, const net::Bpdu& b) {
    net::MutableBytes out;
    const FrameRef f = net_.pool.make_uninitialised(net::bpdu_frame_size(), net_.new_pkt(), -1, out);
    net::emit_bpdu_frame(b, switch_port_mac(node_, port), out);
    if (net_.tracer.enabled()) {
        const std::string detail =
            b.type == net::kBpduTcn ? std::string("topology change notification")
                                    : fmt::format("root {} cost {}{}", b.root.to_string(), b.root_cost,
                                                  b.flags & net::kBpduFlagTc ? ", topology change" : "");
        TraceEvent e(net_.now(), Ev::Send, node_, port, 0, net_.pool.pkt(f), net_.pool.bytes(f));
        e.detail = detail;
        net_.tracer.emit(e);
    }
    send(port, f);
}

void Switch::learn(int port, std::uint16_t vid, net::MacAddress src) {
    if (!src.is_unicast()) return;
    const auto learned = table_.learn(src, port, net_.now(), vid);
    if (!learned.changed) return;
    trace_table(Ev::Learn, src, port, vid, learned.old_port);
    arm_expiry();
}

std::optional<std::uint16_t> Switch::ingress_vlan(int port, FrameRef f, const net::EthernetView& eth) {
    if (!vlan_aware()) return 0;
    const SwitchPortSpec& spec = spec_.port_spec(port);
    const auto tag = eth.vlan();
    if (!tag || tag->vid == 0) return spec.untagged_vlan();
    if (spec.carries(tag->vid)) return tag->vid;
    net_.drop(node_, port, f, Reason::VlanFiltered,
              fmt::format("tagged VLAN {} on port {}, which carries {}", tag->vid, port + 1,
                          spec.is_trunk() ? "other VLANs" : fmt::format("only VLAN {}", spec.access)));
    return std::nullopt;
}

void Switch::on_frame(int port, FrameRef f) {
    const SimTime now = net_.now();
    if (expiry_at_ <= now) expire_entries();  // a deadline at this very instant goes first
    const auto eth = net::EthernetView::parse(net_.pool.bytes(f));
    if (!eth) return net_.drop_malformed(node_, port, f, eth.error());

    const net::MacAddress dst = eth->dst();
    if (stp_ && dst.to_u64() == net::kStpGroupMac) {  // for the spanning tree, never forwarded
        if (eth->ethertype() > net::kEthernetMaxLength)
            return net_.drop(node_, port, f, Reason::Malformed, "to the STP group address but not an 802.3 frame with LLC");
        const net::Bytes llc = eth->payload().first(std::min<std::size_t>(eth->ethertype(), eth->payload().size()));
        const auto bpdu = net::BpduView::parse(llc);
        if (!bpdu) return net_.drop_malformed(node_, port, f, bpdu.error());
        // Linux learns the sender of a link-local frame too (br_handle_local_finish),
        // on a port that learns: a neighbour bridge's port MAC shows up in the table.
        if (stp_->learns(port)) learn(port, vlan_aware() ? spec_.port_spec(port).untagged_vlan() : 0, eth->src());
        return stp_->receive(port, bpdu->to_bpdu());
    }
    if (stp_ && !stp_->learns(port))
        return net_.drop(node_, port, f, Reason::StpBlocked, fmt::format("port {} is {}", port + 1, to_string(stp_->state(port))));
    const auto vid = ingress_vlan(port, f, *eth);
    if (!vid) return;
    learn(port, *vid, eth->src());
    if (stp_ && !stp_->forwards(port))
        return net_.drop(node_, port, f, Reason::StpBlocked, fmt::format("port {} is learning", port + 1));

    if (dst.is_multicast()) flood(port, *vid, f);
    else if (const auto out = table_.lookup(dst, now, *vid); !out) flood(port, *vid, f);
    else if (*out == port) net_.filter(node_, port, f, Reason::SamePort);
    else egress(*out, *vid, f);

    // The retagged copies made for this frame, now held by the links.
    if (have_tagged_) net_.pool.release(tagged_);
    if (have_untagged_) net_.pool.release(untagged_);
    have_tagged_ = have_untagged_ = false;
}

FrameRef Switch::variant(FrameRef f, std::optional<std::uint16_t> tag) {
    const net::Bytes in = net_.pool.bytes(f);
    const bool in_tagged = net::load16(in, net::eth_field::kType) == net::kEtherTypeVlan;
    const auto in_vid = static_cast<std::uint16_t>(net::load16(in, net::eth_field::kVlanTci) & 0x0fff);
    if (!tag && !in_tagged) return f;
    if (tag && in_tagged && in_vid == *tag) return f;
    FrameRef& copy = tag ? tagged_ : untagged_;
    bool& have = tag ? have_tagged_ : have_untagged_;
    if (!have) {
        net::MutableBytes out;
        copy = net_.pool.make_uninitialised(net::retagged_size(in, tag.has_value()), net_.pool.pkt(f), net_.pool.flow(f), out);
        // A tag we push carries the frame's priority if it had one.
        const std::uint8_t pcp = in_tagged ? static_cast<std::uint8_t>(net::load16(in, net::eth_field::kVlanTci) >> 13) : 0;
        net::retag(net_.pool.bytes(f), tag ? std::optional<net::VlanTag>(net::VlanTag{pcp, false, *tag}) : std::nullopt, out);
        have = true;
    }
    return copy;
}

FrameRef Switch::shaped(int port, std::uint16_t vid, FrameRef f) {
    if (!vlan_aware()) return f;
    const SwitchPortSpec& spec = spec_.port_spec(port);
    return variant(f, spec.is_trunk() && vid != spec.native ? std::optional<std::uint16_t>(vid) : std::nullopt);
}

void Switch::egress(int port, std::uint16_t vid, FrameRef f) {
    const FrameRef out = shaped(port, vid, f);
    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(net_.now(), Ev::Forward, node_, port, 0, net_.pool.pkt(out), net_.pool.bytes(out)));
    net_.pool.retain(out);
    send(port, out);
}

void Switch::flood(int in_port, std::uint16_t vid, FrameRef f) {
    net_.stats[static_cast<std::size_t>(node_)].floods++;
    if (net_.tracer.enabled())
        net_.tracer.emit(TraceEvent(net_.now(), Ev::Flood, node_, in_port, 0, net_.pool.pkt(f), net_.pool.bytes(f)));
    for (int p = 0; p < port_count(); ++p) {
        if (p == in_port || !attached(p)) continue;
        if (vlan_aware() && !spec_.port_spec(p).carries(vid)) continue;
        if (stp_ && !stp_->forwards(p)) continue;
        const FrameRef out = shaped(p, vid, f);
        net_.pool.retain(out);  // one frame, shared by every copy of the flood
        send(p, out);
    }
}

}  // namespace hopsim::sim
