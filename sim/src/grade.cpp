#include "hopsim/sim/grade.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hopsim/sim/expect_check.hpp"
#include "hopsim/sim/loader.hpp"

namespace hopsim::sim {

namespace {

using Json = nlohmann::ordered_json;
using Path = std::vector<std::string>;  // object keys, and array indices as "[3]"

std::string text_of(const Path& p) {
    std::string s;
    for (const std::string& k : p) s += k.starts_with("[") || s.empty() ? k : "." + k;
    return s;
}

Path split(const std::string& pattern) {
    Path p;
    std::string part;
    for (char ch : pattern + ".") {
        if (ch == '.' || ch == '[') {
            if (!part.empty()) p.push_back(part);
            part = ch == '[' ? "[" : "";
        } else {
            part += ch;
            if (ch == ']') {
                p.push_back(part == "[*]" ? "*" : part);
                part.clear();
            }
        }
    }
    return p;
}

// A change at `p` is permitted if a pattern names it or a part above it.
bool permitted(const std::vector<Path>& patterns, const Path& p) {
    for (const Path& pat : patterns) {
        if (pat.size() > p.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < pat.size() && ok; ++i) ok = pat[i] == "*" || pat[i] == p[i];
        if (ok) return true;
    }
    return false;
}

// Every place the two documents differ: the smallest object key or array
// element that does (an array whose length changed is one change).
void differences(const Json& a, const Json& b, Path& at, std::vector<Path>& out) {
    if (a.is_object() && b.is_object()) {
        for (const auto& [k, v] : a.items()) {
            at.push_back(k);
            if (!b.contains(k)) out.push_back(at);
            else differences(v, b[k], at, out);
            at.pop_back();
        }
        for (const auto& [k, v] : b.items())
            if (!a.contains(k)) {
                at.push_back(k);
                out.push_back(at);
                at.pop_back();
            }
    } else if (a.is_array() && b.is_array() && a.size() == b.size()) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            at.push_back(fmt::format("[{}]", i));
            differences(a[i], b[i], at, out);
            at.pop_back();
        }
    } else if (a != b) {
        out.push_back(at);
    }
}

Json::json_pointer pointer(const Path& p) {
    Json::json_pointer ptr;
    for (const std::string& k : p) ptr /= k.starts_with("[") ? k.substr(1, k.size() - 2) : k;
    return ptr;
}

// `doc` with the change at `p` put back as `start` has it.
void put_back(Json& doc, const Json& start, const Path& p) {
    const auto ptr = pointer(p);
    if (start.contains(ptr)) {
        doc[ptr] = start[ptr];
        return;
    }
    Json& parent = doc[ptr.parent_pointer()];
    if (parent.is_object()) parent.erase(p.back());
}

// Not the submission's to change, nor graded: the grader brings its own
// traffic and expectations, and a name or description changes no behaviour.
bool ignored(const Path& p) {
    return p.size() >= 1 && (p[0] == "traffic" || p[0] == "expect" || p[0] == "name" || p[0] == "description" || p[0] == "$schema");
}

Result<Json, std::vector<std::string>> parse(const std::string& text) {
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) {  // the loader says where
        auto sc = load_scenario(text);
        return Unexpected<std::vector<std::string>>{sc ? std::vector<std::string>{"not JSON"} : sc.error()};
    }
    if (!j.is_object()) return Unexpected<std::vector<std::string>>{{"scenario: expected a JSON object"}};
    return j;
}

// The document as graded: the grader's traffic (or the start's, when the
// task brings none), expectations and run in it.
std::string as_graded(const Task& task, Json doc) {
    doc.erase("expect");
    doc.erase("traffic");
    if (!task.traffic.empty()) doc["traffic"] = Json::parse(task.traffic);
    else if (const Json start = Json::parse(task.start); start.contains("traffic")) doc["traffic"] = start["traffic"];
    doc["expect"] = Json::parse(task.expect);
    if (!task.run.empty()) doc["run"] = Json::parse(task.run);
    return doc.dump();
}

}  // namespace

std::vector<std::string> Grade::failed() const {
    std::vector<std::string> ids;
    for (const ExpectResult& r : results)
        if (!r.pass) ids.push_back(r.id);
    return ids;
}

