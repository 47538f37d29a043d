// The hopsim executable: argument parsing and wiring only.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <vector>

#include "commands.hpp"
#include "output_file.hpp"

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
        add_check(app),
        add_grade(app),
        add_quiz(app),
        add_view_forward(app, argv),
        add_render_forward(app, argv),
        add_real(app),
        add_compare(app),
        add_kernel(app),
        add_echo_server(app),
        add_echo_client(app),
        add_ipc(app),
        add_dissect(app),
    };

    const int status = parse_and_run(app, commands, argc, argv);
    // What was printed must have reached its reader (a full disk, a closed pipe).
    if (const std::string e = close_file(stdout, "-"); status == kExitOk && !e.empty()) {
        std::fprintf(stderr, "hopsim: %s\n", e.c_str());
        return kExitFailed;
    }
    return status;
}
