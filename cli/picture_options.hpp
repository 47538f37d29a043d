#pragma once
// The options of `hopsim render` and `hopsim view`, without the drawing: the
// hopsim executable declares them (for --help and usage errors) and hands the
// command line to hopsim-viz, which declares the same and draws. Keeping
// SFML, X11 and GL out of hopsim keeps every other command's start-up fast.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hopsim::cli {

struct PictureOptions {
    std::vector<std::string> files;
    std::string size = "1280x720", speed;
    std::string out, gif, from, to;  // render
    int fps = 25, max_frames = 750;  // render
    bool panel = false, addresses = false, diff = false, ports = false;
    std::vector<std::string> tables;  // "R3.routes,S1.mac": the tables shown
    std::string boxes;        // render: every drawn text's box, as JSON
    int select = -1;
    std::string field;
    bool quiz = false;        // predict, then reveal (questions from the first scenario's run)
    std::string quiz_kinds;   // "switch,ttl": only these kinds
};

// The window's keys, for `hopsim view --help` and the help overlay.
extern const char* const kViewKeys;

CLI::App* add_render_command(CLI::App& app, PictureOptions& o);
CLI::App* add_view_command(CLI::App& app, PictureOptions& o);

}  // namespace hopsim::cli