Result<Task, std::vector<std::string>> load_task_file(const std::string& path) {
    using Problems = std::vector<std::string>;
    auto fail = [](std::string why) { return Unexpected<Problems>{Problems{std::move(why)}}; };
    auto text = read_scenario_text(path);
    if (!text) return Unexpected<Problems>{text.error()};
    const Json j = Json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail("task: not a JSON object");
    Task t;
    Problems problems;
    for (const auto& [k, v] : j.items())
        if (k != "name" && k != "description" && k != "scenario" && k != "may_change" && k != "traffic" && k != "expect" && k != "run")
            problems.push_back(fmt::format("{}: unknown property (a task has name, description, scenario, may_change, traffic, expect, run)", k));
    t.name = j.value("name", std::filesystem::path(path).stem().string());
    t.description = j.value("description", "");
    if (!j.contains("scenario")) {
        problems.push_back("scenario: missing (the starting scenario: a file next to the task, or the scenario itself)");
    } else if (j["scenario"].is_string()) {
        const auto file = std::filesystem::path(path).parent_path() / j["scenario"].get<std::string>();
        auto start = read_scenario_text(file.string());
        if (!start) problems.push_back(fmt::format("scenario: {}: {}", file.string(), start.error().front()));
        else t.start = *start;
    } else if (j["scenario"].is_object()) {
        t.start = j["scenario"].dump();
    } else {
        problems.push_back("scenario: expected a file name or a scenario object");
    }
    if (const auto it = j.find("may_change"); it != j.end()) {
        if (!it->is_array()) problems.push_back("may_change: expected a list of parts, e.g. [\"nodes.*.routes\"]");
        else
            for (std::size_t i = 0; i < it->size(); ++i) {
                if ((*it)[i].is_string() && !(*it)[i].get<std::string>().empty()) t.may_change.push_back((*it)[i].get<std::string>());
                else problems.push_back(fmt::format("may_change[{}]: expected a part such as \"nodes.R1.routes\"", i));
            }
    }
    if (!j.contains("expect") || !j["expect"].is_array() || j["expect"].empty())
        problems.push_back("expect: missing: the expectations the submissions are scored by, each with its points");
    else t.expect = j["expect"].dump();
    if (j.contains("traffic")) {
        if (!j["traffic"].is_array()) problems.push_back("traffic: expected a list (the grader's traffic)");
        else t.traffic = j["traffic"].dump();
    }
    if (j.contains("run")) t.run = j["run"].dump();
    if (!problems.empty()) return Unexpected<Problems>{problems};
    // The task must hold together: its start, with its traffic and expectations, loads.
    auto start = parse(t.start);
    if (!start) return Unexpected<Problems>{start.error()};
    if (auto sc = load_scenario(as_graded(t, *start)); !sc) {
        for (const std::string& p : sc.error()) problems.push_back("with the starting scenario: " + p);
        return Unexpected<Problems>{problems};
    }
    return t;
}

Grade grade_submission(const Task& task, const std::string& path) {
    Grade g;
    g.submission = path;
    auto expect = Json::parse(task.expect);
    for (const Json& e : expect) g.max += e.value("points", 1);
    auto text = read_scenario_text(path);
    if (!text) {
        g.problems = text.error();
        return g;
    }
    auto doc = parse(*text);
    if (!doc) {
        g.problems = doc.error();
        return g;
    }
    const Json start = Json::parse(task.start);
    std::vector<Path> patterns;
    for (const std::string& p : task.may_change) patterns.push_back(split(p));
    std::vector<Path> changes;
    Path at;
    differences(start, *doc, at, changes);
    for (const Path& p : changes) {
        if (ignored(p) || permitted(patterns, p)) continue;
        g.reverted.push_back(text_of(p));
        put_back(*doc, start, p);
    }
    auto sc = load_scenario(as_graded(task, *doc));
    if (!sc) {
        g.problems = sc.error();
        return g;
    }
    g.results = check_expectations(*sc);
    for (const ExpectResult& r : g.results)
        if (r.pass) g.score += r.points;
    return g;
}

std::string grade_feedback(const Task& task, const Grade& g) {
    std::string out = fmt::format("{}: {} of {} points\n", g.submission, g.score, g.max);
    if (!g.problems.empty()) {
        out += "  the scenario does not load, so nothing ran:\n";
        for (const std::string& p : g.problems) out += "    " + p + "\n";
        return out;
    }
    if (!g.reverted.empty()) {
        std::string allowed;
        for (const std::string& m : task.may_change) allowed += (allowed.empty() ? "" : ", ") + m;
        out += fmt::format("  changed outside what the task lets you change ({}), put back as it was:\n",
                           allowed.empty() ? "nothing" : allowed);
        for (const std::string& r : g.reverted) out += "    " + r + "\n";
    }
    for (const ExpectResult& r : g.results)
        if (!r.pass) out += fmt::format("  FAIL {} ({} point{}): {}\n       saw: {}\n", r.id, r.points, r.points == 1 ? "" : "s", r.expected, r.evidence);
    if (g.failed().empty()) out += "  every expectation holds\n";
    return out;
}

}  // namespace hopsim::sim
