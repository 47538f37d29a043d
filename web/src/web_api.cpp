// The module the page's worker loads: one Session holds the scenarios, runs
// them (trace, pcaps and summary written into the in-memory file system,
// exactly as `hopsim run` writes them to disk), and draws any instant of the
// recorded runs as a Canvas for the page to paint. Everything crosses as
// JSON text.

#include <emscripten.h>
#include <emscripten/bind.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "hopsim/sim/expect_check.hpp"
#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/quiz.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/summary.hpp"
#include "hopsim/sim/trace_jsonl.hpp"
#include "hopsim/sim/trace_pcap.hpp"
#include "hopsim/sim/trace_recorder.hpp"
#include "hopsim/viz/player.hpp"
#include "items_json.hpp"

namespace hopsim::web {

namespace {

using Json = nlohmann::json;

// A run's progress, to the page, while the module is busy: the worker's
// postMessage is the one way out of a running computation.
EM_JS(void, post_progress, (int pane, double now_ns, double until_ns), {
    if (typeof postMessage === "function") postMessage({kind: "progress", pane: pane, now: now_ns, until: until_ns});
});

std::string out_dir(int pane) { return "/out/" + std::to_string(pane); }

std::optional<viz::Proto> proto_named(const std::string& s) {
    for (viz::Proto p : viz::kFrameProtos)
        if (s == viz::to_string(p)) return p;
    return std::nullopt;
}

}  // namespace

class Session {
public:
    // The scenarios' texts (the second may be empty). {"ok": bool, "problems": [{"file", "problems": [...]}]}
    std::string load(const std::string& name1, const std::string& text1, const std::string& name2, const std::string& text2) {
        scenarios_.clear();
        player_.reset();
        summaries_.clear();
        Json problems = Json::array();
        for (const auto& [name, text] : {std::pair{name1, text1}, std::pair{name2, text2}}) {
            if (text.empty()) continue;
            auto sc = sim::load_scenario(text);
            if (!sc) {
                problems.push_back({{"file", name}, {"problems", sc.error()}});
                continue;
            }
            scenarios_.push_back(std::move(*sc));
        }
        return Json{{"ok", problems.empty() && !scenarios_.empty()}, {"problems", problems}}.dump();
    }

    // Runs every loaded scenario. {"summaries": [text...], "events": [n...], "run_ms", "end_ns", "speed_ns", "links": [[name, pcap file]...]}
    std::string run() {
        std::vector<std::unique_ptr<viz::Pane>> panes;
        Json events = Json::array(), links = Json::array();
        summaries_.clear();
        double ms = 0;
        for (std::size_t i = 0; i < scenarios_.size(); ++i) {
            const sim::Scenario& sc = scenarios_[i];
            const std::string dir = out_dir(static_cast<int>(i));
            std::filesystem::remove_all(dir);
            std::filesystem::create_directories(dir);
            sim::Simulation simulation(sc);
            std::FILE* trace = std::fopen((dir + "/trace.jsonl").c_str(), "w");
            sim::JsonlSink jsonl(trace, sc);
            simulation.tracer().add(&jsonl);
            auto pcap = sim::PcapSink::open(dir + "/pcap", sc);
            if (pcap) simulation.tracer().add(pcap->get());
            sim::RecorderSink recorder;
            simulation.tracer().add(&recorder);
            const auto start = std::chrono::steady_clock::now();
            simulation.run(sc.until, [&](sim::SimTime now) {
                post_progress(static_cast<int>(i), static_cast<double>(now.count()), static_cast<double>(sc.until.count()));
            });
            ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            std::fclose(trace);
            summaries_.push_back(sim::summary_json(simulation));
            Json files = Json::array();
            for (std::size_t l = 0; l < sc.links.size(); ++l)
                files.push_back({sc.link_name(static_cast<int>(l)), dir + "/pcap/" + sim::PcapSink::file_name(sc, static_cast<int>(l))});
            links.push_back(std::move(files));
            events.push_back(recorder.events.size());
            panes.push_back(std::make_unique<viz::Pane>(sc, std::move(recorder.events)));
        }
        player_ = std::make_unique<viz::Player>(std::move(panes), metrics_);
        canvas_ = std::make_unique<viz::Canvas>(metrics_);
        return Json{{"summaries", summaries_}, {"events", events}, {"run_ms", ms}, {"end_ns", player_->end_time()},
                    {"speed_ns", player_->natural_speed()}, {"links", links}, {"trace_files", trace_files()}}
            .dump();
    }

