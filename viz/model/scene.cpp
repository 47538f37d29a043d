#include "hopsim/viz/scene.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "hopsim/sim/time.hpp"
#include "hopsim/sim/units.hpp"
#include "hopsim/viz/label_placer.hpp"
#include "palette.hpp"

namespace hopsim::viz {

namespace {
constexpr float kEnvelopeW = 18, kEnvelopeH = 12, kTitle = 36;
}  // namespace

Rgba colour(Proto p) {
    switch (p) {
        case Proto::Arp: return {232, 184, 30};
        case Proto::Icmp: return {60, 160, 80};
        case Proto::Udp: return {40, 120, 220};
        case Proto::Tcp: return {230, 100, 30};
        case Proto::Raw: return {140, 140, 140};
        case Proto::None: return kMuted;
    }
    return kInk;
}

Scene::Scene(const Timeline& tl, const Metrics& metrics)
    : tl_(tl), pos_(layout(tl.scenario())), dense_(tl.scenario().nodes.size() > kDenseNodes), strip_(tl, metrics) {}

// ---- where things are ----

float Scene::tables_height(Box area, const Look& look) const { return strip_.layout(area, look.tables, look.tables_height).box.h; }

Box Scene::topology(Box area, const Look& look) const { return topology(area, strip_.layout(area, look.tables, look.tables_height).box.y); }

Box Scene::topology(Box area, float bottom) const {
    const float labels = dense_ ? 12 : 48;  // under the lowest icon: its name and address
    return {area.x + 64, area.y + kTitle + 34, std::max(1.f, area.w - 128), std::max(1.f, bottom - labels - (area.y + kTitle + 34))};
}

Vec Scene::at(int node, Box topo) const {
    const Point& p = pos_[static_cast<std::size_t>(node)];
    return {std::round(topo.x + static_cast<float>(p[0]) * topo.w), std::round(topo.y + static_cast<float>(p[1]) * topo.h)};
}

Vec Scene::envelope_at(const Flight& f, std::int64_t t, Box topo) const {
    const Vec a = at(f.from, topo), b = at(f.to, topo);
    // Paced by the uncut length, so a collided fragment moves like the frame it was and stops short.
    const float x = static_cast<float>(t - f.start) / static_cast<float>(std::max<std::int64_t>(1, f.full - f.start));
    return a + (b - a) * std::clamp(x, 0.f, 1.f);
}

Vec Scene::along(int from, int to, float distance, Box topo) const {
    const Vec a = at(from, topo), d = at(to, topo) - a;
    const float len = std::max(1.f, std::sqrt(d.x * d.x + d.y * d.y));
    return a + d * (std::min(distance, len / 3) / len);
}

Box Scene::icon(int node, Vec p) const {
    switch (tl_.scenario().nodes[static_cast<std::size_t>(node)].kind) {
        case sim::NodeKind::Host: return dense_ ? Box{p.x - 4, p.y - 3, 8, 6} : Box{p.x - 17, p.y - 16, 34, 30};
        case sim::NodeKind::Switch: return {p.x - 24, p.y - 13, 48, 26};
        case sim::NodeKind::Hub:
        case sim::NodeKind::Router: return {p.x - 20, p.y - 20, 40, 40};
    }
    return {p.x, p.y, 0, 0};
}

int Scene::node_at(Box area, const Look& look, Vec p) const {
    const Box topo = topology(area, look);
    for (std::size_t i = 0; i < pos_.size(); ++i)
        if (icon(static_cast<int>(i), at(static_cast<int>(i), topo)).grown(3).contains(p)) return static_cast<int>(i);
    return -1;
}

const Flight* Scene::flight_at(Box area, const Look& look, Vec p) const {
    const Box topo = topology(area, look);
    for (const Flight* f : tl_.in_flight(look.t)) {
        const Vec e = envelope_at(*f, look.t, topo);
        if (Box{e.x - kEnvelopeW / 2, e.y - kEnvelopeH / 2, kEnvelopeW, kEnvelopeH}.grown(3).contains(p)) return f;
    }
    return nullptr;
}

// ---- drawing ----

void Scene::draw_node(Canvas& c, int i, Vec p, const Look& look) const {
    const sim::NodeSpec& n = tl_.scenario().nodes[static_cast<std::size_t>(i)];
    switch (n.kind) {
        case sim::NodeKind::Host:
            if (dense_) {
                c.rect(icon(i, p), kHost);
                break;
            }
            c.rect({p.x - 17, p.y - 16, 34, 24}, kHost, kInk);
            c.rect({p.x - 8, p.y + 10, 16, 4}, kInk);
            break;
        case sim::NodeKind::Hub: {
            const bool flash = tl_.collision_near(i, look.t, look.recent);
            c.polygon(p, 20, 6, kHub, flash ? kAlert : kInk, flash ? 6 : 1);
            c.text("HUB", {p.x, p.y - 7}, 10, kWhite, Face::Sans, Align::Centre);
            break;
        }
        case sim::NodeKind::Switch:
            c.rect({p.x - 24, p.y - 13, 48, 26}, kSwitch, kInk);
            c.text("<=>", {p.x, p.y - 8}, 12, kWhite, Face::Sans, Align::Centre);
            break;
        case sim::NodeKind::Router:
            c.polygon(p, 20, 40, kRouter, kInk);
            c.text("R", {p.x, p.y - 9}, 14, kWhite, Face::Sans, Align::Centre);
            break;
    }
}

// The VLAN of a link between a switch's access port and a station, when the
// switch has VLAN settings; nothing for trunks and for switches without.
std::optional<std::uint16_t> Scene::access_vlan(const sim::Scenario& sc, const sim::LinkSpec& l) {
    for (const sim::Endpoint& e : l.ends) {
        const sim::NodeSpec& n = sc.nodes[static_cast<std::size_t>(e.node)];
        if (n.kind == sim::NodeKind::Switch && n.vlan_aware() && !n.port_spec(e.port).is_trunk()) return n.port_spec(e.port).access;
    }
    return std::nullopt;
}

// "trunk 10,20" for a link with a trunk port at either end, else "".
std::string Scene::trunk_text(const sim::Scenario& sc, const sim::LinkSpec& l) {
    for (const sim::Endpoint& e : l.ends) {
        const sim::NodeSpec& n = sc.nodes[static_cast<std::size_t>(e.node)];
        if (n.kind != sim::NodeKind::Switch || !n.vlan_aware() || !n.port_spec(e.port).is_trunk()) continue;
        std::string s = "trunk";
        for (std::size_t i = 0; i < n.port_spec(e.port).trunk.size(); ++i) s += (i ? "," : " ") + std::to_string(n.port_spec(e.port).trunk[i]);
        return s;
    }
    return {};
}

// The hover box: every interface with its address and MAC.
void Scene::draw_interfaces(Canvas& c, int node, Vec p, Box area) const {
    const sim::NodeSpec& n = tl_.scenario().nodes[static_cast<std::size_t>(node)];
    std::vector<std::string> lines{fmt::format("{} ({})", n.id, sim::to_string(n.kind))};
    for (const sim::InterfaceSpec& i : n.interfaces)
        lines.push_back(fmt::format("{}  {}  {}", i.name, i.ip ? i.ip->to_string() : std::string("no IP"), i.mac.to_string()));
    if (n.interfaces.empty()) lines.push_back(fmt::format("{} ports", n.port_count()));
    float w = 0;
    for (const auto& l : lines) w = std::max(w, c.width(l, 11, Face::Mono) + 16);
    const float h = 6 + 15 * static_cast<float>(lines.size());
    const float x = std::clamp(p.x + 28, area.x, std::max(area.x, area.right() - w)), y = std::clamp(p.y - 10, area.y, std::max(area.y, area.bottom() - h));
    c.rect({x, y, w, h}, {255, 255, 255, 240}, kInk);
    for (std::size_t k = 0; k < lines.size(); ++k)
        c.text(lines[k], {x + 6, y + 3 + 15 * static_cast<float>(k)}, 11, kInk, k ? Face::Mono : Face::Sans);
}

void Scene::draw(Canvas& c, Box area, const Look& look) const {
    const sim::Scenario& sc = tl_.scenario();
    const TableStrip::Layout tables = strip_.layout(area, look.tables, look.tables_height);
    const Box topo = topology(area, tables.box.y);
    LabelPlacer labels(c, {area.x + 2, area.y + kTitle, area.w - 4, tables.box.y - area.y - kTitle});

    // Links (an access link in its VLAN's colour), then the icons over their ends.
    for (const sim::LinkSpec& l : sc.links) {
        const auto vlan = access_vlan(sc, l);
        c.line(at(l.ends[0].node, topo), at(l.ends[1].node, topo), vlan ? vlan_colour(*vlan) : kLink, vlan ? 3.f : 1.f);
    }
    std::vector<Box> icons(sc.nodes.size());
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const Vec p = at(static_cast<int>(i), topo);
        draw_node(c, static_cast<int>(i), p, look);
        icons[i] = icon(static_cast<int>(i), p);
        labels.block(icons[i]);
    }
    // What does not change with t first, so it keeps its place from frame to frame.
    place_static_labels(c, labels, look, topo, icons);
    place_notes(labels, look, topo, icons);
    const Unlabelled frames = draw_flights(c, labels, look, topo);
    strip_.draw(c, tables, look.t, look.recent);

