#include "hopsim/sim/follow.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "hopsim/netstack/dissector.hpp"

namespace hopsim::sim {

std::optional<std::uint64_t> resolve_packet(const Scenario& sc, const std::vector<RecordedEvent>& events,
                                            const std::string& which) {
    if (!which.empty() && std::all_of(which.begin(), which.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::stoull(which);
    for (const RecordedEvent& e : events)
        if (e.ev == Ev::Send && e.flow >= 0 && sc.traffic[static_cast<std::size_t>(e.flow)].id == which) return e.pkt;
    return std::nullopt;
}

std::string hop_table(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt, bool colour) {
    struct Column {
        std::string title;
        std::map<std::string, std::string> cells;
    };
    std::vector<Column> cols;
    std::vector<std::string> rows;  // field names, in first-seen order
    for (const RecordedEvent& e : events) {
        if (e.pkt != pkt || e.ev != Ev::Rx || e.bytes.empty()) continue;
        Column c;
        c.title = fmt::format("{}:{}", sc.nodes[static_cast<std::size_t>(e.node)].id, sc.port_name(e.node, e.port));
        const net::Dissection d = net::dissect(e.bytes);
        for (std::size_t l = 0; l < d.layer_count; ++l) {
            const net::Layer& layer = d.layers[l];
            for (std::size_t k = 0; k < layer.field_count; ++k) {
                const std::string name = std::string(layer.name) + "." + layer.fields[k].name;
                if (name.find("checksum_ok") != std::string::npos) continue;
                if (std::find(rows.begin(), rows.end(), name) == rows.end()) rows.push_back(name);
                c.cells[name] = net::format_field(layer.fields[k]);
            }
        }
        cols.push_back(std::move(c));
    }
    if (cols.empty()) return fmt::format("pkt {} was never received anywhere\n", pkt);

    std::size_t name_w = 5, cell_w = 8;
    for (const auto& r : rows) name_w = std::max(name_w, r.size());
    for (const auto& c : cols) {
        cell_w = std::max(cell_w, c.title.size());
        for (const auto& [k, v] : c.cells) cell_w = std::max(cell_w, v.size() + 1);
    }
    std::string out = fmt::format("pkt {} hop by hop ('*' = changed since the previous hop)\n\n{:<{}}", pkt, "field", name_w);
    for (const auto& c : cols) out += fmt::format("  {:<{}}", c.title, cell_w);
    out += "\n";
    for (const std::string& r : rows) {
        out += fmt::format("{:<{}}", r, name_w);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            const auto it = cols[i].cells.find(r);
            const std::string v = it == cols[i].cells.end() ? "-" : it->second;
            const auto prev = i ? cols[i - 1].cells.find(r) : cols[i].cells.end();
            const bool changed = i > 0 && prev != cols[i - 1].cells.end() && it != cols[i].cells.end() && prev->second != v;
            const std::string cell = changed ? v + "*" : v;
            if (changed && colour) out += fmt::format("  \033[1;33m{:<{}}\033[0m", cell, cell_w);
            else out += fmt::format("  {:<{}}", cell, cell_w);
        }
        out += "\n";
    }
    return out;
}

}  // namespace hopsim::sim
