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
    // The Ethernet header is at every hop: a field of it there at one hop and
    // not the next (a VLAN tag pushed or popped) changed.
    if (fields[field].rfind("eth.", 0) == 0) return now != before;
    return now != "-" && before != "-" && now != before;
}

namespace {

// A column: one reception (or the drop) of the packet, with the part of the
// datagram's payload it carries, [lo, hi), so fragments can be told apart.
struct Column {
    std::size_t event;
    std::string title;
    std::size_t lo = 0, hi = SIZE_MAX;  // the whole packet unless it is an IP fragment
    bool bystander = false;
    bool contains(const Column& o) const { return lo <= o.lo && o.hi <= hi; }
    bool same_range(const Column& o) const { return lo == o.lo && hi == o.hi; }
};

Column column(const std::vector<RecordedEvent>& events, std::size_t i, std::string title) {
    Column c{i, std::move(title)};
    const net::Dissection d = net::dissect(events[i].bytes);
    const auto frag = d.value("ipv4", "frag"), len = d.value("ipv4", "len"), ihl = d.value("ipv4", "ihl");
    const bool fragment = frag && (*frag > 0 || d.value("ipv4", "mf").value_or(0));
    if (fragment && len && ihl && *len >= *ihl) {
        c.lo = static_cast<std::size_t>(*frag);
        c.hi = c.lo + static_cast<std::size_t>(*len - *ihl);
    }
    return c;
}

HopTable build(const std::vector<RecordedEvent>& events, std::uint64_t pkt, const std::vector<const Column*>& cols) {
    HopTable table;
    table.pkt = pkt;
    std::vector<std::map<std::string, std::string>> columns;
    for (const Column* c : cols) {
        if (c->bystander) {
            table.bystanders.push_back(c->title);
            continue;
        }
        table.hops.push_back(c->title);
        table.events.push_back(c->event);
        auto& cells = columns.emplace_back();
        const net::Dissection d = net::dissect(events[c->event].bytes);
        for (std::size_t l = 0; l < d.layer_count; ++l) {
            const net::Layer& layer = d.layers[l];
            for (std::size_t k = 0; k < layer.field_count; ++k) {
                std::string name = std::string(layer.name) + "." + layer.fields[k].name;
                if (name.find("checksum_ok") != std::string::npos) continue;
                if (std::find(table.fields.begin(), table.fields.end(), name) == table.fields.end()) {
                    // A field first seen later (a VLAN tag pushed on a trunk) joins its layer's rows.
                    const std::string layer_prefix = std::string(layer.name) + ".";
                    auto after = table.fields.end();
                    for (auto it = table.fields.begin(); it != table.fields.end(); ++it)
                        if (it->rfind(layer_prefix, 0) == 0) after = it + 1;
                    table.fields.insert(after, name);
                }
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

}  // namespace

std::vector<HopTable> hop_tables(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt) {
    auto where = [&](const RecordedEvent& e) {
        return fmt::format("{}:{}", sc.nodes[static_cast<std::size_t>(e.node)].id, sc.port_name(e.node, e.port));
    };
    // Receptions a node then filtered as not for it: same node, port and instant.
    std::vector<std::size_t> filters;
    for (std::size_t i = 0; i < events.size(); ++i)
        if (events[i].pkt == pkt && events[i].ev == Ev::Filter) filters.push_back(i);
    auto filtered = [&](const RecordedEvent& rx) {
        return std::any_of(filters.begin(), filters.end(), [&](std::size_t f) {
            const RecordedEvent& e = events[f];
            return e.node == rx.node && e.port == rx.port && e.t == rx.t;
        });
    };
    std::vector<Column> cols;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const RecordedEvent& e = events[i];
        if (e.pkt != pkt || e.bytes.empty()) continue;
        if (e.ev == Ev::Rx) {
            Column c = column(events, i, where(e));
            c.bystander = filtered(e);
            cols.push_back(std::move(c));
        } else if (e.ev == Ev::Drop) {
            cols.push_back(column(events, i, fmt::format("dropped at {}: {}", sc.nodes[static_cast<std::size_t>(e.node)].id, e.reason)));
        }
    }
    // The fragments as they finally travelled: ranges no other column splits further.
    std::vector<const Column*> leaves;
    for (const Column& c : cols) {
        const bool split = std::any_of(cols.begin(), cols.end(), [&](const Column& o) { return c.contains(o) && !c.same_range(o); });
        const bool seen = std::any_of(leaves.begin(), leaves.end(), [&](const Column* l) { return l->same_range(c); });
        if (!split && !seen) leaves.push_back(&c);
    }
    std::sort(leaves.begin(), leaves.end(), [](const Column* a, const Column* b) { return a->lo < b->lo; });
    std::vector<HopTable> tables;
    if (leaves.size() <= 1) {
        std::vector<const Column*> all;
        for (const Column& c : cols) all.push_back(&c);
        tables.push_back(build(events, pkt, all));
        return tables;
    }
    for (std::size_t k = 0; k < leaves.size(); ++k) {
        std::vector<const Column*> path;  // the whole datagram before the split, then this fragment
        for (const Column& c : cols)
            if (c.contains(*leaves[k])) path.push_back(&c);
        HopTable t = build(events, pkt, path);
        t.title = fmt::format("fragment {} of {}: payload bytes {}-{}", k + 1, leaves.size(), leaves[k]->lo, leaves[k]->hi - 1);
        tables.push_back(std::move(t));
    }
    return tables;
}

HopTable hop_table(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt, std::size_t event) {
    std::vector<HopTable> tables = hop_tables(sc, events, pkt);
    for (HopTable& t : tables)
        if (std::find(t.events.begin(), t.events.end(), event) != t.events.end()) return std::move(t);
    return std::move(tables.front());
}

namespace {

std::string format_one(const HopTable& t, bool colour) {
    std::string out = t.title.empty() ? fmt::format("pkt {} hop by hop ('*' = changed since the previous hop)\n\n", t.pkt)
                                      : fmt::format("pkt {}, {} ('*' = changed since the previous hop)\n\n", t.pkt, t.title);
    std::size_t name_w = 5;
    for (const auto& f : t.fields) name_w = std::max(name_w, f.size());
    std::vector<std::size_t> width(t.hops.size(), 8);  // each column as wide as its title or widest cell
    for (std::size_t i = 0; i < t.hops.size(); ++i) {
        width[i] = std::max(width[i], t.hops[i].size());
        for (const auto& row : t.cells) width[i] = std::max(width[i], row[i].size() + 1);
    }
    out += fmt::format("{:<{}}", "field", name_w);
    for (std::size_t i = 0; i < t.hops.size(); ++i) out += fmt::format("  {:<{}}", t.hops[i], width[i]);
    out += "\n";
    for (std::size_t r = 0; r < t.fields.size(); ++r) {
        out += fmt::format("{:<{}}", t.fields[r], name_w);
        for (std::size_t i = 0; i < t.hops.size(); ++i) {
            const bool changed = t.changed(r, i);
            const std::string cell = changed ? t.cells[r][i] + "*" : t.cells[r][i];
            if (changed && colour) out += fmt::format("  \033[1;33m{:<{}}\033[0m", cell, width[i]);
            else out += fmt::format("  {:<{}}", cell, width[i]);
        }
        out += "\n";
    }
    if (!t.bystanders.empty()) {
        out += "\nalso received, and filtered as not for them:";
        for (const auto& b : t.bystanders) out += " " + b;
        out += "\n";
    }
    return out;
}

}  // namespace

std::string format_hop_tables(const std::vector<HopTable>& tables, bool colour) {
    if (tables.empty() || (tables.size() == 1 && tables[0].hops.empty() && tables[0].bystanders.empty()))
        return fmt::format("pkt {} was never received anywhere\n", tables.empty() ? 0 : tables[0].pkt);
    std::string out;
    for (std::size_t i = 0; i < tables.size(); ++i) out += (i ? "\n" : "") + format_one(tables[i], colour);
    return out;
}

}  // namespace hopsim::sim
