#pragma once
// One or two scenarios on one clock: each simulated once into a recorded
// trace, indexed, and drawn side by side into a Canvas. The pacing turns
// simulated time into animation time: frames move at a speed a student can
// follow, and idle stretches (nothing on any wire) are skipped rather than
// waited through. Where each part of the picture goes is decided here once,
// for every backend.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/panel.hpp"
#include "hopsim/viz/scene.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

class Pane {
public:
    explicit Pane(sim::Scenario sc);  // runs the simulation and indexes its trace
    Pane(sim::Scenario sc, std::vector<sim::RecordedEvent> events);  // indexes a run already recorded
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
    bool diff = false;   // the selected packet's hop-by-hop table in a strip under the panes
};

class Player {
public:
    Player(std::vector<std::unique_ptr<Pane>> panes, const Metrics& metrics);

    std::int64_t end_time() const;
    // Simulated nanoseconds per animation second that make a typical frame
    // take about one second to cross its wire.
    std::int64_t natural_speed() const;
    // The next instant to show after t, `step` later, jumping over idle gaps.
    std::int64_t advance(std::int64_t t, std::int64_t step) const;
    std::int64_t next_event(std::int64_t t) const;
    std::int64_t prev_event(std::int64_t t) const;
    // Draws the picture of `size` into c (cleared first); returns what on the
    // panel a click or the wheel could land on. Pane i's items carry pane i;
    // the panel's 100, the hop table's 101, the legend's 102.
    std::vector<PanelHit> draw(Canvas& c, Vec size, const View& view) const;
    const std::vector<std::unique_ptr<Pane>>& panes() const { return panes_; }
    const Scene& scene(int pane) const { return scenes_[static_cast<std::size_t>(pane)]; }

    // Where things go in a picture of `size`.
    static constexpr float kLegendHeight = 34, kPanelWidth = 440;
    static constexpr int kPanelPane = 100, kHopTablePane = 101, kLegendPane = 102;
    Box pane_area(int pane, Vec size, const View& view) const;
    Box diff_area(Vec size, const View& view) const;  // h 0 when there is no hop table
    static Box panel_area(Vec size);
    // The pane under a point, or -1.
    int pane_at(Vec p, Vec size, const View& view) const;
    // What pane `pane` is drawn with: the view's look, its selection, and the
    // table strip as tall as the tallest pane's, so the same topology lines up.
    Look look_of(int pane, Vec size, const View& view) const;
    // What lies under a point: a node of the focus pane, or a frame in flight in any pane.
    int node_at(int pane, Vec p, Vec size, const View& view) const;
    const Flight* flight_at(int pane, Vec p, Vec size, const View& view) const;

private:
    // The hop table of the selected event's packet (its fragment's, if split); null when none.
    const sim::HopTable* hop_table(const View& view) const;

    std::vector<std::unique_ptr<Pane>> panes_;
    std::vector<Scene> scenes_;
    mutable std::optional<std::pair<std::pair<int, int>, sim::HopTable>> hop_table_;  // the last one asked for, by (pane, event)
};

}  // namespace hopsim::viz
