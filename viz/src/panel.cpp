#include "hopsim/viz/panel.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/sim/p2p_link.hpp"
#include "hopsim/sim/tcp_connection.hpp"
#include "hopsim/sim/units.hpp"
#include "ink.hpp"

namespace hopsim::viz {

namespace {

constexpr float kRow = 15, kPad = 10;
constexpr int kListRows = 12;

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

// The event list: rows around t, the past in ink and what is about to happen muted.
float draw_list(sf::RenderTarget& target, const Fonts& f, sf::FloatRect area, const Timeline& tl, std::int64_t t,
                const Selection& sel, std::vector<PanelHit>& hits) {
    const auto& rows = tl.events_about(sel.filter);
    const auto& ev = tl.events();
    float y = area.top + kPad;
    put_text(target, f.sans, fmt::format("Events ({})   filter: {}   [f] change", rows.size(), sel.filter ? to_string(*sel.filter) : "all"),
             {area.left + kPad, y}, 13, kInk);
    y += 20;
    const auto after = std::upper_bound(rows.begin(), rows.end(), t, [&](std::int64_t v, int i) { return v < ev[static_cast<std::size_t>(i)].t; });
    const long now = (after - rows.begin()) - 1;  // the last event at or before t
    const long first = std::clamp<long>(now - kListRows + 4, 0, std::max<long>(0, static_cast<long>(rows.size()) - kListRows));
    const std::size_t chars = static_cast<std::size_t>((area.width - 2 * kPad - 118) / 6.3f);
    for (long r = first; r < first + kListRows && r < static_cast<long>(rows.size()); ++r) {
        const int i = rows[static_cast<std::size_t>(r)];
        const sf::FloatRect rect(area.left + kPad - 2, y - 1, area.width - 2 * kPad + 4, kRow);
        if (i == sel.event) fill_rect(target, rect, kSelect);
        else if (r == now) fill_rect(target, rect, kFresh);
        const sf::Color c = r <= now ? kInk : kMuted;
        put_text(target, f.mono, fmt::format("{:>6}", i), {area.left + kPad, y}, 11, kMuted);
        put_text(target, f.mono, sim::SimTime::ns(ev[static_cast<std::size_t>(i)].t).to_string(), {area.left + kPad + 50, y}, 11, c);
        put_text(target, f.sans, clip(tl.describe(i), chars), {area.left + kPad + 128, y}, 11, c);
        hits.push_back({rect, i, -1});
        y += kRow;
    }
    if (rows.empty()) put_text(target, f.sans, "(no events about this protocol)", {area.left + kPad, y}, 11, kMuted);
    return area.top + kPad + 20 + kListRows * kRow + 8;
}

// What the event changed, before -> after, for events that are changes.
float draw_change(sf::RenderTarget& target, const Fonts& f, float x, float y, float w, const sim::RecordedEvent& e) {
    auto row = [&](const std::string& name, const std::string& from, const std::string& to) {
        fill_rect(target, {x - 2, y - 1, w, kRow}, kChanged);
        put_text(target, f.mono, name, {x, y}, 11, kInk);
        put_text(target, f.mono, from + "  \xe2\x86\x92  " + to, {x + 110, y}, 11, kInk);
        y += kRow;
    };
    if (e.ev == sim::Ev::Rewrite) {
        put_text(target, f.sans, "Router rewrite, before \xe2\x86\x92 after:", {x, y}, 12, kInk), y += 17;
        for (const auto& c : e.changes) row(c.field, std::string(c.from()), std::string(c.to()));
    } else if (e.ev == sim::Ev::Learn) {
        put_text(target, f.sans, fmt::format("{} table entry, before \xe2\x86\x92 after:", sim::to_string(e.table)), {x, y}, 12, kInk), y += 17;
        row(e.key, e.old.empty() ? "(none)" : e.old, e.value);
    } else if (e.ev == sim::Ev::Expire) {
        put_text(target, f.sans, fmt::format("{} table entry expired:", sim::to_string(e.table)), {x, y}, 12, kInk), y += 17;
        row(e.key, e.value, "(none)");
    } else if (e.ev == sim::Ev::State) {
        put_text(target, f.sans, "TCP connection state:", {x, y}, 12, kInk), y += 17;
        row(e.conn, e.from_state, e.to_state);
    } else if (e.ev == sim::Ev::Retransmit) {
        put_text(target, f.sans, fmt::format("TCP {} sends seq {} again ({} bytes)", e.conn, e.seq, e.len), {x, y}, 12, kInk), y += 17;
        put_text(target, f.sans, std::string("because ") + sim::retransmit_cause_text(e.cause), {x, y}, 11, kInk), y += 16;
        if (e.rto_ns > 0)
            put_text(target, f.sans, "retransmission timer now " + sim::SimTime::ns(e.rto_ns).to_string() + ", backed off", {x, y}, 11, kInk), y += 16;
    } else if (e.ev == sim::Ev::Cwnd) {
        put_text(target, f.sans, fmt::format("TCP {} congestion window:", e.conn), {x, y}, 12, kInk), y += 17;
        put_text(target, f.mono, fmt::format("cwnd {} bytes, ssthresh {}", e.cwnd, sim::ssthresh_text(e.ssthresh)), {x, y}, 11, kInk), y += 16;
    }
    if (!e.reason.empty()) put_text(target, f.sans, "why: " + e.reason, {x, y}, 12, kAlert), y += 16;
    if (!e.detail.empty()) put_text(target, f.sans, e.detail, {x, y}, 11, kInk), y += 16;
    return y;
}

// The frame as five layers, two fields to a line, then the hex dump.
void draw_frame(sf::RenderTarget& target, const Fonts& f, sf::FloatRect area, float y, const Timeline& tl,
                const sim::RecordedEvent& e, int selected_field, std::vector<PanelHit>& hits) {
    const sim::Scenario& sc = tl.scenario();
    const float x = area.left + kPad, col = (area.width - 2 * kPad) / 2;
    const net::Dissection d = sim::dissect_event(e.bytes, e.eth_dst_unresolved);
    // 1 Physical: size and time on the wire.
    const int link = e.link >= 0 ? e.link : (e.node >= 0 && e.port >= 0 ? sc.link_at(e.node, e.port) : -1);
    std::string phys = fmt::format("1 Physical: {} bytes", e.bytes.size());
    if (link >= 0) {
        const std::int64_t bps = sc.links[static_cast<std::size_t>(link)].bandwidth_bps;
        phys += fmt::format(", {} on a {} wire", sim::wire_time(e.bytes.size(), bps).to_string(), sim::format_rate(bps));
    }
    put_text(target, f.sans, phys, {x, y}, 12, kInk);
    y += 17;
    const net::Field* chosen = nullptr;
    int index = 0;
    for (std::size_t l = 0; l < d.layer_count; ++l) {
        const net::Layer& layer = d.layers[l];
        put_text(target, f.sans, layer_title(layer.name), {x, y}, 12, kInk);
        if (std::string_view(layer.name) == "app")
            put_text(target, f.mono,
                     "\"" + clip(printable({e.bytes.data() + layer.offset, std::min<std::size_t>(layer.length, 40)}), 36) + "\"",
                     {x + 130, y}, 11, kMuted);
        y += 16;
        for (std::size_t k = 0; k < layer.field_count; ++k, ++index) {
            const net::Field& field = layer.fields[k];
            const sf::FloatRect rect(x + col * static_cast<float>(k % 2) - 2, y - 1, col - 4, kRow);
            if (index == selected_field) {
                fill_rect(target, rect, kSelect);
                chosen = &field;
            }
            put_text(target, f.sans, field.name, {rect.left + 8, y}, 11, kMuted);
            put_text(target, f.mono, clip(net::format_field(field), 17), {rect.left + 88, y}, 11, kInk);
            hits.push_back({rect, -1, index});
            if (k % 2 == 1 || k + 1 == layer.field_count) y += kRow;
        }
        y += 3;
    }
    if (d.error) put_text(target, f.sans, "malformed: " + d.error->message(), {x, y}, 11, kAlert), y += 16;

    // Hex dump: 16 bytes a row, starting a row above the chosen field, its bytes highlighted.
    y += 4;
    const float cw = f.mono.getGlyph('0', 11, false).advance;
    const std::size_t rows_fit = static_cast<std::size_t>(std::max(0.f, (area.top + area.height - y - 18) / 14));
    const std::size_t total_rows = (e.bytes.size() + 15) / 16;
    std::size_t first = chosen && chosen->length ? chosen->offset / 16 : 0;
    first = first ? first - 1 : 0;
    first = std::min(first, total_rows > rows_fit ? total_rows - rows_fit : 0);
    put_text(target, f.sans,
             chosen ? fmt::format("hex dump: {} is {} byte(s) at offset {}", chosen->name, chosen->length, chosen->offset)
                    : std::string("hex dump (click a field to find its bytes)"),
             {x, y}, 11, kMuted);
    y += 16;
    for (std::size_t r = first; r < total_rows && r < first + rows_fit; ++r) {
        std::string line = fmt::format("{:04x} ", r * 16);
        for (std::size_t c = 0; c < 16 && r * 16 + c < e.bytes.size(); ++c) {
            const std::size_t at = r * 16 + c;
            if (chosen && at >= chosen->offset && at < std::size_t{chosen->offset} + chosen->length)
                fill_rect(target, {x + cw * static_cast<float>(line.size() + 1) - 1, y, cw * 2 + 2, 13}, kSelect);
            line += fmt::format(" {:02x}", e.bytes[at]);
        }
        put_text(target, f.mono, line, {x, y}, 11, kInk);
        y += 14;
    }
}

}  // namespace

std::vector<std::string> frame_fields(const Timeline& tl, int event) {
    std::vector<std::string> names;
    if (event < 0 || static_cast<std::size_t>(event) >= tl.events().size()) return names;
    const net::Dissection d = net::dissect(tl.events()[static_cast<std::size_t>(event)].bytes);
    for (std::size_t l = 0; l < d.layer_count; ++l)
        for (std::size_t k = 0; k < d.layers[l].field_count; ++k)
            names.push_back(std::string(d.layers[l].name) + "." + d.layers[l].fields[k].name);
    return names;
}

std::vector<PanelHit> draw_panel(sf::RenderTarget& target, const Fonts& f, sf::FloatRect area, const Timeline& tl,
                                 std::int64_t t, const Selection& sel) {
    std::vector<PanelHit> hits;
    fill_rect(target, area, kPanel);
    float y = draw_list(target, f, area, tl, t, sel, hits);
    const sf::Vertex rule[] = {sf::Vertex({area.left, y - 4}, kLink), sf::Vertex({area.left + area.width, y - 4}, kLink)};
    target.draw(rule, 2, sf::Lines);
    const float x = area.left + kPad;
    if (sel.event < 0 || static_cast<std::size_t>(sel.event) >= tl.events().size()) {
        put_text(target, f.sans, "Click a frame or an event to inspect it.", {x, y + 4}, 12, kMuted);
        put_text(target, f.sans, "[ and ]: previous / next event in the list", {x, y + 22}, 12, kMuted);
        return hits;
    }
    const sim::RecordedEvent& e = tl.events()[static_cast<std::size_t>(sel.event)];
    const sim::Scenario& sc = tl.scenario();
    std::string where = e.node >= 0 ? sc.nodes[static_cast<std::size_t>(e.node)].id : "-";
    if (e.node >= 0 && e.port >= 0) where += ":" + sc.port_name(e.node, e.port);
    put_text(target, f.sans, fmt::format("#{}  {}  {}  {}{}", sel.event, sim::SimTime::ns(e.t).to_string(), where, sim::to_string(e.ev),
                                         e.pkt ? fmt::format("  pkt {}", e.pkt) : std::string()),
             {x, y}, 13, kInk);
    y = draw_change(target, f, x, y + 19, area.width - 2 * kPad, e);
    if (!e.bytes.empty()) draw_frame(target, f, area, y + 2, tl, e, sel.field, hits);
    return hits;
}

}  // namespace hopsim::viz
