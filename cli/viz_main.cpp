// hopsim-viz: `hopsim render` and `hopsim view`, which hopsim hands their
// command line (hopsim-viz render ...). Run by hand it behaves the same.

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "viz_commands.hpp"

int main(int argc, char** argv) {
    using namespace hopsim::cli;
    CLI::App app{"hopsim-viz: the drawing half of hopsim (hopsim render / hopsim view)", "hopsim"};
    app.set_version_flag("--version", "hopsim " HOPSIM_VERSION);
    app.require_subcommand(1, 1);
    return parse_and_run(app, {add_render(app), add_view(app)}, argc, argv);
}
