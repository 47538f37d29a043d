#pragma once
// The drawing commands, as hopsim-viz runs them.

#include "commands.hpp"

namespace hopsim::cli {

Command add_render(CLI::App& app);
Command add_view(CLI::App& app);

}  // namespace hopsim::cli
