#include "hopsim/viz/scene.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "hopsim/sim/time.hpp"
#include "hopsim/sim/units.hpp"
#include "hopsim/viz/label_placer.hpp"
#include "palette.hpp"

namespace hopsim::viz {

namespace {
constexpr float kEnvelopeW = 18, kEnvelopeH = 12, kTitle = 36;

std::string row_text(sim::Table table, const std::string& key, const std::string& value) {
    return key + (table == sim::Table::Mac ? "  port " : "  ") + value;
}
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
    : tl_(tl), pos_(layout(tl.scenario())), dense_(tl.scenario().nodes.size() > kDenseNodes) {
    // Every table that ever holds a row, with the most rows and the widest row
    // it ever has, so its column is the same size all through the run.
    const sim::Scenario& sc = tl.scenario();
    std::map<std::pair<int, sim::Table>, std::set<std::string>> now;
    std::map<std::pair<int, sim::Table>, std::pair<std::size_t, std::string>> most;
    for (const auto& e : tl.events()) {
        if ((e.ev != sim::Ev::Learn && e.ev != sim::Ev::Expire) || e.node < 0) continue;
        auto& rows = now[{e.node, e.table}];
        auto& m = most[{e.node, e.table}];
        if (e.ev == sim::Ev::Expire) {
            rows.erase(e.key);
            continue;
        }
        rows.insert(e.key);
        m.first = std::max(m.first, rows.size());
        const std::string text = row_text(e.table, e.key, e.value);
        if (metrics.width(text, Face::Sans, 11) > metrics.width(m.second, Face::Sans, 11)) m.second = text;
    }
    // Routes first: few and small, and what a routing lesson is about; then MAC tables, then ARP caches.
    for (sim::Table kind : {sim::Table::Route, sim::Table::Mac, sim::Table::Arp})
        for (int pass = 0; pass < 2; ++pass)  // routers' ARP caches before hosts'
            for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
                const auto& n = sc.nodes[i];
                if (kind == sim::Table::Arp && (n.kind == sim::NodeKind::Host) != (pass == 1)) continue;
                if (kind != sim::Table::Arp && pass == 1) continue;
                const auto it = most.find({static_cast<int>(i), kind});
                const bool shown = kind == sim::Table::Mac ? n.kind == sim::NodeKind::Switch
                                 : kind == sim::Table::Route ? n.kind == sim::NodeKind::Router
                                                             : it != most.end();
                if (!shown) continue;
                const char* name = kind == sim::Table::Mac ? "mac" : kind == sim::Table::Route ? "routes" : "arp";
                const char* title = kind == sim::Table::Mac ? "MAC table" : kind == sim::Table::Route ? "routes" : "ARP cache";
                tables_.push_back({static_cast<int>(i), kind, n.id + "." + name, n.id + " " + title, it == most.end() ? 0 : it->second.first,
                                   it == most.end() ? "" : it->second.second});
                TableColumn& t = tables_.back();
                for (int size = 8; size <= 11; ++size)
                    t.width[static_cast<std::size_t>(size - 8)] = std::max(metrics.width(t.widest, Face::Sans, size), metrics.width(t.title, Face::Sans, 12)) + 24;
            }
}

// ---- where things are ----

struct Scene::StripLayout {
    Box box;                                  // the whole strip along the bottom of the pane
    int size = 11;                            // of the rows' text
    std::vector<std::pair<std::size_t, Box>> columns;  // table index, where it goes
    std::vector<std::string> hidden;          // tables that did not fit
};

// The tables along the bottom: every table chosen, whole, at the largest
// size (11 down to 8) at which they all fit in at most 35% of the pane,
// wrapping onto more rows of tables when one row is not enough.
Scene::StripLayout Scene::strip(Box area, const Look& look) const {
    std::vector<std::size_t> chosen;
    if (look.tables.empty()) {
        for (std::size_t i = 0; i < tables_.size(); ++i) chosen.push_back(i);
    } else {
        for (const std::string& name : look.tables)
            for (std::size_t i = 0; i < tables_.size(); ++i)
                if (tables_[i].name == name) chosen.push_back(i);
    }
    StripLayout s;
    if (chosen.empty()) {
        s.box = {area.x, area.bottom() - look.tables_height, area.w, look.tables_height};
        return s;
    }
    const float max_h = std::max(60.f, area.h * 0.35f), width = area.w - 24;
    auto pack = [&](int size, bool partial) {
        StripLayout l;
        l.size = size;
        const float line = std::ceil(static_cast<float>(size) * kLineHeight) + 1, title = line + 4;
        float x = 0, y = 0, row_h = 0;
        for (std::size_t c : chosen) {
            const TableColumn& t = tables_[c];
            const float w = std::min(width, t.width[static_cast<std::size_t>(size - 8)]);
            const float h = title + line * static_cast<float>(std::max<std::size_t>(t.max_rows, 1));
            if (x > 0 && x + w > width) x = 0, y += row_h + 6, row_h = 0;
            // Once one does not fit, the rest wait too: the order is the order of importance.
            if (!l.hidden.empty() || y + h > max_h - (partial ? line : 0)) {
                if (!partial) return std::optional<StripLayout>();
                l.hidden.push_back(t.name);
                continue;
            }
            l.columns.push_back({c, {x, y, w, h}});
            x += w;
            row_h = std::max(row_h, h);
        }
        const float used = std::max(y + row_h + (l.hidden.empty() ? 0 : line) + 10, look.tables_height);
        l.box = {area.x, area.bottom() - used, area.w, used};
        for (auto& [c, b] : l.columns) b.x += area.x + 12, b.y += l.box.y;
        return std::optional<StripLayout>(std::move(l));
    };
    for (int size = 11; size >= 8; --size)
        if (auto l = pack(size, false)) return *l;
    return *pack(9, true);
}

float Scene::tables_height(Box area, const Look& look) const { return strip(area, look).box.h; }

Box Scene::topology(Box area, const Look& look) const {
    const float bottom = strip(area, look).box.y;
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
    const std::int64_t t = look.t;
    const StripLayout tables = strip(area, look);
    const Box topo = topology(area, look);
    LabelPlacer labels(c, {area.x + 2, area.y + kTitle, area.w - 4, tables.box.y - area.y - kTitle});

    // Links, then the icons over their ends.
    for (const sim::LinkSpec& l : sc.links) c.line(at(l.ends[0].node, topo), at(l.ends[1].node, topo), kLink);
    std::vector<Box> icons(sc.nodes.size());
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const Vec p = at(static_cast<int>(i), topo);
        draw_node(c, static_cast<int>(i), p, look);
        icons[i] = icon(static_cast<int>(i), p);
        labels.block(icons[i]);
    }