    // The title row: the scenario's name, and what the picture could not say.
    std::vector<std::string> notes;
    if (frames.total) notes.push_back(fmt::format("{} frame{} unlabelled (click one)", frames.total, frames.total == 1 ? "" : "s"));
    const std::size_t missed = labels.missed().size() - frames.crowded;
    if (missed) notes.push_back(fmt::format("{} label{} did not fit (hover a node)", missed, missed == 1 ? "" : "s"));
    if (!tables.hidden.empty()) notes.push_back(fmt::format("{} table{} not shown (--tables)", tables.hidden.size(), tables.hidden.size() == 1 ? "" : "s"));
    std::string note;
    for (const auto& n : notes) note += (note.empty() ? "" : "; ") + n;
    const Box title = c.text(c.fit(sc.name.empty() ? "scenario" : sc.name, area.w * 0.5f, 18), {area.x + 12, area.y + 8}, 18, kInk);
    if (!note.empty()) c.text(c.fit(note, area.right() - title.right() - 16, 11), {area.right() - 8, area.y + 12}, 11, kAlert, Face::Sans, Align::Right);

    if (look.hover >= 0) draw_interfaces(c, look.hover, at(look.hover, topo), area);
}

// Each spanning-tree port at t: a dot by the switch, green forwarding, amber
// listening or learning, red blocking (named, with its role), grey disabled.
void Scene::place_stp_ports(Canvas& c, LabelPlacer& labels, const Look& look, Box topo) const {
    const sim::Scenario& sc = tl_.scenario();
    for (const sim::LinkSpec& l : sc.links)
        for (int end = 0; end < 2; ++end) {
            const sim::Endpoint& e = l.ends[static_cast<std::size_t>(end)];
            if (!sc.nodes[static_cast<std::size_t>(e.node)].stp) continue;
            const sim::RecordedEvent* s = tl_.stp_state_at(e.node, e.port, look.t);
            const std::string state = s ? s->to_state : "disabled";
            const Rgba colour = state == "forwarding" ? kForwarding : state == "blocking" ? kAlert
                              : state == "disabled"   ? kMuted : kHub;
            const Vec spot = along(e.node, l.ends[static_cast<std::size_t>(1 - end)].node, 36, topo);
            c.polygon(spot, 5, 12, colour, kInk);
            labels.block({spot.x - 5, spot.y - 5, 10, 10});
            if (state != "forwarding")
                labels.place({s && !s->role.empty() && state == "blocking" ? fmt::format("{} ({})", state, s->role) : state, 10, 8,
                               colour, Face::Sans, true, Side::Right},
                              {spot.x - 5, spot.y - 5, 10, 10});
        }
}

