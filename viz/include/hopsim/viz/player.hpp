#pragma once
// One or two scenarios on one clock: each simulated once into a recorded
// trace, indexed, and drawn side by side. The pacing turns simulated time
// into animation time: frames move at a speed a student can follow, and idle
// stretches (nothing on any wire) are skipped rather than waited through.

#include <SFML/Graphics.hpp>
#include <memory>
#include <string>
#include <vector>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/viz/scene.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

class Pane {
public:
    explicit Pane(sim::Scenario sc);  // runs the simulation and indexes its trace
    const Timeline& timeline() const { return *timeline_; }
    const sim::Scenario& scenario() const { return *scenario_; }

private:
    std::unique_ptr<sim::Scenario> scenario_;
    std::unique_ptr<Timeline> timeline_;
};

class Player {
public:
    Player(std::vector<std::unique_ptr<Pane>> panes, const sf::Font& font);

    std::int64_t end_time() const;
    // Simulated nanoseconds per animation second that make a typical frame
    // take about one second to cross its wire.
    std::int64_t natural_speed() const;
    // The next instant to show after t, `step` later, jumping over idle gaps.
    std::int64_t advance(std::int64_t t, std::int64_t step) const;
    std::int64_t next_event(std::int64_t t) const;
    std::int64_t prev_event(std::int64_t t) const;
    void draw(sf::RenderTarget& target, std::int64_t t, std::int64_t recent, const std::string& status) const;
    const std::vector<std::unique_ptr<Pane>>& panes() const { return panes_; }

private:
    std::vector<std::unique_ptr<Pane>> panes_;
    std::vector<Scene> scenes_;
    const sf::Font& font_;
};

}  // namespace hopsim::viz