    // What does not change with t first, so it keeps its place from frame to frame.
    std::vector<Box> named(icons);  // each node's icon grown by its labels: what notes are placed around
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
        } else if (!n.interfaces.empty() && n.interfaces[0].ip && n.kind == sim::NodeKind::Host) {
            add(n.interfaces[0].ip->address().to_string(), kMuted);
        }
    }
    if (look.ports)
        for (std::size_t k = 0; k < sc.links.size(); ++k)
            for (int end = 0; end < 2; ++end) {
                const sim::Endpoint& e = sc.links[k].ends[static_cast<std::size_t>(end)];
                const Vec a = at(e.node, topo), b = at(sc.links[k].ends[static_cast<std::size_t>(1 - end)].node, topo), d = b - a;
                const float len = std::max(1.f, std::sqrt(d.x * d.x + d.y * d.y));
                const Vec spot = a + d * (std::min(38.f, len / 3) / len);
                labels.place({sc.port_name(e.node, e.port), 10, 8, kSwitch, Face::Sans, true, Side::Over}, {spot.x, spot.y, 0, 0});
            }
    if (!dense_)
        for (const sim::LinkSpec& l : sc.links) {
            std::string text = sim::format_rate(l.bandwidth_bps);
            if (l.mtu != 1500) text += fmt::format(", MTU {}", l.mtu);
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
            labels.place({fmt::format("rx {}", tl_.frames_received(static_cast<int>(i), t)), 11, 9, kInk, Face::Sans, false, Side::Above}, icons[i]);

    // Queues: how many frames wait to go onto a link, by the node on that link.
    for (const Timeline::Queue& q : tl_.queues_at(t)) {
        const sim::LinkSpec& l = sc.links[static_cast<std::size_t>(q.link)];
        const int other = l.ends[0].node == q.node ? l.ends[1].node : l.ends[0].node;
        const Vec a = at(q.node, topo), d = at(other, topo) - a;
        const float len = std::max(1.f, std::sqrt(d.x * d.x + d.y * d.y));
        const Vec spot = a + d * (std::min(60.f, len / 2) / len);
        labels.place({fmt::format("{}/{} queued", q.frames, l.queue), 11, 9, {200, 90, 0}, Face::Sans, true, Side::Over}, {spot.x, spot.y - 14, 0, 0});
    }

    // Collisions, drops, a router's latest rewrite and a table's newest entry next to the node, briefly.
    std::vector<bool> shown(sc.nodes.size());
    for (std::size_t i = 0; i < sc.nodes.size(); ++i)
        if (sc.nodes[i].kind == sim::NodeKind::Hub && tl_.collision_near(static_cast<int>(i), t, look.recent))
            labels.place({"COLLISION", 13, 10, kAlert, Face::Sans, true, Side::Above}, icons[i]);
    for (int k = tl_.last_event_at(t); k >= 0 && tl_.events()[static_cast<std::size_t>(k)].t >= t - look.recent; --k) {
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
            // The TTL is what a student looks for first.
            note.text = fmt::format("TTL {} \xe2\x86\x92 {}, new eth.src/dst", ttl->from(), ttl->to());
            note.colour = kRouter;
        } else {
            continue;
        }
        labels.place(note, icons[static_cast<std::size_t>(e.node)]);
        shown[static_cast<std::size_t>(e.node)] = true;
    }

    // Frames in flight: envelopes along their link with an arrow the way they
    // go, labelled when there is room; the label goes where it covers nothing.
    const auto flying = tl_.in_flight(t);
    const bool label_all = flying.size() <= 16;
    const sim::RecordedEvent* sel = look.selected >= 0 ? &tl_.events()[static_cast<std::size_t>(look.selected)] : nullptr;
    std::vector<Box> envelopes;
    for (const Flight* f : flying) {
        const Vec p = envelope_at(*f, t, topo);
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
    std::size_t unlabelled = 0, crowded = 0;  // frames without a label: too many to label all, no room for this one
    for (std::size_t k = 0; k < flying.size(); ++k) {
        const Flight* f = flying[k];
        const bool picked = sel && (sel->frame ? sel->frame == f->frame : (sel->pkt && sel->pkt == f->pkt));
        if (!label_all && !picked) {
            ++unlabelled;
            continue;
        }
        const std::string text = f->damaged ? f->label + (f->cut ? " (fragment)" : " (damaged)") : f->label;
        if (!labels.place({text, 11, 9, picked ? kSelected : kInk, Face::Sans, true, Side::Below}, envelopes[k])) ++crowded, ++unlabelled;
    }

    draw_tables(c, tables, look);

    // The title row: the scenario's name, and what the picture could not say.
    std::vector<std::string> notes;
    if (unlabelled) notes.push_back(fmt::format("{} frame{} unlabelled (click one)", unlabelled, unlabelled == 1 ? "" : "s"));
    const std::size_t missed = labels.missed().size() - crowded;
    if (missed) notes.push_back(fmt::format("{} label{} did not fit (hover a node)", missed, missed == 1 ? "" : "s"));
    if (!tables.hidden.empty()) notes.push_back(fmt::format("{} table{} not shown (--tables)", tables.hidden.size(), tables.hidden.size() == 1 ? "" : "s"));
    std::string note;
    for (const auto& n : notes) note += (note.empty() ? "" : "; ") + n;
    const Box title = c.text(c.fit(sc.name.empty() ? "scenario" : sc.name, area.w * 0.5f, 18), {area.x + 12, area.y + 8}, 18, kInk);
    if (!note.empty()) c.text(c.fit(note, area.right() - title.right() - 16, 11), {area.right() - 8, area.y + 12}, 11, kAlert, Face::Sans, Align::Right);

    if (look.hover >= 0) draw_interfaces(c, look.hover, at(look.hover, topo), area);
}

