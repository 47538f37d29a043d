#include "hopsim/viz/hop_table_view.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "palette.hpp"

namespace hopsim::viz {

namespace {
constexpr float kRow = 15, kHead = 30;
}

float hop_table_height(const sim::HopTable& table) {
    return kHead + kRow + 2 + kRow * static_cast<float>(table.fields.size()) + 24;
}

void draw_hop_table(Canvas& c, Box area, const sim::HopTable& table) {
    c.rect(area, {255, 255, 255}, kInk);
    const float x0 = area.x + 10, cw = c.width("0", 11, Face::Mono);
    float y = area.y + 8;
    if (table.hops.empty()) {
        c.text(fmt::format("pkt {} was never received anywhere", table.pkt), {x0, y}, 13, kInk);
        return;
    }
    const std::string what = table.title.empty() ? "hop by hop" : table.title;
    c.text(c.fit(fmt::format("pkt {} {}: changed cells are coloured   [d] close", table.pkt, what), area.w - 20, 13), {x0, y}, 13, kInk);
    y += kHead - 8;
    std::size_t name_chars = 5, cell_chars = 8;
    for (const auto& n : table.fields) name_chars = std::max(name_chars, n.size());
    for (const auto& h : table.hops) cell_chars = std::max(cell_chars, h.size());
    for (const auto& r : table.cells)
        for (const auto& cell : r) cell_chars = std::max(cell_chars, cell.size());
    const float name_w = cw * static_cast<float>(name_chars + 2), cell_w = cw * static_cast<float>(cell_chars + 2);
    const std::size_t fit = std::min(table.hops.size(), static_cast<std::size_t>(std::max(0.f, (area.w - 20 - name_w) / cell_w)));
    const std::size_t rows_fit = static_cast<std::size_t>(std::max(0.f, (area.bottom() - y - kRow - 2 - 24) / kRow));
    for (std::size_t h = 0; h < fit; ++h) c.text(table.hops[h], {x0 + name_w + cell_w * static_cast<float>(h), y}, 11, kInk, Face::Mono);
    y += kRow + 2;
    for (std::size_t r = 0; r < table.fields.size() && r < rows_fit; ++r) {
        c.text(table.fields[r], {x0, y}, 11, kMuted, Face::Mono);
        for (std::size_t h = 0; h < fit; ++h) {
            const float x = x0 + name_w + cell_w * static_cast<float>(h);
            if (table.changed(r, h)) c.rect({x - 3, y - 1, cell_w - 2, kRow}, kChanged);
            c.text(table.cells[r][h], {x, y}, 11, kInk, Face::Mono);
        }
        y += kRow;
    }
    std::string more;
    if (fit < table.hops.size()) more += fmt::format("{} more hops to the right; ", table.hops.size() - fit);
    if (rows_fit < table.fields.size()) more += fmt::format("{} more fields below; ", table.fields.size() - rows_fit);
    if (!more.empty()) c.text(c.fit(more + "hopsim run --follow " + std::to_string(table.pkt) + " prints it all", area.w - 20, 11), {x0, y + 4}, 11, kMuted);
}

}  // namespace hopsim::viz
