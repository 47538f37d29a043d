#pragma once
// One or two scenarios on one clock: each simulated once into a recorded
// trace, indexed, and drawn side by side. The pacing turns simulated time
// into animation time: frames move at a speed a student can follow, and idle
// stretches (nothing on any wire) are skipped rather than waited through.

#include <SFML/Graphics.hpp>
#include <memory>
#include <string>
#include <vector>

#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/viz/panel.hpp"
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

// Everything about one picture besides the scenarios: the instant, what the
// person selected and which overlays are on.
struct View {
    Look look;           // for every pane; look.selected is set from sel for the focus pane
    std::string status;  // the clock line's right half ("playing x20us/s")
    bool panel = false;  // the event list and layer inspector on the right
    int focus = 0;       // the pane the panel, the selection and the hop table are about
    Selection sel;
    bool diff = false;   // the selected packet's hop-by-hop table over the focus pane
};

class Player {
public:
    Player(std::vector<std::unique_ptr<Pane>> panes, const Fonts& fonts);

    std::int64_t end_time() const;
    // Simulated nanoseconds per animation second that make a typical frame
    // take about one second to cross its wire.
    std::int64_t natural_speed() const;
    // The next instant to show after t, `step` later, jumping over idle gaps.
    std::int64_t advance(std::int64_t t, std::int64_t step) const;
    std::int64_t next_event(std::int64_t t) const;
    std::int64_t prev_event(std::int64_t t) const;
    // Draws the picture; returns what on the panel a click could land on.
    std::vector<PanelHit> draw(sf::RenderTarget& target, const View& view) const;
    const std::vector<std::unique_ptr<Pane>>& panes() const { return panes_; }
    const Scene& scene(int pane) const { return scenes_[static_cast<std::size_t>(pane)]; }

    // Where things go in a picture of `size`.
    static constexpr float kLegendHeight = 34, kPanelWidth = 440;
    sf::FloatRect pane_area(int pane, sf::Vector2f size, bool panel) const;
    static sf::FloatRect panel_area(sf::Vector2f size);
    // The pane under a point, or -1.
    int pane_at(sf::Vector2f p, sf::Vector2f size, bool panel) const;

private:
    // The hop table of the selected event's packet (its fragment's, if split).
    const sim::HopTable& hop_table(int pane, int event) const;

    std::vector<std::unique_ptr<Pane>> panes_;
    std::vector<Scene> scenes_;
    const Fonts& fonts_;
    mutable std::optional<std::pair<std::pair<int, int>, sim::HopTable>> hop_table_;  // the last one asked for, by (pane, event)
};

}  // namespace hopsim::viz
