#include "hopsim/viz/panel.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/sim/p2p_link.hpp"
#include "hopsim/sim/tcp_connection.hpp"
#include "hopsim/sim/units.hpp"
#include "palette.hpp"

namespace hopsim::viz {

namespace {

constexpr float kRow = 15, kPad = 10, kHexLine = 15;
constexpr int kMaxListRows = 12, kMinListRows = 4;

// "2 Ethernet II": the slot in the five-layer picture and the protocol in it.
std::string layer_title(std::string_view name) {
    if (name == "eth") return "2 Link: Ethernet II";
    if (name == "arp") return "3 Network: ARP";
    if (name == "ipv4") return "3 Network: IPv4";
    if (name == "icmp") return "4 ICMP (carried in IPv4)";
    if (name == "udp") return "4 Transport: UDP";
    if (name == "tcp") return "4 Transport: TCP";
    if (name == "app") return "5 Application";
    return std::string(name);
}

std::string printable(std::span<const std::uint8_t> b) {
    std::string s;
    for (std::uint8_t c : b) s += (c >= 32 && c < 127) ? static_cast<char>(c) : '.';
    return s;
}

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

const std::vector<int>& rows_of(const Timeline& tl, const Selection& sel) {
    return sel.search.empty() ? tl.events_about(sel.filter) : sel.found;
}

// The event list: rows around t (or scrolled), the past in ink and what is
// about to happen muted, the latest event yellow and the selection blue.
float draw_list(Canvas& c, Box area, int list_rows, const Timeline& tl, std::int64_t t, const Selection& sel, std::vector<PanelHit>& hits) {
    const auto& rows = rows_of(tl, sel);
    const auto& ev = tl.events();
    const float x = area.x + kPad;
    float y = area.y + kPad;
    std::string head = fmt::format("Events ({})   filter: {} [f]", rows.size(), sel.filter ? to_string(*sel.filter) : "all");
    head += sel.search.empty() ? "   search: [/]" : fmt::format("   search: \"{}\"", sel.search);
    c.text(c.fit(head, area.w - 2 * kPad, 13), {x, y}, 13, kInk);
    y += 20;
    const auto after = std::upper_bound(rows.begin(), rows.end(), t, [&](std::int64_t v, int i) { return v < ev[static_cast<std::size_t>(i)].t; });
    const long now = (after - rows.begin()) - 1;  // the last event at or before t
    const long last_first = std::max<long>(0, static_cast<long>(rows.size()) - list_rows);
    const long first = std::clamp<long>(now - list_rows + 4 - sel.list_scroll, 0, last_first);
    hits.push_back({PanelHit::Part::List, {area.x, y, area.w, kRow * static_cast<float>(list_rows)}});
    for (long r = first; r < first + list_rows && r < static_cast<long>(rows.size()); ++r) {
        const int i = rows[static_cast<std::size_t>(r)];
        const Box rect{area.x + kPad - 2, y - 1, area.w - 2 * kPad + 4, kRow};
        if (i == sel.event) c.rect(rect, kSelect);
        else if (r == now) c.rect(rect, kFresh);
        const Rgba ink = r <= now ? kInk : kMuted;
        c.text(fmt::format("{:>6}", i), {x, y}, 11, kMuted, Face::Mono);
        c.text(sim::SimTime::ns(ev[static_cast<std::size_t>(i)].t).to_string(), {x + 50, y}, 11, ink, Face::Mono);
        c.text(c.fit(tl.describe(i), area.w - 2 * kPad - 130, 11), {x + 128, y}, 11, ink);
        hits.push_back({PanelHit::Part::Row, rect, i, -1});
        y += kRow;
    }
    if (rows.empty()) c.text(sel.search.empty() ? "(no events about this protocol)" : "(no event matches the search)", {x, y}, 11, kMuted);
    y = area.y + kPad + 20 + static_cast<float>(list_rows) * kRow + 2;
    // The legend for the rows' colours.
    float lx = x;
    for (const auto& [fill, what] : {std::pair{kFresh, "latest at t"}, std::pair{kSelect, "selected"}}) {
        c.rect({lx, y + 3, 12, 9}, fill, kMuted);
        lx = c.text(what, {lx + 16, y}, 10, kMuted).right() + 12;
    }
    c.text("grey: still to come;  wheel: scroll", {lx, y}, 10, kMuted);
    return y + 18;
}

// What the event changed, before -> after, for events that are changes.
float draw_change(Canvas& c, float x, float y, float w, const sim::RecordedEvent& e) {
    auto row = [&](const std::string& name, const std::string& from, const std::string& to) {
        c.rect({x - 2, y - 1, w, kRow}, kChanged);
        c.text(name, {x, y}, 11, kInk, Face::Mono);
        c.text(c.fit(from + "  \xe2\x86\x92  " + to, w - 114, 11, Face::Mono), {x + 110, y}, 11, kInk, Face::Mono);
        y += kRow;
    };
    auto line = [&](const std::string& s, int size, Rgba colour) {
        for (const std::string& l : wrap(c, s, w - 4, size)) c.text(l, {x, y}, size, colour), y += static_cast<float>(size) + 5;
    };
    if (e.ev == sim::Ev::Rewrite) {
        line("Router rewrite, before \xe2\x86\x92 after:", 12, kInk);
        for (const auto& ch : e.changes) row(ch.field, std::string(ch.from()), std::string(ch.to()));
    } else if (e.ev == sim::Ev::Learn) {
        line(fmt::format("{} table entry, before \xe2\x86\x92 after:", sim::to_string(e.table)), 12, kInk);
        row(e.key, e.old.empty() ? "(none)" : e.old, e.value);
    } else if (e.ev == sim::Ev::Expire) {
        line(fmt::format("{} table entry expired:", sim::to_string(e.table)), 12, kInk);
        row(e.key, e.value, "(none)");
    } else if (e.ev == sim::Ev::State) {
        line("TCP connection state:", 12, kInk);
        row(e.conn, e.from_state, e.to_state);
    } else if (e.ev == sim::Ev::Retransmit) {
        line(fmt::format("TCP {} sends seq {} again ({} bytes)", e.conn, e.seq, e.len), 12, kInk);
        line(std::string("because ") + sim::retransmit_cause_text(e.cause), 11, kInk);
        if (e.rto_ns > 0) line("retransmission timer now " + sim::SimTime::ns(e.rto_ns).to_string() + ", backed off", 11, kInk);
    } else if (e.ev == sim::Ev::Cwnd) {
        line(fmt::format("TCP {} congestion window:", e.conn), 12, kInk);
        line(fmt::format("cwnd {} bytes, ssthresh {}", e.cwnd, sim::ssthresh_text(e.ssthresh)), 11, kInk);
    }
    if (!e.reason.empty()) line("why: " + e.reason, 12, kAlert);
    if (!e.detail.empty()) line(e.detail, 11, kInk);
    return y;
}

// The height the frame's layers take (without the hex dump).
constexpr float kValueAt = 88;  // a field's value, from the left of its cell

// A field whose value does not fit half the panel gets a line of its own.
bool wide(const Canvas& c, const net::Field& f, float col) {
    return c.width(net::format_field(f), 11, Face::Mono) + 6 > col - 4 - kValueAt;
}

// Where each field of a layer goes: its column (0, 1, or -1 for a whole
// line) and its line; returns the layer's line count.
std::size_t field_places(const Canvas& c, const net::Layer& layer, float col, std::vector<std::pair<int, std::size_t>>& places) {
    places.clear();
    std::size_t line = 0;
    int slot = 0;
    for (std::size_t k = 0; k < layer.field_count; ++k) {
        if (wide(c, layer.fields[k], col)) {
            if (slot == 1) ++line, slot = 0;
            places.push_back({-1, line++});
            continue;
        }
        places.push_back({slot, line});
        if (++slot == 2) ++line, slot = 0;
    }
    return line + (slot == 1 ? 1 : 0);
}

float layers_height(const Canvas& c, const net::Dissection& d, bool error, float col) {
    float h = 17;
    std::vector<std::pair<int, std::size_t>> places;
    for (std::size_t l = 0; l < d.layer_count; ++l) h += 16 + kRow * static_cast<float>(field_places(c, d.layers[l], col, places)) + 3;
    return h + (error ? 16 : 0);
}

// The frame as five layers, two fields to a line, then the hex dump: whole
// when it fits, else from hex_scroll with the lines above and below counted.
void draw_frame(Canvas& c, Box area, float y, const Timeline& tl, const sim::RecordedEvent& e, const Selection& sel, std::vector<PanelHit>& hits) {
    const sim::Scenario& sc = tl.scenario();
    const float x = area.x + kPad, col = (area.w - 2 * kPad) / 2;
    const net::Dissection d = sim::dissect_event(e.bytes, e.eth_dst_unresolved);
    // 1 Physical: size and time on the wire.
    const int link = e.link >= 0 ? e.link : (e.node >= 0 && e.port >= 0 ? sc.link_at(e.node, e.port) : -1);
    std::string phys = fmt::format("1 Physical: {} bytes", e.bytes.size());
    if (link >= 0) {
        const std::int64_t bps = sc.links[static_cast<std::size_t>(link)].bandwidth_bps;
        phys += fmt::format(", {} on a {} wire", sim::wire_time(e.bytes.size(), bps).to_string(), sim::format_rate(bps));
    }
    c.text(c.fit(phys, area.w - 2 * kPad, 12), {x, y}, 12, kInk);
    y += 17;
    const net::Field* chosen = nullptr;
    int index = 0;
    for (std::size_t l = 0; l < d.layer_count; ++l) {
        const net::Layer& layer = d.layers[l];
        const Box title = c.text(layer_title(layer.name), {x, y}, 12, kInk);
        if (std::string_view(layer.name) == "app")
            c.text(c.fit("\"" + printable({e.bytes.data() + layer.offset, std::min<std::size_t>(layer.length, 60)}) + "\"",
                         area.right() - kPad - title.right() - 8, 11, Face::Mono),
                   {title.right() + 8, y}, 11, kMuted, Face::Mono);
        y += 16;
        std::vector<std::pair<int, std::size_t>> places;
        const std::size_t lines = field_places(c, layer, col, places);
        for (std::size_t k = 0; k < layer.field_count; ++k, ++index) {
            const net::Field& field = layer.fields[k];
            const auto [slot, line] = places[k];
            const Box rect{x + col * static_cast<float>(std::max(slot, 0)) - 2, y + kRow * static_cast<float>(line) - 1, slot < 0 ? 2 * col - 4 : col - 4, kRow};
            if (index == sel.field) {
                c.rect(rect, kSelect);
                chosen = &field;
            }
            c.text(c.fit(field.name, kValueAt - 6, 11), {rect.x + 6, rect.y + 1}, 11, kMuted);
            c.text(c.fit(net::format_field(field), rect.w - kValueAt, 11, Face::Mono), {rect.x + kValueAt, rect.y + 1}, 11, kInk, Face::Mono);
            hits.push_back({PanelHit::Part::Field, rect, -1, index});
        }
        y += kRow * static_cast<float>(lines) + 3;
    }
    if (d.error) c.text(c.fit("malformed: " + d.error->message(), area.w - 2 * kPad, 11), {x, y}, 11, kAlert), y += 16;

    // Hex dump: 16 bytes a line, the chosen field's bytes highlighted.
    y += 4;
    const float cw = c.width("0", 11, Face::Mono);
    const std::size_t total = (e.bytes.size() + 15) / 16;
    const std::size_t fit = static_cast<std::size_t>(std::max(1.f, (area.bottom() - y - 20) / kHexLine));
    std::size_t first = 0;
    if (total > fit) {  // scrolled; by default to the chosen field
        const long wanted = chosen && chosen->length ? static_cast<long>(chosen->offset / 16) - 1 + sel.hex_scroll : sel.hex_scroll;
        first = static_cast<std::size_t>(std::clamp<long>(wanted, 0, static_cast<long>(total - fit)));
    }
    const std::size_t last = std::min(total, first + fit);
    std::string head = chosen ? fmt::format("hex dump: {} is {} byte(s) at offset {}", chosen->name, chosen->length, chosen->offset)
                              : std::string("hex dump (click a field to find its bytes)");
    if (total > fit) head += fmt::format("; lines {}-{} of {}, wheel to scroll", first + 1, last, total);
    c.text(c.fit(head, area.w - 2 * kPad, 11), {x, y}, 11, kMuted);
    y += 16;
    hits.push_back({PanelHit::Part::Hex, {area.x, y, area.w, kHexLine * static_cast<float>(last - first)}});
    for (std::size_t r = first; r < last; ++r) {
        std::string line = fmt::format("{:04x} ", r * 16);
        for (std::size_t k = 0; k < 16 && r * 16 + k < e.bytes.size(); ++k) {
            const std::size_t at = r * 16 + k;
            if (chosen && at >= chosen->offset && at < std::size_t{chosen->offset} + chosen->length)
                c.rect({x + cw * static_cast<float>(line.size() + 1) - 1, y, cw * 2 + 2, 13}, kSelect);
            line += fmt::format(" {:02x}", e.bytes[at]);
        }
        c.text(line, {x, y}, 11, kInk, Face::Mono);
        y += kHexLine;
    }
}

}  // namespace

std::vector<int> search_rows(const Timeline& tl, std::optional<Proto> filter, const std::string& search) {
    const std::string q = lower(search);
    std::vector<int> out;
    for (int i : tl.events_about(filter))
        if (lower(tl.describe(i)).find(q) != std::string::npos) out.push_back(i);
    return out;
}

std::vector<std::string> frame_fields(const Timeline& tl, int event) {
    std::vector<std::string> names;
    if (event < 0 || static_cast<std::size_t>(event) >= tl.events().size()) return names;
    const net::Dissection d = net::dissect(tl.events()[static_cast<std::size_t>(event)].bytes);
    for (std::size_t l = 0; l < d.layer_count; ++l)
        for (std::size_t k = 0; k < d.layers[l].field_count; ++k)
            names.push_back(std::string(d.layers[l].name) + "." + d.layers[l].fields[k].name);
    return names;
}

std::vector<PanelHit> draw_panel(Canvas& c, Box area, const Timeline& tl, std::int64_t t, const Selection& sel) {
    std::vector<PanelHit> hits;
    c.rect(area, kPanel);
    const bool chosen = sel.event >= 0 && static_cast<std::size_t>(sel.event) < tl.events().size();
    // The inspector needs its layers and the whole hex dump: the list gives up rows for them.
    int list_rows = kMaxListRows;
    if (chosen) {
        const sim::RecordedEvent& e = tl.events()[static_cast<std::size_t>(sel.event)];
        const net::Dissection d = sim::dissect_event(e.bytes, e.eth_dst_unresolved);
        const float change = e.ev == sim::Ev::Rewrite ? 17 + kRow * static_cast<float>(e.changes.size())
                           : (e.ev == sim::Ev::Learn || e.ev == sim::Ev::Expire || e.ev == sim::Ev::State) ? 17 + kRow
                                                                                                              : 34;
        const float need = 19 + change + (e.bytes.empty() ? 0 : layers_height(c, d, d.error.has_value(), (area.w - 2 * kPad) / 2) + 24 + kHexLine * static_cast<float>((e.bytes.size() + 15) / 16));
        const float spare = area.h - (kPad + 20 + 20 + need + 8);
        list_rows = std::clamp(static_cast<int>(spare / kRow), kMinListRows, kMaxListRows);
    }
    float y = draw_list(c, area, list_rows, tl, t, sel, hits);
    c.line({area.x, y - 4}, {area.right(), y - 4}, kLink);
    const float x = area.x + kPad;
    if (!chosen) {
        c.text("Click a frame or an event to inspect it.", {x, y + 4}, 12, kMuted);
        c.text("[ and ]: previous / next event in the list", {x, y + 22}, 12, kMuted);
        return hits;
    }
    const sim::RecordedEvent& e = tl.events()[static_cast<std::size_t>(sel.event)];
    const sim::Scenario& sc = tl.scenario();
    std::string where = e.node >= 0 ? sc.nodes[static_cast<std::size_t>(e.node)].id : "-";
    if (e.node >= 0 && e.port >= 0) where += ":" + sc.port_name(e.node, e.port);
    c.text(c.fit(fmt::format("#{}  {}  {}  {}{}", sel.event, sim::SimTime::ns(e.t).to_string(), where, sim::to_string(e.ev),
                             e.pkt ? fmt::format("  pkt {}", e.pkt) : std::string()),
                 area.w - 2 * kPad, 13),
           {x, y}, 13, kInk);
    y = draw_change(c, x, y + 19, area.w - 2 * kPad, e);
    if (!e.bytes.empty()) draw_frame(c, area, y + 2, tl, e, sel, hits);
    return hits;
}

}  // namespace hopsim::viz
