#include "hopsim/viz/table_strip.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "palette.hpp"

namespace hopsim::viz {

namespace {
std::string row_text(sim::Table table, const std::string& key, const std::string& value) {
    return key + (table == sim::Table::Mac ? "  port " : table == sim::Table::Nat ? "  = " : "  ") + value;
}
}  // namespace

TableStrip::TableStrip(const Timeline& tl, const Metrics& metrics) : tl_(tl) {
    // Every table that ever holds a row, with the most rows and the widest row
    // it ever has, so its column is the same size all through the run.
    const sim::Scenario& sc = tl.scenario();
    std::map<std::pair<int, sim::Table>, std::set<std::string>> now;
    std::map<std::pair<int, sim::Table>, std::pair<std::size_t, std::string>> most;
    for (const auto& e : tl.events()) {
        if ((e.ev != sim::Ev::Learn && e.ev != sim::Ev::Expire) || e.node < 0) continue;
        auto& rows = now[{e.node, e.table}];
        auto& m = most[{e.node, e.table}];
        const std::string key = table_key(e);
        if (e.ev == sim::Ev::Expire) {
            rows.erase(key);
            continue;
        }
        rows.insert(key);
        m.first = std::max(m.first, rows.size());
        const std::string text = row_text(e.table, key, e.value);
        if (metrics.width(text, Face::Sans, 11) > metrics.width(m.second, Face::Sans, 11)) m.second = text;
    }
    // Routes first: few and small, and what a routing lesson is about; then
    // NAT tables, MAC tables, then ARP caches.
    for (sim::Table kind : {sim::Table::Route, sim::Table::Nat, sim::Table::Mac, sim::Table::Arp})
        for (int pass = 0; pass < 2; ++pass)  // routers' ARP caches before hosts'
            for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
                const auto& n = sc.nodes[i];
                if (kind == sim::Table::Arp && (n.kind == sim::NodeKind::Host) != (pass == 1)) continue;
                if (kind != sim::Table::Arp && pass == 1) continue;
                const auto it = most.find({static_cast<int>(i), kind});
                const bool shown = kind == sim::Table::Mac ? n.kind == sim::NodeKind::Switch
                                 : kind == sim::Table::Route ? n.kind == sim::NodeKind::Router
                                                             : it != most.end();
                if (!shown) continue;
                const char* name = kind == sim::Table::Mac ? "mac" : kind == sim::Table::Route ? "routes" : kind == sim::Table::Nat ? "nat" : "arp";
                const char* title = kind == sim::Table::Mac     ? "MAC table"
                                    : kind == sim::Table::Route ? "routes"
                                    : kind == sim::Table::Nat   ? "NAT table"
                                                                : "ARP cache";
                columns_.push_back({static_cast<int>(i), kind, n.id + "." + name, n.id + " " + title, it == most.end() ? 0 : it->second.first,
                                   it == most.end() ? "" : it->second.second});
                TableColumn& t = columns_.back();
                for (int size = 8; size <= 11; ++size)
                    t.width[static_cast<std::size_t>(size - 8)] = std::max(metrics.width(t.widest, Face::Sans, size), metrics.width(t.title, Face::Sans, 12)) + 24;
            }
}

// The tables along the bottom: every table chosen, whole, at the largest
// size (11 down to 8) at which they all fit in at most 35% of the pane,
// wrapping onto more rows of tables when one row is not enough.
TableStrip::Layout TableStrip::layout(Box area, const std::vector<std::string>& names, float at_least) const {
    std::vector<std::size_t> chosen;
    if (names.empty()) {
        for (std::size_t i = 0; i < columns_.size(); ++i) chosen.push_back(i);
    } else {
        for (const std::string& name : names)
            for (std::size_t i = 0; i < columns_.size(); ++i)
                if (columns_[i].name == name) chosen.push_back(i);
    }
    Layout s;
    if (chosen.empty()) {
        s.box = {area.x, area.bottom() - at_least, area.w, at_least};
        return s;
    }
    const float max_h = std::max(60.f, area.h * 0.35f), width = area.w - 24;
    auto pack = [&](int size, bool partial) {
        Layout l;
        l.size = size;
        const float line = std::ceil(static_cast<float>(size) * kLineHeight) + 1, title = line + 4;
        float x = 0, y = 0, row_h = 0;
        for (std::size_t c : chosen) {
            const TableColumn& t = columns_[c];
            const float w = std::min(width, t.width[static_cast<std::size_t>(size - 8)]);
            const float h = title + line * static_cast<float>(std::max<std::size_t>(t.max_rows, 1));
            if (x > 0 && x + w > width) x = 0, y += row_h + 6, row_h = 0;
            // Once one does not fit, the rest wait too: the order is the order of importance.
            if (!l.hidden.empty() || y + h > max_h - (partial ? line : 0)) {
                if (!partial) return std::optional<Layout>();
                l.hidden.push_back(t.name);
                continue;
            }
            l.columns.push_back({c, {x, y, w, h}});
            x += w;
            row_h = std::max(row_h, h);
        }
        const float used = std::max(y + row_h + (l.hidden.empty() ? 0 : line) + 10, at_least);
        l.box = {area.x, area.bottom() - used, area.w, used};
        for (auto& [c, b] : l.columns) b.x += area.x + 12, b.y += l.box.y;
        return std::optional<Layout>(std::move(l));
    };
    for (int size = 11; size >= 8; --size)
        if (auto l = pack(size, false)) return *l;
    return *pack(9, true);
}

// The chosen tables as they stand at t, the newest row highlighted.
void TableStrip::draw(Canvas& c, const Layout& s, std::int64_t t, std::int64_t recent) const {
    if (s.columns.empty()) return;
    c.line({s.box.x + 8, s.box.y + 2}, {s.box.right() - 8, s.box.y + 2}, {220, 222, 226});
    const float line = std::ceil(static_cast<float>(s.size) * kLineHeight) + 1;
    for (const auto& [index, b] : s.columns) {
        const TableColumn& col = columns_[index];
        c.text(col.title, {b.x, b.y + 4}, 12, kInk);
        float y = b.y + line + 8;
        const auto rows = tl_.table_at(col.node, col.table, t);
        for (const TableRow& r : rows) {
            if (t - r.changed <= recent) c.rect({b.x - 2, y, b.w - 12, line}, kFresh);
            c.text(row_text(col.table, r.key, r.value), {b.x, y}, s.size, kInk);
            y += line;
        }
        if (rows.empty()) c.text("(empty)", {b.x, y}, s.size, kMuted);
    }
    if (!s.hidden.empty()) {
        std::string names;
        for (std::size_t k = 0; k < s.hidden.size() && k < 8; ++k) names += (names.empty() ? "" : ", ") + s.hidden[k];
        if (s.hidden.size() > 8) names += fmt::format(" and {} more", s.hidden.size() - 8);
        c.text(c.fit("not shown: " + names + "  (choose with --tables)", s.box.w - 24, s.size), {s.box.x + 12, s.box.bottom() - line - 2}, s.size, kMuted);
    }
}

std::vector<std::string> TableStrip::names(sim::Table kind) const {
    std::vector<std::string> out;
    for (const TableColumn& c : columns_)
        if (kind == sim::Table::None || c.table == kind) out.push_back(c.name);
    return out;
}

}  // namespace hopsim::viz
