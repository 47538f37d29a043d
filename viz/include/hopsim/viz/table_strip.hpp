#pragma once
// The tables along the bottom of a pane: every chosen table whole, at the
// largest size (11 down to 8 pixels) at which they all fit in a third of the
// pane, wrapping onto more rows of tables when one row is not enough; routes
// first, then MAC tables, then ARP caches (routers' before hosts'). A column
// is as wide as the widest row its table ever holds and as tall as its most
// rows, so nothing moves as the run goes on. What does not fit is named.

#include <array>
#include <string>
#include <vector>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/timeline.hpp"

namespace hopsim::viz {

// A table the scene can show: one node's MAC table, ARP cache or routes.
struct TableColumn {
    int node = -1;
    sim::Table table = sim::Table::None;
    std::string name;    // "S1.mac", "R3.routes", "A.arp": what --tables takes
    std::string title;   // "S1 MAC table"
    std::size_t max_rows = 0;  // the most it ever holds in the run
    std::string widest;  // its widest row in the run
    std::array<float, 4> width{};  // its column's width with rows at 8, 9, 10 and 11 pixels
};

class TableStrip {
public:
    TableStrip(const Timeline& tl, const Metrics& metrics);

    struct Layout {
        Box box;                                           // the whole strip along the bottom of the pane
        int size = 11;                                     // of the rows' text
        std::vector<std::pair<std::size_t, Box>> columns;  // table index, where it goes
        std::vector<std::string> hidden;                   // tables that did not fit
    };
    // `names`: the tables to show ("R3.routes"); empty: all, as many as fit.
    // The strip is at least `at_least` tall (side-by-side panes share one).
    Layout layout(Box area, const std::vector<std::string>& names, float at_least) const;
    // The tables as they stand at t, rows changed within `recent` highlighted.
    void draw(Canvas& c, const Layout& s, std::int64_t t, std::int64_t recent) const;
    const std::vector<TableColumn>& columns() const { return columns_; }
    // The names of one kind of table (every kind: sim::Table::None), for a
    // "show me all the routing tables" choice.
    std::vector<std::string> names(sim::Table kind) const;

private:
    const Timeline& tl_;
    std::vector<TableColumn> columns_;  // in the order they are shown
};

}  // namespace hopsim::viz