// Names, addresses, port names, link speeds and the hosts' frame counters.
void Scene::place_static_labels(Canvas& c, LabelPlacer& labels, const Look& look, Box topo, const std::vector<Box>& icons) const {
    const sim::Scenario& sc = tl_.scenario();
    // What does not change with t first, so it keeps its place from frame to frame.
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const sim::NodeSpec& n = sc.nodes[i];
        if (dense_ && n.kind == sim::NodeKind::Host) continue;
        auto below = labels.place({n.id, 14, 10, kInk, Face::Sans, false, Side::Below}, icons[i]);
        Box last = below ? *below : icons[i];
        auto add = [&](const std::string& s, Rgba colour) {
            if (auto b = labels.place({s, 10, 9, colour, Face::Sans, false, Side::Below, 0}, last)) last = *b;
        };
        if (look.addresses) {
            for (const sim::InterfaceSpec& iface : n.interfaces) {
                if (iface.ip) add(iface.ip->to_string(), kInk);
                add(iface.mac.to_string(), kMuted);
            }
        } else if (const auto ip = std::find_if(n.interfaces.begin(), n.interfaces.end(), [](const auto& i) { return i.ip.has_value(); });
                   ip != n.interfaces.end() && n.kind == sim::NodeKind::Host) {
            add(ip->ip->address().to_string(), kMuted);
        }
        if (n.dhcp)  // its address comes and goes with the lease
            if (const std::string lease = tl_.dhcp_at(static_cast<int>(i), look.t); !lease.empty()) add(lease, kMuted);
    }
    if (look.ports)
        for (std::size_t k = 0; k < sc.links.size(); ++k)
            for (int end = 0; end < 2; ++end) {
                const sim::Endpoint& e = sc.links[k].ends[static_cast<std::size_t>(end)];
                const Vec spot = along(e.node, sc.links[k].ends[static_cast<std::size_t>(1 - end)].node, 38, topo);
                labels.place({sc.port_name(e.node, e.port), 10, 8, kSwitch, Face::Sans, true, Side::Over}, {spot.x, spot.y, 0, 0});
            }
    place_stp_ports(c, labels, look, topo);
    if (!dense_)
        for (const sim::LinkSpec& l : sc.links) {
            std::string text = sim::format_rate(l.bandwidth_bps);
            if (l.mtu != 1500) text += fmt::format(", MTU {}", l.mtu);
            if (const auto vlan = access_vlan(sc, l)) text += fmt::format(", VLAN {}", *vlan);
            else if (const std::string t = trunk_text(sc, l); !t.empty()) text += ", " + t;
            // Beside the line rather than on it: envelopes travel on the line, and their labels go under them.
            const Vec a = at(l.ends[0].node, topo), b = at(l.ends[1].node, topo), mid = (a + b) * 0.5f, d = b - a;
            const float len = std::max(1.f, std::sqrt(d.x * d.x + d.y * d.y));
            Vec n{d.y / len, -d.x / len};
            if (n.y > 0 || (n.y == 0 && n.x < 0)) n = n * -1;  // the side above, or right of a vertical line
            const Box m = c.measure(text, {0, 0}, 10);
            const Vec spot = mid + Vec{n.x * (m.w / 2 + 4), n.y * (m.h / 2 + 4)};
            labels.place({text, 10, 8, kMuted, Face::Sans, false, Side::Over}, {spot.x, spot.y, 0, 0});
        }
    for (std::size_t i = 0; i < sc.nodes.size(); ++i)
        if (sc.nodes[i].kind == sim::NodeKind::Host && !dense_)
            labels.place({fmt::format("rx {}", tl_.frames_received(static_cast<int>(i), look.t)), 11, 9, kInk, Face::Sans, false, Side::Above}, icons[i]);

}

