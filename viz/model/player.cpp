#include "hopsim/viz/player.hpp"

#include <algorithm>

#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "hopsim/viz/hop_table_view.hpp"
#include "palette.hpp"

namespace hopsim::viz {

Pane::Pane(sim::Scenario sc) : scenario_(std::make_unique<sim::Scenario>(std::move(sc))) {
    sim::Simulation simulation(*scenario_);
    sim::RecorderSink recorder;
    simulation.tracer().add(&recorder);
    simulation.run(scenario_->until);
    timeline_ = std::make_unique<Timeline>(*scenario_, std::move(recorder.events));
}

Pane::Pane(sim::Scenario sc, std::vector<sim::RecordedEvent> events)
    : scenario_(std::make_unique<sim::Scenario>(std::move(sc))), timeline_(std::make_unique<Timeline>(*scenario_, std::move(events))) {}

Player::Player(std::vector<std::unique_ptr<Pane>> panes, const Metrics& metrics) : panes_(std::move(panes)) {
    for (const auto& p : panes_) scenes_.emplace_back(p->timeline(), metrics);
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

Box Player::panel_area(Vec size) { return {size.x - kPanelWidth, 0, kPanelWidth, size.y - kLegendHeight}; }

Box Player::diff_area(Vec size, const View& view) const {
    const float width = size.x - (view.panel ? kPanelWidth : 0), bottom = size.y - kLegendHeight;
    const sim::HopTable* table = hop_table(view);
    if (!table) return {0, bottom, width, 0};
    const float h = std::min(hop_table_height(*table), bottom * 0.45f);
    return {0, bottom - h, width, h};
}

Box Player::pane_area(int pane, Vec size, const View& view) const {
    const float w = (size.x - (view.panel ? kPanelWidth : 0)) / static_cast<float>(scenes_.size());
    return {w * static_cast<float>(pane), 0, w, diff_area(size, view).y};
}

int Player::pane_at(Vec p, Vec size, const View& view) const {
    for (std::size_t i = 0; i < scenes_.size(); ++i)
        if (pane_area(static_cast<int>(i), size, view).contains(p)) return static_cast<int>(i);
    return -1;
}

Look Player::look_of(int pane, Vec size, const View& view) const {
    const int focus = std::clamp(view.focus, 0, static_cast<int>(scenes_.size()) - 1);
    Look look = view.look;
    look.selected = pane == focus ? view.sel.event : -1;
    if (pane != focus) look.hover = -1;
    for (std::size_t i = 0; i < scenes_.size(); ++i)
        look.tables_height = std::max(look.tables_height, scenes_[i].tables_height(pane_area(static_cast<int>(i), size, view), view.look));
    return look;
}

int Player::node_at(int pane, Vec p, Vec size, const View& view) const {
    return scenes_[static_cast<std::size_t>(pane)].node_at(pane_area(pane, size, view), look_of(pane, size, view), p);
}

const Flight* Player::flight_at(int pane, Vec p, Vec size, const View& view) const {
    return scenes_[static_cast<std::size_t>(pane)].flight_at(pane_area(pane, size, view), look_of(pane, size, view), p);
}

const sim::HopTable* Player::hop_table(const View& view) const {
    const int pane = std::clamp(view.focus, 0, static_cast<int>(panes_.size()) - 1), event = view.sel.event;
    const Timeline& tl = panes_[static_cast<std::size_t>(pane)]->timeline();
    if (!view.diff || event < 0 || static_cast<std::size_t>(event) >= tl.events().size()) return nullptr;
    const std::uint64_t pkt = tl.events()[static_cast<std::size_t>(event)].pkt;
    if (!pkt) return nullptr;
    if (!hop_table_ || hop_table_->first != std::pair{pane, event})
        hop_table_.emplace(std::pair{pane, event}, sim::hop_table(tl.scenario(), tl.events(), pkt, static_cast<std::size_t>(event)));
    return &hop_table_->second;
}

std::vector<PanelHit> Player::draw(Canvas& c, Vec size, const View& view) const {
    c.clear();
    c.pane = -1;
    c.rect({0, 0, size.x, size.y}, kBackground);
    const int focus = std::clamp(view.focus, 0, static_cast<int>(scenes_.size()) - 1);
    for (std::size_t i = 0; i < scenes_.size(); ++i) {
        const Box area = pane_area(static_cast<int>(i), size, view);
        c.pane = static_cast<int>(i);
        scenes_[i].draw(c, area, look_of(static_cast<int>(i), size, view));
        if (i > 0) c.line({area.x, 0}, {area.x, area.h}, {190, 190, 190});
    }
    if (const sim::HopTable* table = hop_table(view)) {
        c.pane = kHopTablePane;
        draw_hop_table(c, diff_area(size, view), *table);
    }
    std::vector<PanelHit> hits;
    if (view.panel) {
        c.pane = kPanelPane;
        hits = draw_panel(c, panel_area(size), panes_[static_cast<std::size_t>(focus)]->timeline(), view.look.t, view.sel);
    }
    c.pane = kLegendPane;
    draw_legend(c, {0, size.y - kLegendHeight, size.x, kLegendHeight}, view.look.t, view.status);
    c.pane = -1;
    return hits;
}

}  // namespace hopsim::viz
