#pragma once
// Each subcommand registers its options on the app and returns the function
// that runs it after parsing. Runners return the process exit status:
// 0 success, 1 the run itself failed, 2 bad input or usage.

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace hopsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

// For unsigned options: CLI11 would wrap "-1" round to the largest value.
inline const CLI::Validator kNotNegative(
    [](std::string& s) { return !s.empty() && s[0] == '-' ? "must be 0 or more, not " + s : std::string(); }, "");

struct Command {
    CLI::App* app;            // the subcommand, to ask whether it was chosen
    std::function<int()> run;
};

// Parses the command line and runs the chosen command; CLI11's own exit
// codes become ours (0 for --help/--version, 2 for misuse).
int parse_and_run(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv);

Command add_dissect(CLI::App& app);
Command add_run(CLI::App& app);
Command add_validate(CLI::App& app);
Command add_check(CLI::App& app);
Command add_grade(CLI::App& app);
Command add_quiz(CLI::App& app);
Command add_echo_server(CLI::App& app);
Command add_real(CLI::App& app);
// render and view run in hopsim-viz (next to hopsim), which has the drawing
// libraries: these declare the options and hand it the command line.
Command add_render_forward(CLI::App& app, char** argv);
Command add_view_forward(CLI::App& app, char** argv);
Command add_compare(CLI::App& app);
Command add_echo_client(CLI::App& app);
Command add_kernel(CLI::App& app);
Command add_ipc(CLI::App& app);
// compare --kernel: the simulation held to the scenario built of namespaces.
int compare_with_kernel(const std::string& file, bool json);

}  // namespace hopsim::cli
