#include "hopsim/viz/player.hpp"

#include <algorithm>

#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::viz {

Pane::Pane(sim::Scenario sc) : scenario_(std::make_unique<sim::Scenario>(std::move(sc))) {
    sim::Simulation simulation(*scenario_);
    sim::RecorderSink recorder;
    simulation.tracer().add(&recorder);
    simulation.run(scenario_->until);
    timeline_ = std::make_unique<Timeline>(*scenario_, std::move(recorder.events));
}

Player::Player(std::vector<std::unique_ptr<Pane>> panes, const sf::Font& font) : panes_(std::move(panes)), font_(font) {
    for (const auto& p : panes_) scenes_.emplace_back(p->timeline(), font_);
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

void Player::draw(sf::RenderTarget& target, std::int64_t t, std::int64_t recent, const std::string& status) const {
    target.clear(sf::Color(250, 250, 247));
    const sf::Vector2f size(target.getSize());
    const float legend_h = 34;
    const float w = size.x / static_cast<float>(scenes_.size());
    for (std::size_t i = 0; i < scenes_.size(); ++i) {
        const sf::FloatRect area(w * static_cast<float>(i), 0, w, size.y - legend_h);
        scenes_[i].draw(target, area, t, recent);
        if (i > 0) {
            const sf::Vertex sep[] = {sf::Vertex({area.left, 0}, sf::Color(190, 190, 190)),
                                      sf::Vertex({area.left, area.height}, sf::Color(190, 190, 190))};
            target.draw(sep, 2, sf::Lines);
        }
    }
    draw_legend(target, font_, {0, size.y - legend_h, size.x, legend_h}, t, status);
}

}  // namespace hopsim::viz
