// Shared by hopsim and hopsim-viz: parse, map CLI11's exit codes, run.

#include <fmt/core.h>

#include "commands.hpp"

namespace hopsim::cli {

int parse_and_run(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ExtrasError& e) {
        // "hopsim frobnicate": say it is not a command, and which ones are.
        const std::vector<std::string> extras = app.remaining();
        if (app.get_subcommands().empty() && !extras.empty() && extras.front().rfind('-', 0) != 0) {
            std::string names;
            for (const CLI::App* sub : app.get_subcommands({})) names += fmt::format("  {:<14}{}\n", sub->get_name(), sub->get_description());
            fmt::print(stderr, "{}: unknown command \"{}\"; the commands are:\n{}", app.get_name(), extras.front(), names);
            return kExitBadInput;
        }
        return app.exit(e) == 0 ? kExitOk : kExitBadInput;
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
