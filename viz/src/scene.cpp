#include "hopsim/viz/scene.hpp"

#include <fmt/core.h>

#include <cmath>

#include "hopsim/sim/time.hpp"
#include "hopsim/sim/units.hpp"

namespace hopsim::viz {

namespace {
const sf::Color kBackground(250, 250, 247), kInk(40, 44, 52), kMuted(120, 124, 130), kLink(170, 174, 180);
const sf::Color kHost(66, 110, 180), kHub(214, 140, 30), kSwitch(30, 140, 130), kRouter(130, 80, 170);
const sf::Color kAlert(210, 40, 40), kFresh(255, 236, 150);
}  // namespace

sf::Color colour(Proto p) {
    switch (p) {
        case Proto::Arp: return {232, 184, 30};
        case Proto::Icmp: return {60, 160, 80};
        case Proto::Udp: return {40, 120, 220};
        case Proto::Tcp: return {230, 100, 30};
        case Proto::Raw: return {140, 140, 140};
    }
    return kInk;
}

sf::Vector2f Scene::at(int node, sf::FloatRect topo) const {
    const Point& p = pos_[static_cast<std::size_t>(node)];
    return {topo.left + static_cast<float>(p[0]) * topo.width, topo.top + static_cast<float>(p[1]) * topo.height};
}

void Scene::text(sf::RenderTarget& target, const std::string& s, sf::Vector2f p, unsigned size, sf::Color c, bool centred,
                 bool boxed) const {
    sf::Text t(s, font_, size);
    t.setFillColor(c);
    const sf::FloatRect b = t.getLocalBounds();
    if (centred) t.setOrigin(std::round(b.left + b.width / 2), 0);
    t.setPosition(std::round(p.x), std::round(p.y));
    if (boxed) {
        sf::RectangleShape box({b.width + 6, b.height + 6});
        box.setPosition(t.getPosition().x - (centred ? b.width / 2 : 0) - 3, p.y + b.top - 3);
        box.setFillColor(sf::Color(255, 255, 255, 225));
        target.draw(box);
    }
    target.draw(t);
}

void Scene::draw(sf::RenderTarget& target, sf::FloatRect area, std::int64_t t, std::int64_t recent) const {
    const sim::Scenario& sc = tl_.scenario();
    // Title.
    text(target, sc.name.empty() ? "scenario" : sc.name, {area.left + 12, area.top + 8}, 18, kInk);
    // Topology in the upper part, tables below.
    const float table_h = std::min(150.f, area.height * 0.28f);
    const sf::FloatRect topo(area.left + 70, area.top + 60, area.width - 140, area.height - table_h - 130);

    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const sim::LinkSpec& l = sc.links[i];
        const sf::Vector2f a = at(l.ends[0].node, topo), b = at(l.ends[1].node, topo);
        const sf::Vertex line[] = {sf::Vertex(a, kLink), sf::Vertex(b, kLink)};
        target.draw(line, 2, sf::Lines);
        const sf::Vector2f mid = (a + b) / 2.f;
        text(target, sim::format_rate(l.bandwidth_bps), {mid.x, mid.y + 2}, 10, kMuted, true);
    }

    // Nodes: a distinct icon per kind, the name, the address, frames received so far.
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const sim::NodeSpec& n = sc.nodes[i];
        const sf::Vector2f p = at(static_cast<int>(i), topo);
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
                const bool flash = tl_.collision_near(static_cast<int>(i), t, recent);
                hub.setOutlineColor(flash ? kAlert : kInk);
                hub.setOutlineThickness(flash ? 6 : 1);
                target.draw(hub);
                text(target, "HUB", {p.x, p.y - 7}, 10, sf::Color::White, true);
                if (flash) text(target, "COLLISION", {p.x, p.y - 44}, 13, kAlert, true, true);
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
                text(target, "<=>", {p.x, p.y - 8}, 12, sf::Color::White, true);
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
                text(target, "R", {p.x, p.y - 9}, 14, sf::Color::White, true);
                break;
            }
        }
        text(target, n.id, {p.x, p.y + 22}, 14, kInk, true);
        if (!n.interfaces.empty() && n.interfaces[0].ip && n.kind == sim::NodeKind::Host)
            text(target, n.interfaces[0].ip->address().to_string(), {p.x, p.y + 39}, 10, kMuted, true);
        if (n.kind == sim::NodeKind::Host)
            text(target, fmt::format("rx {}", tl_.frames_received(static_cast<int>(i), t)), {p.x, p.y - 36}, 11, kInk, true);
    }

    // Drops, briefly, where they happened.
    const int last = tl_.last_event_at(t);
    for (int k = last; k >= 0 && tl_.events()[static_cast<std::size_t>(k)].t >= t - recent; --k) {
        const auto& e = tl_.events()[static_cast<std::size_t>(k)];
        if (e.ev != sim::Ev::Drop || e.node < 0) continue;
        const sf::Vector2f p = at(e.node, topo);
        text(target, "x " + e.reason, {p.x, p.y + 52}, 12, kAlert, true, true);
    }

    // Frames in flight: envelopes along their link, labelled when there is room.
    const auto flying = tl_.in_flight(t);
    const bool labels = flying.size() <= 12;
    for (const Flight* f : flying) {
        const sf::Vector2f a = at(f->from, topo), b = at(f->to, topo);
        const float x = static_cast<float>(t - f->start) / static_cast<float>(std::max<std::int64_t>(1, f->end - f->start));
        const sf::Vector2f p = a + (b - a) * std::clamp(x, 0.f, 1.f);
        sf::RectangleShape env({18, 12});
        env.setOrigin(9, 6);
        env.setPosition(p);
        env.setFillColor(colour(f->proto));
        env.setOutlineColor(f->damaged ? kAlert : kInk);
        env.setOutlineThickness(f->damaged ? 3 : 1);
        target.draw(env);
        const sf::Vertex flap[] = {sf::Vertex({p.x - 9, p.y - 6}, kInk), sf::Vertex({p.x, p.y + 1}, kInk),
                                   sf::Vertex({p.x, p.y + 1}, kInk), sf::Vertex({p.x + 9, p.y - 6}, kInk)};
        target.draw(flap, 4, sf::Lines);
        if (labels) text(target, f->damaged ? f->label + " (damaged)" : f->label, {p.x, p.y + 8}, 11, kInk, true, true);
    }

    // Tables: every switch's MAC table as it stands at t, the newest row highlighted.
    float x = area.left + 12;
    const float y0 = topo.top + topo.height + 62;  // below the lowest node's labels
    for (std::size_t i = 0; i < sc.nodes.size() && x < area.left + area.width - 150; ++i) {
        const sim::NodeSpec& n = sc.nodes[i];
        const bool sw = n.kind == sim::NodeKind::Switch;
        const auto rows = tl_.table_at(static_cast<int>(i), sw ? "mac" : "arp", t);
        if (!sw && (rows.empty() || n.kind == sim::NodeKind::Hub)) continue;
        text(target, n.id + (sw ? " MAC table" : " ARP cache"), {x, y0}, 12, kInk);
        float y = y0 + 18;
        for (const TableRow& r : rows) {
            if (y > y0 + table_h - 14) break;
            if (t - r.changed <= recent) {
                sf::RectangleShape hl({196, 15});
                hl.setPosition(x - 2, y);
                hl.setFillColor(kFresh);
                target.draw(hl);
            }
            text(target, r.key + (sw ? "  port " : "  ") + r.value, {x, y}, 11, kInk);
            y += 15;
        }
        if (rows.empty()) text(target, "(empty)", {x, y}, 11, kMuted);
        x += 210;
    }
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
