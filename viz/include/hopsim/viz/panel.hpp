#pragma once
// The side panel, like Packet Tracer's simulation panel: the event list
// (time, node, event, protocol; filterable by protocol) above the layer
// inspector for the selected event. The inspector shows the frame as five
// layers with every field and the hex dump, the selected field's bytes
// highlighted; a router's rewrite, a table entry and a TCP state change are
// shown as before -> after. A pure function of (timeline, t, selection).

#include <SFML/Graphics.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "hopsim/viz/fonts.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

struct Selection {
    std::optional<Proto> filter;  // the list shows events about this protocol; nullopt: all
    int event = -1;               // index into the timeline's events; -1: none
    int field = -1;               // index into frame_fields(event); -1: none
};

// What a click on the panel lands on: a list row (event) or a field (field).
struct PanelHit {
    sf::FloatRect rect;
    int event = -1, field = -1;
};

std::vector<PanelHit> draw_panel(sf::RenderTarget& target, const Fonts& fonts, sf::FloatRect area, const Timeline& tl,
                                 std::int64_t t, const Selection& sel);

// The fields of an event's frame in order across its layers, as "layer.field".
std::vector<std::string> frame_fields(const Timeline& tl, int event);

}  // namespace hopsim::viz
