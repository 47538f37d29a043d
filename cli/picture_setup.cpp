#include "picture_setup.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>

#include "hopsim/sim/units.hpp"
#include "hopsim/viz/display.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

// --select and --field name an event of the first scenario and a field of its frame.
bool apply_selection(const PictureOptions& o, const viz::Timeline& tl, viz::View& v, const char* cmd) {
    if (o.select >= 0) {
        if (static_cast<std::size_t>(o.select) >= tl.events().size()) {
            fmt::print(stderr, "hopsim {}: --select {}: the run has events 0 to {}\n", cmd, o.select, tl.events().size() - 1);
            return false;
        }
        v.sel.event = o.select;
        v.look.t = tl.events()[static_cast<std::size_t>(o.select)].t;
    }
    if (!o.field.empty()) {
        const auto names = viz::frame_fields(tl, v.sel.event);
        const auto it = std::find(names.begin(), names.end(), o.field);
        if (it == names.end()) {
            std::string known;
            for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
            fmt::print(stderr, "hopsim {}: --field {}: {}\n", cmd, o.field,
                       names.empty() ? "--select an event that carries a frame first" : "its frame has " + known);
            return false;
        }
        v.sel.field = static_cast<int>(it - names.begin());
    }
    if (o.diff && (v.sel.event < 0 || !tl.events()[static_cast<std::size_t>(v.sel.event)].pkt)) {
        fmt::print(stderr, "hopsim {}: --diff shows the selected packet hop by hop: --select an event with a packet\n", cmd);
        return false;
    }
    return true;
}

// --tables names tables some pane shows.
bool choose_tables(const PictureOptions& o, const viz::Player& player, viz::View& v, const char* cmd) {
    v.look.tables = o.tables;
    std::vector<std::string> known;
    for (std::size_t p = 0; p < player.panes().size(); ++p)
        for (const viz::TableColumn& t : player.scene(static_cast<int>(p)).tables())
            if (std::find(known.begin(), known.end(), t.name) == known.end()) known.push_back(t.name);
    for (const std::string& name : v.look.tables) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        fmt::print(stderr, "hopsim {}: --tables {}: no such table; {}\n", cmd, name, known.empty() ? "this run fills none" : "the run has " + list);
        return false;
    }
    return true;
}

}  // namespace

std::optional<Picture> prepare_picture(const PictureOptions& o, const char* cmd) {
    Picture s;
    if (std::sscanf(o.size.c_str(), "%ux%u", &s.width, &s.height) != 2 || s.width < 320 || s.height < 240 ||
        s.width > 7680 || s.height > 4320) {
        fmt::print(stderr, "hopsim {}: --size \"{}\": expected WIDTHxHEIGHT from 320x240 to 7680x4320, e.g. 1280x720\n", cmd, o.size);
        return std::nullopt;
    }
    std::vector<std::unique_ptr<viz::Pane>> panes;
    for (const std::string& f : o.files) {
        auto sc = load_or_report(f);
        if (!sc) return std::nullopt;
        panes.push_back(std::make_unique<viz::Pane>(std::move(*sc)));
    }
    if (o.quiz) {
        const viz::Timeline& tl = panes[0]->timeline();
        const auto kinds = sim::parse_quiz_kinds(o.quiz_kinds, tl.scenario().quiz);
        if (!kinds) return fmt::print(stderr, "hopsim {}: --kinds: {}\n", cmd, kinds.error()), std::nullopt;
        s.quiz = sim::make_quiz(tl.scenario(), tl.events(), *kinds, static_cast<std::size_t>(tl.scenario().quiz.max), tl.scenario().quiz.after);
        if (s.quiz.empty()) fmt::print(stderr, "hopsim {}: --quiz: nothing of the kinds asked happens in this run: no questions\n", cmd);
    } else if (!o.quiz_kinds.empty()) {
        return fmt::print(stderr, "hopsim {}: --kinds goes with --quiz\n", cmd), std::nullopt;
    }
    s.view.panel = o.panel;
    s.view.look.addresses = o.addresses;
    s.view.look.ports = o.ports;
    s.view.diff = o.diff;
    if (!apply_selection(o, panes[0]->timeline(), s.view, cmd)) return std::nullopt;
    std::string why;
    if (!viz::display_available(cmd, why)) {
        fmt::print(stderr, "hopsim {}: {}\n", cmd, why);
        return std::nullopt;
    }
    s.fonts = std::make_unique<viz::Fonts>();
    if (!s.fonts->load(why)) {
        fmt::print(stderr, "hopsim {}: {}\n", cmd, why);
        return std::nullopt;
    }
    s.metrics = std::make_unique<viz::SfmlMetrics>(*s.fonts);
    s.player = std::make_unique<viz::Player>(std::move(panes), *s.metrics);
    if (!choose_tables(o, *s.player, s.view, cmd)) return std::nullopt;
    s.speed = s.player->natural_speed();
    if (!o.speed.empty()) {
        auto d = sim::parse_duration(o.speed);
        if (!d || d->count() <= 0) {
            fmt::print(stderr, "hopsim {}: --speed \"{}\": {}\n", cmd, o.speed, d ? "must be more than 0" : d.error());
            return std::nullopt;
        }
        s.speed = d->count();
    }
    s.view.look.recent = s.speed / 2;
    return s;
}


}  // namespace hopsim::cli