// Queues, collisions, drops, a router's latest rewrite and a table's newest
// entry next to the node, briefly.
void Scene::place_notes(LabelPlacer& labels, const Look& look, Box topo, const std::vector<Box>& icons) const {
    const sim::Scenario& sc = tl_.scenario();
    // How many frames wait to go onto a link, by the node on that link.
    for (const Timeline::Queue& q : tl_.queues_at(look.t)) {
        const sim::LinkSpec& l = sc.links[static_cast<std::size_t>(q.link)];
        const int other = l.ends[0].node == q.node ? l.ends[1].node : l.ends[0].node;
        const Vec spot = along(q.node, other, 60, topo);
        labels.place({fmt::format("{}/{} queued", q.frames, l.queue), 11, 9, {200, 90, 0}, Face::Sans, true, Side::Over}, {spot.x, spot.y - 14, 0, 0});
    }

    std::vector<bool> shown(sc.nodes.size());
    for (std::size_t i = 0; i < sc.nodes.size(); ++i)
        if (sc.nodes[i].kind == sim::NodeKind::Hub && tl_.collision_near(static_cast<int>(i), look.t, look.recent))
            labels.place({"COLLISION", 13, 10, kAlert, Face::Sans, true, Side::Above}, icons[i]);
    for (int k = tl_.last_event_at(look.t); k >= 0 && tl_.events()[static_cast<std::size_t>(k)].t >= look.t - look.recent; --k) {
        const auto& e = tl_.events()[static_cast<std::size_t>(k)];
        if (e.node < 0 || shown[static_cast<std::size_t>(e.node)]) continue;
        Label note{"", 11, 9, kInk, Face::Sans, true, Side::Above};
        if (e.ev == sim::Ev::Drop) {
            note.text = "x " + e.reason, note.colour = kAlert, note.size = 12, note.first = Side::Below;
        } else if (e.ev == sim::Ev::Learn && (e.table == sim::Table::Mac || e.table == sim::Table::Arp)) {
            // The change next to the node that made it: a switch learning a port, a host caching a MAC.
            note.text = fmt::format("learned {} \xe2\x86\x92 {}{}", e.key, e.table == sim::Table::Mac ? "port " : "", e.value);
            note.colour = e.table == sim::Table::Mac ? kSwitch : kHost;
        } else if (const sim::FieldChange* ttl = e.ev == sim::Ev::Rewrite ? sim::find_change(e.changes, "ipv4.ttl") : nullptr) {
            // The TTL is what a student looks for first; a NAT's change of
            // address next, as "src 10.0.0.10 -> 203.0.113.1".
            note.text = fmt::format("TTL {} \xe2\x86\x92 {}, new eth.src/dst", ttl->from(), ttl->to());
            for (const char* field : {"ipv4.src", "ipv4.dst"})
                if (const sim::FieldChange* nat = sim::find_change(e.changes, field))
                    note.text += fmt::format(", {} {} \xe2\x86\x92 {}", field + 5, nat->from(), nat->to());
            note.colour = kRouter;
        } else {
            continue;
        }
        labels.place(note, icons[static_cast<std::size_t>(e.node)]);
        shown[static_cast<std::size_t>(e.node)] = true;
    }

}

