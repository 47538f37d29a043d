#include "hopsim/viz/scene.hpp"

#include <fmt/core.h>

#include <cmath>

#include "hopsim/sim/time.hpp"
#include "hopsim/sim/units.hpp"
#include "ink.hpp"

namespace hopsim::viz {

namespace {
constexpr float kEnvelopeW = 18, kEnvelopeH = 12;
const sf::Color kSelected(20, 90, 220);

}  // namespace

sf::Color colour(Proto p) {
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

sf::Vector2f Scene::at(int node, sf::FloatRect topo) const {
    const Point& p = pos_[static_cast<std::size_t>(node)];
    return {topo.left + static_cast<float>(p[0]) * topo.width, topo.top + static_cast<float>(p[1]) * topo.height};
}

sf::FloatRect Scene::topology(sf::FloatRect area) const {
    const float table_h = std::min(150.f, area.height * 0.28f);
    return {area.left + 70, area.top + 60, area.width - 140, area.height - table_h - 130};
}

sf::Vector2f Scene::envelope_at(const Flight& f, std::int64_t t, sf::FloatRect topo) const {
    const sf::Vector2f a = at(f.from, topo), b = at(f.to, topo);
    // Paced by the uncut length, so a collided fragment moves like the frame it was and stops short.
    const float x = static_cast<float>(t - f.start) / static_cast<float>(std::max<std::int64_t>(1, f.full - f.start));
    return a + (b - a) * std::clamp(x, 0.f, 1.f);
}

int Scene::node_at(sf::FloatRect area, sf::Vector2f p) const {
    const sf::FloatRect topo = topology(area);
    for (std::size_t i = 0; i < pos_.size(); ++i) {
        const sf::Vector2f d = at(static_cast<int>(i), topo) - p;
        if (std::abs(d.x) <= 26 && std::abs(d.y) <= 22) return static_cast<int>(i);
    }
    return -1;
}

const Flight* Scene::flight_at(sf::FloatRect area, std::int64_t t, sf::Vector2f p) const {
    const sf::FloatRect topo = topology(area);
    for (const Flight* f : tl_.in_flight(t)) {
        const sf::Vector2f d = envelope_at(*f, t, topo) - p;
        if (std::abs(d.x) <= kEnvelopeW / 2 + 3 && std::abs(d.y) <= kEnvelopeH / 2 + 3) return f;
    }
    return nullptr;
}

void Scene::draw_node(sf::RenderTarget& target, int i, sf::Vector2f p, const Look& look) const {
    const sim::NodeSpec& n = tl_.scenario().nodes[static_cast<std::size_t>(i)];
    const sf::Font& font = fonts_.sans;
    switch (n.kind) {
        case sim::NodeKind::Host: {
            sf::RectangleShape screen({34, 24});
            screen.setOrigin(17, 16);
            screen.setPosition(p);
            screen.setFillColor(kHost);
            screen.setOutlineColor(kInk);
            screen.setOutlineThickness(1);
            target.draw(screen);
            sf::RectangleShape stand({16, 4});
            stand.setOrigin(8, -10);
            stand.setPosition(p);
            stand.setFillColor(kInk);
            target.draw(stand);
            break;
        }
        case sim::NodeKind::Hub: {
            sf::CircleShape hub(20, 6);
            hub.setOrigin(20, 20);
            hub.setPosition(p);
            hub.setFillColor(kHub);
            const bool flash = tl_.collision_near(i, look.t, look.recent);
            hub.setOutlineColor(flash ? kAlert : kInk);
            hub.setOutlineThickness(flash ? 6 : 1);
            target.draw(hub);
            put_text(target, font, "HUB", {p.x, p.y - 7}, 10, sf::Color::White, true);
            if (flash) put_text(target, font, "COLLISION", {p.x, p.y - 44}, 13, kAlert, true, true);
            break;
        }
        case sim::NodeKind::Switch: {
            sf::RectangleShape sw({48, 26});
            sw.setOrigin(24, 13);
            sw.setPosition(p);
            sw.setFillColor(kSwitch);
            sw.setOutlineColor(kInk);
            sw.setOutlineThickness(1);
            target.draw(sw);
            put_text(target, font, "<=>", {p.x, p.y - 8}, 12, sf::Color::White, true);
            break;
        }
        case sim::NodeKind::Router: {
            sf::CircleShape r(20, 40);
            r.setOrigin(20, 20);
            r.setPosition(p);
            r.setFillColor(kRouter);
            r.setOutlineColor(kInk);
            r.setOutlineThickness(1);
            target.draw(r);
            put_text(target, font, "R", {p.x, p.y - 9}, 14, sf::Color::White, true);
            break;
        }
    }
    put_text(target, font, n.id, {p.x, p.y + 22}, 14, kInk, true);
    float y = p.y + 39;
    if (look.addresses) {
        for (const sim::InterfaceSpec& iface : n.interfaces) {
            if (iface.ip) put_text(target, font, iface.ip->to_string(), {p.x, y}, 10, kInk, true), y += 12;
            put_text(target, font, iface.mac.to_string(), {p.x, y}, 10, kMuted, true);
            y += 13;
        }
    } else if (!n.interfaces.empty() && n.interfaces[0].ip && n.kind == sim::NodeKind::Host) {
        put_text(target, font, n.interfaces[0].ip->address().to_string(), {p.x, y}, 10, kMuted, true);
    }
    if (n.kind == sim::NodeKind::Host) put_text(target, font, fmt::format("rx {}", tl_.frames_received(i, look.t)), {p.x, p.y - 36}, 11, kInk, true);
}

// The hover box: every interface with its address and MAC.
void Scene::draw_interfaces(sf::RenderTarget& target, int node, sf::Vector2f p) const {
    const sim::NodeSpec& n = tl_.scenario().nodes[static_cast<std::size_t>(node)];
    std::vector<std::string> lines{fmt::format("{} ({})", n.id, sim::to_string(n.kind))};
    for (const sim::InterfaceSpec& i : n.interfaces)
        lines.push_back(fmt::format("{}  {}  {}", i.name, i.ip ? i.ip->to_string() : std::string("no IP"), i.mac.to_string()));
    if (n.interfaces.empty()) lines.push_back(fmt::format("{} ports", n.port_count()));
    const float h = 6 + 15 * static_cast<float>(lines.size());
    fill_rect(target, {p.x + 28, p.y - 10, 300, h}, sf::Color(255, 255, 255, 240), kInk);
    for (std::size_t k = 0; k < lines.size(); ++k)
        put_text(target, k ? fonts_.mono : fonts_.sans, lines[k], {p.x + 34, p.y - 7 + 15 * static_cast<float>(k)}, 11, kInk);
}

void Scene::draw(sf::RenderTarget& target, sf::FloatRect area, const Look& look) const {
    const sim::Scenario& sc = tl_.scenario();
    const std::int64_t t = look.t;
    put_text(target, fonts_.sans, sc.name.empty() ? "scenario" : sc.name, {area.left + 12, area.top + 8}, 18, kInk);
    const sf::FloatRect topo = topology(area);

    // Links, and in a dense picture the hosts, as one batch each: a draw call
    // per shape is what makes 500 nodes slow, not the shapes.
    sf::VertexArray lines(sf::Lines), hosts(sf::Quads);
    for (const sim::LinkSpec& l : sc.links) {
        const sf::Vector2f a = at(l.ends[0].node, topo), b = at(l.ends[1].node, topo);
        lines.append({a, kLink});
        lines.append({b, kLink});
        const sf::Vector2f mid = (a + b) / 2.f;
        if (!dense_) put_text(target, fonts_.sans, sim::format_rate(l.bandwidth_bps), {mid.x, mid.y + 2}, 10, kMuted, true);
    }
    target.draw(lines);
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const sf::Vector2f p = at(static_cast<int>(i), topo);
        if (!dense_ || sc.nodes[i].kind != sim::NodeKind::Host) {
            draw_node(target, static_cast<int>(i), p, look);
            continue;
        }
        for (sf::Vector2f corner : {sf::Vector2f(-4, -3), sf::Vector2f(4, -3), sf::Vector2f(4, 3), sf::Vector2f(-4, 3)})
            hosts.append({p + corner, kHost});
    }
    target.draw(hosts);

    // Drops where they happened, a router's latest rewrite and a table's newest
    // entry next to the node, briefly.
    std::vector<bool> shown(sc.nodes.size());
    for (int k = tl_.last_event_at(t); k >= 0 && tl_.events()[static_cast<std::size_t>(k)].t >= t - look.recent; --k) {
        const auto& e = tl_.events()[static_cast<std::size_t>(k)];
        if (e.node < 0 || shown[static_cast<std::size_t>(e.node)]) continue;
        const sf::Vector2f p = at(e.node, topo);
        if (e.ev == sim::Ev::Drop) {
            put_text(target, fonts_.sans, "x " + e.reason, {p.x, p.y + 52}, 12, kAlert, true, true);
        } else if (e.ev == sim::Ev::Learn && (e.table == sim::Table::Mac || e.table == sim::Table::Arp)) {
            // The change next to the node that made it: a switch learning a port, a host caching a MAC.
            put_text(target, fonts_.sans, fmt::format("learned {} \xe2\x86\x92 {}{}", e.key, e.table == sim::Table::Mac ? "port " : "", e.value),
                     {p.x, p.y - 44}, 11, e.table == sim::Table::Mac ? kSwitch : kHost, true, true);
        } else if (const sim::FieldChange* ttl = e.ev == sim::Ev::Rewrite ? sim::find_change(e.changes, "ipv4.ttl") : nullptr) {
            // The TTL is what a student looks for first.
            put_text(target, fonts_.sans, fmt::format("TTL {} \xe2\x86\x92 {}, new eth.src/dst", ttl->from(), ttl->to()),
                     {p.x, p.y - 44}, 11, kRouter, true, true);
        } else {
            continue;
        }
        shown[static_cast<std::size_t>(e.node)] = true;
    }

    // Frames in flight: envelopes along their link, labelled when there is room.
    const auto flying = tl_.in_flight(t);
    const bool labels = flying.size() <= 12;
    const sim::RecordedEvent* sel = look.selected >= 0 ? &tl_.events()[static_cast<std::size_t>(look.selected)] : nullptr;
    for (const Flight* f : flying) {
        const sf::Vector2f p = envelope_at(*f, t, topo);
        const bool picked = sel && (sel->frame ? sel->frame == f->frame : (sel->pkt && sel->pkt == f->pkt));
        sf::RectangleShape env({kEnvelopeW, kEnvelopeH});
        env.setOrigin(kEnvelopeW / 2, kEnvelopeH / 2);
        env.setPosition(p);
        env.setFillColor(colour(f->proto));
        env.setOutlineColor(picked ? kSelected : f->damaged ? kAlert : kInk);
        env.setOutlineThickness(picked || f->damaged ? 3 : 1);
        target.draw(env);
        const sf::Vertex flap[] = {sf::Vertex({p.x - 9, p.y - 6}, kInk), sf::Vertex({p.x, p.y + 1}, kInk),
                                   sf::Vertex({p.x, p.y + 1}, kInk), sf::Vertex({p.x + 9, p.y - 6}, kInk)};
        target.draw(flap, 4, sf::Lines);
        if (labels || picked)
            put_text(target, fonts_.sans, f->damaged ? f->label + (f->cut ? " (fragment)" : " (damaged)") : f->label, {p.x, p.y + 8}, 11,
                     picked ? kSelected : kInk, true, true);
    }

    draw_tables(target, area, topo.top + topo.height + 62, look);  // below the lowest node's labels
    if (look.hover >= 0) draw_interfaces(target, look.hover, at(look.hover, topo));
}

// Every switch's MAC table, every router's routes and ARP cache, every host's
// ARP cache once it has one: as they stand at t, the newest row highlighted.
// Columns share the width; what does not fit is counted, not silently dropped.
void Scene::draw_tables(sf::RenderTarget& target, sf::FloatRect area, float y0, const Look& look) const {
    const sim::Scenario& sc = tl_.scenario();
    struct Column {
        int node;
        sim::Table table;
        std::vector<TableRow> rows;
    };
    std::vector<Column> cols;
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const int n = static_cast<int>(i);
        switch (sc.nodes[i].kind) {
            case sim::NodeKind::Switch: cols.push_back({n, sim::Table::Mac, tl_.table_at(n, sim::Table::Mac, look.t)}); break;
            case sim::NodeKind::Router: cols.push_back({n, sim::Table::Route, tl_.table_at(n, sim::Table::Route, look.t)}); [[fallthrough]];
            case sim::NodeKind::Host:
                if (auto rows = tl_.table_at(n, sim::Table::Arp, look.t); !rows.empty()) cols.push_back({n, sim::Table::Arp, std::move(rows)});
                break;
            case sim::NodeKind::Hub: break;
        }
    }
    const float table_h = std::min(150.f, area.height * 0.28f), width = area.width - 24;
    const float col_w = std::clamp(width / static_cast<float>(std::max<std::size_t>(cols.size(), 1)), 160.f, 230.f);
    std::size_t fit = std::min(cols.size(), static_cast<std::size_t>(width / col_w));
    if (fit < cols.size()) fit = fit ? fit - 1 : 0;  // room for the "+N more" note
    const std::size_t chars = static_cast<std::size_t>(col_w / 6.2f);
    float x = area.left + 12;
    for (std::size_t c = 0; c < fit; ++c) {
        const Column& col = cols[c];
        const std::string title = col.table == sim::Table::Mac ? " MAC table" : col.table == sim::Table::Arp ? " ARP cache" : " routes";
        put_text(target, fonts_.sans, sc.nodes[static_cast<std::size_t>(col.node)].id + title, {x, y0}, 12, kInk);
        float y = y0 + 18;
        for (const TableRow& r : col.rows) {
            if (y > y0 + table_h - 14) {
                put_text(target, fonts_.sans, fmt::format("... {} rows in all", col.rows.size()), {x, y}, 11, kMuted);
                break;
            }
            if (look.t - r.changed <= look.recent) fill_rect(target, {x - 2, y, col_w - 12, 15}, kFresh);
            put_text(target, fonts_.sans, clip(r.key + (col.table == sim::Table::Mac ? "  port " : "  ") + r.value, chars), {x, y}, 11, kInk);
            y += 15;
        }
        if (col.rows.empty()) put_text(target, fonts_.sans, "(empty)", {x, y}, 11, kMuted);
        x += col_w;
    }
    if (fit < cols.size())
        put_text(target, fonts_.sans, fmt::format("+{} more tables\n(widen the window,\nor hover a node)", cols.size() - fit), {x, y0}, 11, kMuted);
}

