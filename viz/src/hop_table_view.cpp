#include "hopsim/viz/hop_table_view.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "ink.hpp"

namespace hopsim::viz {

void draw_hop_table(sf::RenderTarget& target, const Fonts& f, sf::FloatRect area, const sim::HopTable& table) {
    fill_rect(target, area, sf::Color(255, 255, 255, 245), kInk);
    const float x0 = area.left + 10, cw = f.mono.getGlyph('0', 11, false).advance, row = 14;
    float y = area.top + 8;
    if (table.hops.empty()) {
        put_text(target, f.sans, fmt::format("pkt {} was never received anywhere", table.pkt), {x0, y}, 13, kInk);
        return;
    }
    const std::string what = table.title.empty() ? "hop by hop" : table.title;
    put_text(target, f.sans, fmt::format("pkt {} {}: changed cells are coloured   [d] close", table.pkt, what), {x0, y}, 13, kInk);
    y += 22;
    std::size_t name_chars = 5, cell_chars = 8;
    for (const auto& n : table.fields) name_chars = std::max(name_chars, n.size());
    for (const auto& h : table.hops) cell_chars = std::max(cell_chars, h.size());
    for (const auto& r : table.cells)
        for (const auto& c : r) cell_chars = std::max(cell_chars, c.size());
    const float name_w = cw * static_cast<float>(name_chars + 2), cell_w = cw * static_cast<float>(cell_chars + 2);
    std::size_t fit = static_cast<std::size_t>(std::max(0.f, (area.width - 20 - name_w) / cell_w));
    fit = std::min(fit, table.hops.size());
    const std::size_t rows_fit = static_cast<std::size_t>(std::max(0.f, (area.top + area.height - y - 24) / row));
    for (std::size_t h = 0; h < fit; ++h) put_text(target, f.mono, table.hops[h], {x0 + name_w + cell_w * static_cast<float>(h), y}, 11, kInk);
    y += row + 2;
    for (std::size_t r = 0; r < table.fields.size() && r < rows_fit; ++r) {
        put_text(target, f.mono, table.fields[r], {x0, y}, 11, kMuted);
        for (std::size_t h = 0; h < fit; ++h) {
            const float x = x0 + name_w + cell_w * static_cast<float>(h);
            if (table.changed(r, h)) fill_rect(target, {x - 3, y - 1, cell_w - 2, row}, kChanged);
            put_text(target, f.mono, table.cells[r][h], {x, y}, 11, kInk);
        }
        y += row;
    }
    std::string more;
    if (fit < table.hops.size()) more += fmt::format("{} more hops to the right; ", table.hops.size() - fit);
    if (rows_fit < table.fields.size()) more += fmt::format("{} more fields below; ", table.fields.size() - rows_fit);
    if (!more.empty()) put_text(target, f.sans, more + "hopsim run --follow " + std::to_string(table.pkt) + " prints it all", {x0, y + 4}, 11, kMuted);
}

}  // namespace hopsim::viz
