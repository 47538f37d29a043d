// hopsim validate SCENARIO...: check only; every problem on its own line,
// each file's problems together, so an instructor can check a folder of
// students' scenarios in one command.

#include <fmt/core.h>

#include "commands.hpp"
#include "hopsim/sim/loader.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {
struct Options {
    std::vector<std::string> files;
};

std::string count(std::size_t n, const char* thing) { return fmt::format("{} {}{}", n, thing, n == 1 ? "" : "s"); }

int run(const Options& o) {
    std::size_t bad = 0;
    std::size_t skipped = 0;
    for (const std::string& file : o.files) {
        if (o.files.size() > 1 && is_json_schema(file)) {
            fmt::print(stderr, "{}: skipped: the JSON Schema, not a scenario\n", file);
            ++skipped;
            continue;
        }
        auto sc = load_or_report(file);
        if (!sc) {
            ++bad;
            continue;
        }
        // Events are named only where a scenario has them, so older lines read as before.
        fmt::print("{}: valid: {}, {}, {}{}\n", file, count(sc->nodes.size(), "node"), count(sc->links.size(), "link"),
                   count(sc->traffic.size(), "traffic item"),
                   sc->events.empty() ? std::string() : ", " + count(sc->events.size(), "event"));
    }
    if (o.files.size() > 1)
        fmt::print("{} of {} scenarios valid\n", o.files.size() - skipped - bad, o.files.size() - skipped);
    return bad ? kExitBadInput : kExitOk;
}
}  // namespace

Command add_validate(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("validate", "Check scenario files without running them");
    cmd->add_option("SCENARIO", o->files, "Scenario JSON files")->required();
    cmd->footer("Exit status 2 if any scenario is invalid; each problem on its own line, prefixed by its file.\n"
                "Example: hopsim validate scenarios/*.json");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