    // For bench/web_bench: one scenario run with no output but its summary,
    // as `hopsim run -q --summary` runs it. {"ms", "summary"} or {"problems"}
    std::string bench(const std::string& text) const {
        auto sc = sim::load_scenario(text);
        if (!sc) return Json{{"problems", sc.error()}}.dump();
        const auto start = std::chrono::steady_clock::now();
        sim::Simulation simulation(*sc);
        simulation.run(sc->until);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        return Json{{"ms", ms}, {"summary", sim::summary_json(simulation)}}.dump();
    }

    // The picture at view.t: {"items": [...], "hits": [[part, x, y, w, h, event, field]...]}
    std::string frame(double w, double h, const std::string& view_json) {
        if (!player_) return "{}";
        const viz::View view = view_from(view_json);
        const auto hits = player_->draw(*canvas_, {static_cast<float>(w), static_cast<float>(h)}, view);
        std::string out = "{\"items\":";
        append_items_json(*canvas_, out);
        out += ",\"hits\":";
        Json j = Json::array();
        for (const viz::PanelHit& hit : hits)
            j.push_back({static_cast<int>(hit.part), hit.rect.x, hit.rect.y, hit.rect.w, hit.rect.h, hit.event, hit.field});
        out += j.dump() + "}";
        return out;
    }

    // What lies under a point: {"pane", "node", "event"} (the event of a clicked frame's transmission).
    std::string at(double x, double y, double w, double h, const std::string& view_json) {
        if (!player_) return "{}";
        const viz::View view = view_from(view_json);
        const viz::Vec size{static_cast<float>(w), static_cast<float>(h)}, p{static_cast<float>(x), static_cast<float>(y)};
        const int pane = player_->pane_at(p, size, view);
        int node = -1, event = -1;
        if (pane >= 0) {
            node = player_->node_at(pane, p, size, view);
            if (const viz::Flight* f = player_->flight_at(pane, p, size, view)) event = f->event;
        }
        return Json{{"pane", pane}, {"node", node}, {"event", event}}.dump();
    }

    double advance(double t, double step) const { return player_ ? static_cast<double>(player_->advance(static_cast<std::int64_t>(t), static_cast<std::int64_t>(step))) : 0; }
    double next_event(double t) const { return player_ ? static_cast<double>(player_->next_event(static_cast<std::int64_t>(t))) : 0; }
    double prev_event(double t) const { return player_ ? static_cast<double>(player_->prev_event(static_cast<std::int64_t>(t))) : 0; }
    double event_time(int pane, int event) const {
        const auto& ev = timeline(pane).events();
        return event >= 0 && static_cast<std::size_t>(event) < ev.size() ? static_cast<double>(ev[static_cast<std::size_t>(event)].t) : -1;
    }
    // The event list's neighbour of `event` (or of t when -1) in a filter and search.
    int step_list(int pane, int event, double t, int dir, const std::string& filter, const std::string& search) const {
        const auto rows = viz::search_rows(timeline(pane), proto_named(filter), search);
        if (rows.empty()) return event;
        auto it = std::lower_bound(rows.begin(), rows.end(), event);
        if (event < 0) it = std::upper_bound(rows.begin(), rows.end(), timeline(pane).last_event_at(static_cast<std::int64_t>(t)));
        if (dir < 0 && it != rows.begin()) --it;
        else if (dir > 0 && it != rows.end() && *it == event) ++it;
        return it == rows.end() ? event : *it;
    }
    int field_count(int pane, int event) const { return static_cast<int>(viz::frame_fields(timeline(pane), event).size()); }
    bool has_packet(int pane, int event) const {
        const auto& ev = timeline(pane).events();
        return event >= 0 && static_cast<std::size_t>(event) < ev.size() && ev[static_cast<std::size_t>(event)].pkt;
    }
    std::string tables(int pane) const {
        Json names = Json::array();
        for (const auto& t : player_->scene(pane).tables()) names.push_back(t.name);
        return names.dump();
    }
    // `hopsim check`'s verdicts for the pane's scenario: [{"id", "expected", "evidence", "pass"}]
    std::string expectations(int pane) const {
        Json out = Json::array();
        for (const auto& r : sim::check_expectations(scenarios_.at(static_cast<std::size_t>(pane))))
            out.push_back({{"id", r.id}, {"expected", r.expected}, {"evidence", r.evidence}, {"pass", r.pass}});
        return out.dump();
    }
    // Predict-then-reveal questions about the first scenario's run: [{"t", "prompt", "choices", "answer", "why"}]
    std::string quiz() const {
        const viz::Timeline& tl = timeline(0);
        const auto kinds = sim::parse_quiz_kinds("", tl.scenario().quiz);
        Json out = Json::array();
        if (!kinds) return out.dump();
        for (const auto& q : sim::make_quiz(tl.scenario(), tl.events(), *kinds, static_cast<std::size_t>(tl.scenario().quiz.max), tl.scenario().quiz.after))
            out.push_back({{"t", q.t}, {"prompt", q.prompt}, {"choices", q.choices}, {"answer", q.answer}, {"why", q.why}});
        return out.dump();
    }

private:
    const viz::Timeline& timeline(int pane) const { return player_->panes().at(static_cast<std::size_t>(pane))->timeline(); }

