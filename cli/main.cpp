// The hopsim executable: argument parsing and wiring only.

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
    using namespace hopsim::cli;
    CLI::App app{"hopsim: watch frames cross hubs, switches and routers, layer by layer,\n"
                 "and check the picture against the real kernel.",
                 "hopsim"};
    app.set_version_flag("--version", "hopsim " HOPSIM_VERSION);
    app.require_subcommand(0, 1);
    app.footer("Run 'hopsim COMMAND --help' for a command's options.\n"
               "Exit status: 0 success, 1 the run failed, 2 bad input or usage.");

    const std::vector<Command> commands = {
        add_run(app),
        add_validate(app),
        add_view_forward(app, argv),
        add_render_forward(app, argv),
        add_real(app),
        add_compare(app),
        add_echo_server(app),
        add_echo_client(app),
        add_dissect(app),
    };

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11's own codes start at 100; ours are 0 for help/version, 2 for misuse.
        const int code = app.exit(e);
        return code == 0 ? kExitOk : kExitBadInput;
    }
    for (const Command& c : commands)
        if (c.app->parsed()) return c.run();
    fmt::print(stderr, "hopsim: a command is required\n\n{}", app.help());
    return kExitBadInput;
}