// The chosen tables as they stand at t, the newest row highlighted.
void Scene::draw_tables(Canvas& c, const StripLayout& s, const Look& look) const {
    if (s.columns.empty()) return;
    c.line({s.box.x + 8, s.box.y + 2}, {s.box.right() - 8, s.box.y + 2}, {220, 222, 226});
    const float line = std::ceil(static_cast<float>(s.size) * kLineHeight) + 1;
    for (const auto& [index, b] : s.columns) {
        const TableColumn& col = tables_[index];
        c.text(col.title, {b.x, b.y + 4}, 12, kInk);
        float y = b.y + line + 8;
        const auto rows = tl_.table_at(col.node, col.table, look.t);
        for (const TableRow& r : rows) {
            if (look.t - r.changed <= look.recent) c.rect({b.x - 2, y, b.w - 12, line}, kFresh);
            c.text(row_text(col.table, r.key, r.value), {b.x, y}, s.size, kInk);
            y += line;
        }
        if (rows.empty()) c.text("(empty)", {b.x, y}, s.size, kMuted);
    }
    if (!s.hidden.empty()) {
        std::string names;
        for (std::size_t k = 0; k < s.hidden.size() && k < 8; ++k) names += (names.empty() ? "" : ", ") + s.hidden[k];
        if (s.hidden.size() > 8) names += fmt::format(" and {} more", s.hidden.size() - 8);
        c.text(c.fit("not shown: " + names + "  (choose with --tables)", s.box.w - 24, s.size), {s.box.x + 12, s.box.bottom() - line - 2}, s.size, kMuted);
    }
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
