#include "hopsim/viz/player.hpp"

#include <algorithm>

#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "hopsim/viz/hop_table_view.hpp"

namespace hopsim::viz {

Pane::Pane(sim::Scenario sc) : scenario_(std::make_unique<sim::Scenario>(std::move(sc))) {
    sim::Simulation simulation(*scenario_);
    sim::RecorderSink recorder;
    simulation.tracer().add(&recorder);
    simulation.run(scenario_->until);
    timeline_ = std::make_unique<Timeline>(*scenario_, std::move(recorder.events));
}

Player::Player(std::vector<std::unique_ptr<Pane>> panes, const Fonts& fonts) : panes_(std::move(panes)), fonts_(fonts) {
    for (const auto& p : panes_) scenes_.emplace_back(p->timeline(), fonts_);
}

std::int64_t Player::end_time() const {
    std::int64_t end = 0;
    for (const auto& p : panes_) end = std::max(end, p->timeline().end_time());
    return end;
}

std::int64_t Player::natural_speed() const {
    std::vector<std::int64_t> d;
    for (const auto& p : panes_)
        for (const Flight& f : p->timeline().flights()) d.push_back(f.end - f.start);
    if (d.empty()) return 1'000'000;
    std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
    return std::max<std::int64_t>(d[d.size() / 2], 1000);
}

std::int64_t Player::next_event(std::int64_t t) const {
    std::int64_t n = end_time();
    for (const auto& p : panes_) n = std::min(n, p->timeline().next_event(t));
    return n;
}

std::int64_t Player::prev_event(std::int64_t t) const {
    std::int64_t n = 0;
    for (const auto& p : panes_) n = std::max(n, p->timeline().prev_event(t));
    return n;
}

std::int64_t Player::advance(std::int64_t t, std::int64_t step) const {
    const std::int64_t next = t + step;
    for (const auto& p : panes_)
        if (!p->timeline().in_flight(next).empty()) return next;
    // Nothing on any wire: go straight to the next thing that happens.
    const std::int64_t e = next_event(t);
    return e > next ? e : next;
}

sf::FloatRect Player::panel_area(sf::Vector2f size) {
    return {size.x - kPanelWidth, 0, kPanelWidth, size.y - kLegendHeight};
}

sf::FloatRect Player::pane_area(int pane, sf::Vector2f size, bool panel) const {
    const float w = (size.x - (panel ? kPanelWidth : 0)) / static_cast<float>(scenes_.size());
    return {w * static_cast<float>(pane), 0, w, size.y - kLegendHeight};
}

int Player::pane_at(sf::Vector2f p, sf::Vector2f size, bool panel) const {
    for (std::size_t i = 0; i < scenes_.size(); ++i)
        if (pane_area(static_cast<int>(i), size, panel).contains(p)) return static_cast<int>(i);
    return -1;
}

const sim::HopTable& Player::hop_table(int pane, int event) const {
    if (!hop_table_ || hop_table_->first != std::pair{pane, event}) {
        const Timeline& tl = panes_[static_cast<std::size_t>(pane)]->timeline();
        const std::uint64_t pkt = tl.events()[static_cast<std::size_t>(event)].pkt;
        hop_table_.emplace(std::pair{pane, event}, sim::hop_table(tl.scenario(), tl.events(), pkt, static_cast<std::size_t>(event)));
    }
    return hop_table_->second;
}

std::vector<PanelHit> Player::draw(sf::RenderTarget& target, const View& view) const {
    target.clear(sf::Color(250, 250, 247));
    const sf::Vector2f size(target.getSize());
    const int focus = std::clamp(view.focus, 0, static_cast<int>(scenes_.size()) - 1);
    for (std::size_t i = 0; i < scenes_.size(); ++i) {
        const sf::FloatRect area = pane_area(static_cast<int>(i), size, view.panel);
        Look look = view.look;
        look.selected = static_cast<int>(i) == focus ? view.sel.event : -1;
        if (look.hover >= 0 && static_cast<int>(i) != focus) look.hover = -1;
        scenes_[i].draw(target, area, look);
        if (i > 0) {
            const sf::Vertex sep[] = {sf::Vertex({area.left, 0}, sf::Color(190, 190, 190)),
                                      sf::Vertex({area.left, area.height}, sf::Color(190, 190, 190))};
            target.draw(sep, 2, sf::Lines);
        }
    }
    const Timeline& tl = panes_[static_cast<std::size_t>(focus)]->timeline();
    const int sel = view.sel.event;
    if (view.diff && sel >= 0 && static_cast<std::size_t>(sel) < tl.events().size() && tl.events()[static_cast<std::size_t>(sel)].pkt) {
        const sf::FloatRect area = pane_area(focus, size, view.panel);
        draw_hop_table(target, fonts_, {area.left + 8, area.top + 40, area.width - 16, area.height - 48},
                       hop_table(focus, sel));
    }
    std::vector<PanelHit> hits;
    if (view.panel) hits = draw_panel(target, fonts_, panel_area(size), tl, view.look.t, view.sel);
    draw_legend(target, fonts_.sans, {0, size.y - kLegendHeight, size.x, kLegendHeight}, view.look.t, view.status);
    return hits;
}

}  // namespace hopsim::viz
