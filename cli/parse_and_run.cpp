// Shared by hopsim and hopsim-viz: parse, map CLI11's exit codes, run.

#include <fmt/core.h>

#include "commands.hpp"

namespace hopsim::cli {

int parse_and_run(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11's own codes start at 100; ours are 0 for help/version, 2 for misuse.
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    }
    for (const Command& c : commands)
        if (c.app->parsed()) return c.run();
    fmt::print(stderr, "{}: a command is required\n\n{}", app.get_name(), app.help());
    return kExitBadInput;
}

}  // namespace hopsim::cli
