#pragma once
// What `hopsim render` and `hopsim view` share: their common options, and
// turning them into a Player (scenarios simulated and indexed, display and
// fonts checked) or a clear message.

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hopsim/viz/player.hpp"

namespace hopsim::cli {

struct PictureOptions {
    std::vector<std::string> files;
    std::string size = "1280x720", speed;
    std::string out, gif, from, to;  // render
    int fps = 25, max_frames = 750;  // render
    bool panel = false, addresses = false, diff = false;
    int select = -1;
    std::string field;
};

struct Picture {
    std::unique_ptr<viz::Fonts> fonts;
    std::unique_ptr<viz::Player> player;
    unsigned width = 1280, height = 720;
    viz::View view;        // the selection and overlays the options asked for
    std::int64_t speed = 0;  // simulated ns per animation second
};

// nullopt after printing why (the caller exits with 2).
std::optional<Picture> prepare_picture(const PictureOptions& o, const char* cmd);

void add_picture_options(CLI::App* cmd, PictureOptions& o);

}  // namespace hopsim::cli
