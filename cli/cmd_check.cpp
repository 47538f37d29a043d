// hopsim check SCENARIO...: run each scenario and hold it to its "expect"
// list, one line per expectation with what the run showed. For students
// checking themselves, and (--junit, --json) for CI and learning platforms.

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "hopsim/sim/expect_check.hpp"
#include "output_file.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::vector<std::string> files;
    bool json = false;
    std::string junit;
};

struct Checked {
    std::string file;
    std::vector<std::string> problems;  // the scenario did not load
    std::vector<sim::ExpectResult> results;
    std::size_t failed() const {
        std::size_t n = 0;
        for (const auto& r : results) n += !r.pass;
        return n;
    }
};

std::string xml(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') ? ' ' : c;
        }
    }
    return out;
}

// JUnit XML: a test suite per scenario, a test case per expectation (a
// scenario that does not load is one failing case, "load").
std::string junit(const std::vector<Checked>& all) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hopsim check\">\n";
    for (const Checked& c : all) {
        const std::size_t tests = c.problems.empty() ? c.results.size() : 1, failures = c.problems.empty() ? c.failed() : 1;
        out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", xml(c.file), tests, failures);
        if (!c.problems.empty()) {
            std::string text;
            for (const std::string& p : c.problems) text += p + "\n";
            out += fmt::format("    <testcase classname=\"{}\" name=\"load\"><failure message=\"the scenario does not load\">{}</failure></testcase>\n",
                               xml(c.file), xml(text));
        }
        for (const auto& r : c.results) {
            out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">", xml(c.file), xml(r.id));
            if (!r.pass) out += fmt::format("<failure message=\"{}\">saw: {}</failure>", xml(r.expected), xml(r.evidence));
            out += "</testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    return out + "</testsuites>\n";
}

std::string json(const std::vector<Checked>& all) {
    using Json = nlohmann::ordered_json;
    Json j = Json::array();
    for (const Checked& c : all) {
        Json f{{"file", c.file}, {"loaded", c.problems.empty()}, {"passed", c.problems.empty() && c.failed() == 0}};
        if (!c.problems.empty()) f["problems"] = c.problems;
        f["results"] = Json::array();
        for (const auto& r : c.results)
            f["results"].push_back({{"id", r.id}, {"pass", r.pass}, {"expected", r.expected}, {"evidence", r.evidence}, {"points", r.points}});
        j.push_back(std::move(f));
    }
    return j.dump(2) + "\n";
}

std::string text(const Checked& c) {
    std::string out = c.file + "\n";
    if (c.results.empty()) return out + "  no expectations: add an \"expect\" list to say what must happen\n";
    for (const auto& r : c.results)
        out += fmt::format("  {}  {}: {}\n        saw: {}\n", r.pass ? "pass" : "FAIL", r.id, r.expected, r.evidence);
    return out + fmt::format("  {} of {} expectations hold\n", c.results.size() - c.failed(), c.results.size());
}

int run(const Options& o) {
    std::vector<Checked> all;
    bool bad = false, failed = false;
    for (const std::string& file : o.files) {
        if (o.files.size() > 1 && is_json_schema(file)) {
            fmt::print(stderr, "{}: skipped: the JSON Schema, not a scenario\n", file);
            continue;
        }
        Checked c{file, {}, {}};
        auto sc = sim::load_scenario_file(file);
        if (!sc) {
            bad = true;
            c.problems = sc.error();
            for (const std::string& p : c.problems) fmt::print(stderr, "{}: {}\n", file, p);
        } else {
            c.results = sim::check_expectations(*sc);
            failed |= c.failed() > 0;
            if (!o.json) fmt::print("{}", text(c));
        }
        all.push_back(std::move(c));
    }
    if (o.json) fmt::print("{}", json(all));
    else if (all.size() > 1) {
        std::size_t passed = 0;
        for (const Checked& c : all) passed += c.problems.empty() && c.failed() == 0;
        fmt::print("\n{} of {} scenarios hold all their expectations\n", passed, all.size());
    }
    if (!o.junit.empty())
        if (const std::string e = write_file(o.junit, junit(all)); !e.empty()) return fmt::print(stderr, "hopsim check: {}\n", e), kExitFailed;
    return bad ? kExitBadInput : failed ? kExitFailed : kExitOk;
}

}  // namespace

Command add_check(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("check", "Run scenarios and check what their \"expect\" lists say must happen");
    cmd->add_option("SCENARIO", o->files, "Scenario JSON files")->required();
    cmd->add_flag("--json", o->json, "Print every result as JSON instead of text");
    cmd->add_option("--junit", o->junit, "Also write the results as JUnit XML to FILE (one test case per expectation)");
    cmd->footer("Each expectation prints pass or FAIL, what it expects and what the run showed.\n"
                "Exit status: 0 all hold, 1 some failed, 2 a scenario (or an expectation in it) is invalid.\n"
                "Example: hopsim check scenarios/*.json --junit check.xml");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
