#include "hopsim/sim/follow.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "hopsim/netstack/dissector.hpp"

namespace hopsim::sim {

std::optional<std::uint64_t> resolve_packet(const Scenario& sc, const std::vector<RecordedEvent>& events,
                                            const std::string& which) {
    if (!which.empty() && which.size() < 20 && std::all_of(which.begin(), which.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::stoull(which);
    for (const RecordedEvent& e : events)
        if (e.ev == Ev::Send && e.flow >= 0 && sc.traffic[static_cast<std::size_t>(e.flow)].id == which) return e.pkt;
    return std::nullopt;
}

bool HopTable::changed(std::size_t field, std::size_t hop) const {
    if (hop == 0) return false;
    const std::string &now = cells[field][hop], &before = cells[field][hop - 1];
    return now != "-" && before != "-" && now != before;
}

HopTable hop_table(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt) {
    HopTable table;
    table.pkt = pkt;
    std::vector<std::map<std::string, std::string>> columns;
    for (const RecordedEvent& e : events) {
        if (e.pkt != pkt || e.ev != Ev::Rx || e.bytes.empty()) continue;
        table.hops.push_back(fmt::format("{}:{}", sc.nodes[static_cast<std::size_t>(e.node)].id, sc.port_name(e.node, e.port)));
        auto& cells = columns.emplace_back();
        const net::Dissection d = net::dissect(e.bytes);
        for (std::size_t l = 0; l < d.layer_count; ++l) {
            const net::Layer& layer = d.layers[l];
            for (std::size_t k = 0; k < layer.field_count; ++k) {
                std::string name = std::string(layer.name) + "." + layer.fields[k].name;
                if (name.find("checksum_ok") != std::string::npos) continue;
                if (std::find(table.fields.begin(), table.fields.end(), name) == table.fields.end()) table.fields.push_back(name);
                cells[std::move(name)] = net::format_field(layer.fields[k]);
            }
        }
    }
    for (const std::string& f : table.fields) {
        auto& row = table.cells.emplace_back();
        for (const auto& c : columns) {
            const auto it = c.find(f);
            row.push_back(it == c.end() ? "-" : it->second);
        }
    }
    return table;
}

std::string format_hop_table(const HopTable& t, bool colour) {
    if (t.hops.empty()) return fmt::format("pkt {} was never received anywhere\n", t.pkt);
    std::size_t name_w = 5, cell_w = 8;
    for (const auto& f : t.fields) name_w = std::max(name_w, f.size());
    for (const auto& h : t.hops) cell_w = std::max(cell_w, h.size());
    for (const auto& row : t.cells)
        for (const auto& v : row) cell_w = std::max(cell_w, v.size() + 1);
    std::string out = fmt::format("pkt {} hop by hop ('*' = changed since the previous hop)\n\n{:<{}}", t.pkt, "field", name_w);
    for (const auto& h : t.hops) out += fmt::format("  {:<{}}", h, cell_w);
    out += "\n";
    for (std::size_t r = 0; r < t.fields.size(); ++r) {
        out += fmt::format("{:<{}}", t.fields[r], name_w);
        for (std::size_t i = 0; i < t.hops.size(); ++i) {
            const bool changed = t.changed(r, i);
            const std::string cell = changed ? t.cells[r][i] + "*" : t.cells[r][i];
            if (changed && colour) out += fmt::format("  \033[1;33m{:<{}}\033[0m", cell, cell_w);
            else out += fmt::format("  {:<{}}", cell, cell_w);
        }
        out += "\n";
    }
    return out;
}

}  // namespace hopsim::sim
