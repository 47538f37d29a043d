#pragma once
// A Canvas as compact JSON for the page to paint: one array per item,
//   ["r", x, y, w, h, fill, stroke, width]        rectangle
//   ["p", x, y, w, h, sides, fill, stroke, width] regular polygon in its box
//   ["v", ax, ay, bx, by, cx, cy, fill]           triangle
//   ["l", ax, ay, bx, by, colour, width]          line
//   ["t", text, x, y, size, face, colour, backdrop, w, h]  text, its box's top-left
// colours as 0xRRGGBBAA numbers, face 0 sans, 1 mono, 2 bold.

#include <string>

#include "hopsim/viz/canvas.hpp"

namespace hopsim::web {

void append_items_json(const viz::Canvas& c, std::string& out);

}  // namespace hopsim::web
