#pragma once
// Runs a scenario in-process and hands the test the trace (one JSON object
// per event, as the JSONL file would hold) and the summary JSON.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/summary.hpp"
#include "hopsim/sim/trace_jsonl.hpp"

namespace hopsim::test {

using Json = nlohmann::json;

class RecordingSink final : public sim::TraceSink {
public:
    explicit RecordingSink(const sim::Scenario& sc) : sc_(sc) {}
    void on_event(const sim::TraceEvent& e) override {
        sim::JsonlSink::format(e, sc_, line_);
        events.push_back(Json::parse(line_));
    }
    std::vector<Json> events;

private:
    const sim::Scenario& sc_;
    std::string line_;
};

struct ScenarioRun {
    sim::Scenario scenario;
    std::vector<Json> events;
    Json summary;
};

// A flow's entry in the summary, by id.
inline const Json& flow(const ScenarioRun& r, const std::string& id) {
    for (const Json& f : r.summary["flows"])
        if (f["id"] == id) return f;
    throw std::runtime_error("no flow " + id);
}

inline std::string scenario_path(const std::string& name) {
    return std::string(HOPSIM_SOURCE_DIR) + "/scenarios/" + name + ".json";
}

// A bundled scenario, loaded (a failure throws with the loader's first problem).
inline sim::Scenario load_bundled(const std::string& name) {
    auto sc = sim::load_scenario_file(scenario_path(name));
    if (!sc) throw std::runtime_error("scenario " + name + " failed to load: " + sc.error().front());
    return std::move(*sc);
}

inline ScenarioRun run_loaded(sim::Scenario sc) {
    ScenarioRun r{std::move(sc), {}, {}};
    sim::Simulation simulation(r.scenario);
    RecordingSink sink(r.scenario);
    simulation.tracer().add(&sink);
    simulation.run(r.scenario.until);
    r.events = std::move(sink.events);
    r.summary = Json::parse(sim::summary_json(simulation));
    return r;
}

inline ScenarioRun run_scenario(const std::string& name) { return run_loaded(load_bundled(name)); }

// A scenario written in the test (a failure throws with the loader's first problem).
inline ScenarioRun run_text(const std::string& json) {
    auto sc = sim::load_scenario(json);
    if (!sc) throw std::runtime_error("scenario failed to load: " + sc.error().front());
    return run_loaded(std::move(*sc));
}

// The events of one kind (and node, if given), in trace order.
inline std::vector<Json> events_where(const ScenarioRun& r, const std::string& ev, const std::string& node = "") {
    std::vector<Json> out;
    for (const Json& e : r.events)
        if (e["ev"] == ev && (node.empty() || e.value("node", "") == node)) out.push_back(e);
    return out;
}

// The value of layer.field in an event's dissected layers, or null.
inline Json layer_field(const Json& ev, const std::string& layer, const std::string& field) {
    if (!ev.contains("layers")) return nullptr;
    for (const Json& l : ev["layers"])
        if (l["layer"] == layer && l.contains(field)) return l[field];
    return nullptr;
}

}  // namespace hopsim::test
