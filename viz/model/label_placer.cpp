#include "hopsim/viz/label_placer.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace hopsim::viz {

bool LabelPlacer::clear(const Box& b) const {
    if (!b.inside(bounds_)) return false;
    return std::none_of(taken_.begin(), taken_.end(), [&](const Box& t) { return t.overlaps(b); });
}

std::optional<Box> LabelPlacer::try_at(const Label& l, const std::string& text, int size, Box o) {
    const Box m = canvas_.measure(text, {0, 0}, size, l.face);
    const float w = m.w, h = m.h, cx = o.x + o.w / 2, cy = o.y + o.h / 2;
    constexpr Side kOrder[] = {Side::Below, Side::Above, Side::Right, Side::Left};
    std::array<Vec, 13> spots;  // top-left corners, in order of preference
    std::size_t n = 0;
    if (l.first == Side::Over) spots[n++] = {cx - w / 2, cy - h / 2};
    for (int ring = 0; ring < 3; ++ring) {
        const float g = l.gap + static_cast<float>(ring) * h;
        const auto start = std::find(std::begin(kOrder), std::end(kOrder), l.first == Side::Over ? Side::Below : l.first) - std::begin(kOrder);
        for (std::size_t k = 0; k < 4; ++k) {
            switch (kOrder[(static_cast<std::size_t>(start) + k) % 4]) {
                case Side::Below: spots[n++] = {cx - w / 2, o.bottom() + g}; break;
                case Side::Above: spots[n++] = {cx - w / 2, o.y - g - h}; break;
                case Side::Right: spots[n++] = {o.right() + g, cy - h / 2}; break;
                case Side::Left: spots[n++] = {o.x - g - w, cy - h / 2}; break;
                case Side::Over: break;
            }
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        Vec s = spots[k];
        // Near an edge of the pane, slide along it rather than give up the spot.
        s.x = std::clamp(s.x, bounds_.x, std::max(bounds_.x, bounds_.right() - w));
        s.y = std::clamp(s.y, bounds_.y, std::max(bounds_.y, bounds_.bottom() - h));
        const Box b{std::round(s.x), std::round(s.y), w, h};
        if (!clear(b)) continue;
        if (l.backdrop) canvas_.rect(b, {255, 255, 255, 225});
        canvas_.text(text, {b.x + 2, b.y}, size, l.colour, l.face);
        taken_.push_back(b);
        return b;
    }
    return std::nullopt;
}

std::optional<Box> LabelPlacer::place(const Label& l, Box object) {
    const int smallest = l.min_size > 0 ? std::min(l.min_size, l.size) : l.size;
    for (int size = l.size; size >= smallest; --size)
        if (auto b = try_at(l, l.text, size, object)) return b;
    // Shortened, at the smallest size: the whole text is in the panel and the hover box.
    for (std::size_t keep : {l.text.size() * 2 / 3, l.text.size() / 2}) {
        if (keep < 6) break;
        const std::string cut = canvas_.fit(l.text, canvas_.width(l.text.substr(0, keep), smallest, l.face) + 8, smallest, l.face);
        if (cut.empty() || cut == l.text) continue;
        if (auto b = try_at(l, cut, smallest, object)) return b;
    }
    missed_.push_back(l.text);
    return std::nullopt;
}

}  // namespace hopsim::viz