    Json trace_files() const {
        Json f = Json::array();
        for (std::size_t i = 0; i < scenarios_.size(); ++i) f.push_back(out_dir(static_cast<int>(i)) + "/trace.jsonl");
        return f;
    }

    viz::View view_from(const std::string& text) {
        const Json j = Json::parse(text, nullptr, false);
        viz::View v;
        if (!j.is_object()) return v;
        v.look.t = j.value("t", std::int64_t{0});
        v.look.recent = j.value("recent", std::int64_t{0});
        v.look.addresses = j.value("addresses", false);
        v.look.ports = j.value("ports", false);
        v.look.hover = j.value("hover", -1);
        v.look.tables = j.value("tables", std::vector<std::string>{});
        v.status = j.value("status", std::string());
        v.panel = j.value("panel", false);
        v.focus = std::clamp(j.value("focus", 0), 0, static_cast<int>(player_->panes().size()) - 1);
        v.diff = j.value("diff", false);
        const Json sel = j.value("sel", Json::object());
        v.sel.event = sel.value("event", -1);
        v.sel.field = sel.value("field", -1);
        v.sel.filter = proto_named(sel.value("filter", std::string()));
        v.sel.search = sel.value("search", std::string());
        v.sel.list_scroll = sel.value("list_scroll", 0);
        v.sel.hex_scroll = sel.value("hex_scroll", 0);
        const auto key = std::tuple{v.focus, sel.value("filter", std::string()), v.sel.search};
        if (!v.sel.search.empty() && key != found_for_) {  // searched again only when the search changes
            found_ = viz::search_rows(timeline(v.focus), v.sel.filter, v.sel.search);
            found_for_ = key;
        }
        if (!v.sel.search.empty()) v.sel.found = found_;
        return v;
    }

    viz::ApproxMetrics metrics_;  // the page draws in DejaVu, the font these widths are of
    std::vector<sim::Scenario> scenarios_;
    std::vector<std::string> summaries_;
    std::unique_ptr<viz::Player> player_;
    std::unique_ptr<viz::Canvas> canvas_;
    std::vector<int> found_;
    std::tuple<int, std::string, std::string> found_for_{-1, "", ""};
};

}  // namespace hopsim::web

EMSCRIPTEN_BINDINGS(hopsim) {
    using hopsim::web::Session;
    emscripten::class_<Session>("Session")
        .constructor<>()
        .function("load", &Session::load)
        .function("run", &Session::run)
        .function("frame", &Session::frame)
        .function("at", &Session::at)
        .function("advance", &Session::advance)
        .function("nextEvent", &Session::next_event)
        .function("prevEvent", &Session::prev_event)
        .function("eventTime", &Session::event_time)
        .function("stepList", &Session::step_list)
        .function("fieldCount", &Session::field_count)
        .function("hasPacket", &Session::has_packet)
        .function("tables", &Session::tables)
        .function("expectations", &Session::expectations)
        .function("quiz", &Session::quiz)
        .function("bench", &Session::bench);
}