// Frames in flight: envelopes along their link with an arrow the way they
// go, labelled when there is room; the label goes where it covers nothing.
Scene::Unlabelled Scene::draw_flights(Canvas& c, LabelPlacer& labels, const Look& look, Box topo) const {
    Unlabelled missing;
    const auto flying = tl_.in_flight(look.t);
    const bool label_all = flying.size() <= 16;
    const sim::RecordedEvent* sel = look.selected >= 0 ? &tl_.events()[static_cast<std::size_t>(look.selected)] : nullptr;
    std::vector<Box> envelopes;
    for (const Flight* f : flying) {
        const Vec p = envelope_at(*f, look.t, topo);
        const Box env{p.x - kEnvelopeW / 2, p.y - kEnvelopeH / 2, kEnvelopeW, kEnvelopeH};
        envelopes.push_back(env);
        labels.block(env);
        const bool picked = sel && (sel->frame ? sel->frame == f->frame : (sel->pkt && sel->pkt == f->pkt));
        c.rect(env, colour(f->proto), picked ? kSelected : f->damaged ? kAlert : kInk, picked || f->damaged ? 3 : 1);
        c.line({p.x - 9, p.y - 6}, {p.x, p.y + 1}, kInk);
        c.line({p.x, p.y + 1}, {p.x + 9, p.y - 6}, kInk);
        const Vec d = at(f->to, topo) - at(f->from, topo);
        const float len = std::sqrt(d.x * d.x + d.y * d.y);
        if (len > 0) {
            const Vec u = d * (1 / len), n{-u.y, u.x};
            const Vec tip = p + u * 20, base = p + u * 11;
            c.triangle(tip, base + n * 6, base - n * 6, kInk);
        }
    }
    for (std::size_t k = 0; k < flying.size(); ++k) {
        const Flight* f = flying[k];
        const bool picked = sel && (sel->frame ? sel->frame == f->frame : (sel->pkt && sel->pkt == f->pkt));
        if (!label_all && !picked) {
            ++missing.total;
            continue;
        }
        const std::string text = f->damaged ? f->label + (f->cut ? " (fragment)" : " (damaged)") : f->label;
        if (!labels.place({text, 11, 9, picked ? kSelected : kInk, Face::Sans, true, Side::Below}, envelopes[k])) ++missing.crowded, ++missing.total;
    }

    return missing;
}

void draw_legend(Canvas& c, Box area, std::int64_t t, const std::string& status) {
    c.rect(area, {236, 238, 240});
    float x = area.x + 12;
    for (Proto p : kFrameProtos) {
        c.rect({x, area.y + 11, 16, 11}, colour(p), kInk);
        x = c.text(to_string(p), {x + 22, area.y + 8}, 12, kInk).right() + 14;
    }
    const Box damaged = c.text("red outline: collision damage", {x, area.y + 8}, 12, kAlert);
    const std::string clock = fmt::format("t = {}   {}", sim::SimTime::ns(t).to_string(), status);
    c.text(c.fit(clock, area.right() - damaged.right() - 20, 14), {area.right() - 14, area.y + 7}, 14, kInk, Face::Sans, Align::Right);
}

}  // namespace hopsim::viz
