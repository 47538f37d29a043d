#pragma once
// What `hopsim render` and `hopsim view` share: turning their options into a
// Player (scenarios simulated and indexed, display and fonts checked) or a
// clear message.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hopsim/sim/quiz.hpp"
#include "hopsim/viz/player.hpp"
#include "hopsim/viz/sfml_backend.hpp"
#include "picture_options.hpp"

namespace hopsim::cli {


struct Picture {
    std::unique_ptr<viz::Fonts> fonts;
    std::unique_ptr<viz::SfmlMetrics> metrics;  // measures with the fonts the picture is drawn in
    std::unique_ptr<viz::Player> player;
    unsigned width = 1280, height = 720;
    viz::View view;        // the selection and overlays the options asked for
    std::int64_t speed = 0;  // simulated ns per animation second
    std::vector<sim::Question> quiz;  // --quiz: about the first scenario's run, in time order
};

// nullopt after printing why (the caller exits with 2).
std::optional<Picture> prepare_picture(const PictureOptions& o, const char* cmd);

}  // namespace hopsim::cli