void draw_legend(sf::RenderTarget& target, const sf::Font& font, sf::FloatRect area, std::int64_t t, const std::string& status) {
    sf::RectangleShape bar({area.width, area.height});
    bar.setPosition(area.left, area.top);
    bar.setFillColor(sf::Color(236, 238, 240));
    target.draw(bar);
    float x = area.left + 12;
    for (Proto p : {Proto::Arp, Proto::Icmp, Proto::Udp, Proto::Tcp, Proto::Raw}) {
        sf::RectangleShape sw({16, 11});
        sw.setPosition(x, area.top + 10);
        sw.setFillColor(colour(p));
        sw.setOutlineColor(kInk);
        sw.setOutlineThickness(1);
        target.draw(sw);
        sf::Text label(to_string(p), font, 12);
        label.setFillColor(kInk);
        label.setPosition(x + 22, area.top + 6);
        target.draw(label);
        x += 34 + label.getLocalBounds().width + 14;
    }
    sf::Text damaged("red outline: collision damage", font, 12);
    damaged.setFillColor(kAlert);
    damaged.setPosition(x, area.top + 6);
    target.draw(damaged);
    sf::Text clock(fmt::format("t = {}   {}", sim::SimTime::ns(t).to_string(), status), font, 14);
    clock.setFillColor(kInk);
    const sf::FloatRect b = clock.getLocalBounds();
    clock.setPosition(area.left + area.width - b.width - 16, area.top + 5);
    target.draw(clock);
}

}  // namespace hopsim::viz
