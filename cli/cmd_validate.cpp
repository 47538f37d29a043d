// hopsim validate SCENARIO: check only; every problem on its own line.

#include <fmt/core.h>

#include "commands.hpp"
#include "hopsim/sim/loader.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {
struct Options {
    std::string file;
};

int run(const Options& o) {
    auto sc = load_or_report(o.file);
    if (!sc) return kExitBadInput;
    fmt::print("{}: valid: {} nodes, {} links, {} traffic items\n", o.file, sc->nodes.size(), sc->links.size(),
               sc->traffic.size());
    return kExitOk;
}
}  // namespace

Command add_validate(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("validate", "Check a scenario file without running it");
    cmd->add_option("scenario", o->file, "Scenario JSON file")->required();
    cmd->footer("Exit status 2 and one line per problem if the scenario is invalid.");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
