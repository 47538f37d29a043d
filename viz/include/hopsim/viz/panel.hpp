#pragma once
// The side panel, like Packet Tracer's simulation panel: the event list
// (time, node, event, protocol; filtered by protocol, searched by text,
// scrolled) with a legend for its highlights, above the layer inspector for
// the selected event. The inspector shows the frame as five layers with
// every field and the whole hex dump, the selected field's bytes
// highlighted; a router's rewrite, a table entry and a TCP state change are
// shown as before -> after. A pure function of (timeline, t, selection).

#include <optional>
#include <string>
#include <vector>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

struct Selection {
    std::optional<Proto> filter;  // the list shows events about this protocol; nullopt: all
    std::string search;           // and of those, the ones whose line contains this (any case)
    std::vector<int> found;       // the rows `search` leaves (kept by whoever sets search: see search_rows)
    int event = -1;               // index into the timeline's events; -1: none
    int field = -1;               // index into frame_fields(event); -1: none
    int list_scroll = 0;          // rows the list is scrolled up (+) or down (-) from following t
    int hex_scroll = 0;           // hex dump lines scrolled past
};

// What a click or the wheel on the panel lands on.
struct PanelHit {
    enum class Part : std::uint8_t { Row, Field, List, Hex } part = Part::Row;
    Box rect;
    int event = -1, field = -1;
};

std::vector<PanelHit> draw_panel(Canvas& c, Box area, const Timeline& tl, std::int64_t t, const Selection& sel);

// The list's rows for a selection's filter and search.
std::vector<int> search_rows(const Timeline& tl, std::optional<Proto> filter, const std::string& search);

// The fields of an event's frame in order across its layers, as "layer.field".
std::vector<std::string> frame_fields(const Timeline& tl, int event);

}  // namespace hopsim::viz
