#pragma once
// Loading a scenario for a command: problems and warnings go to stderr, each
// prefixed with the file name, as compilers do.

#include <fmt/core.h>

#include <optional>
#include <string>

#include "hopsim/sim/loader.hpp"

namespace hopsim::cli {

inline std::optional<sim::Scenario> load_or_report(const std::string& file) {
    auto sc = sim::load_scenario_file(file);
    if (!sc) {
        for (const std::string& p : sc.error()) fmt::print(stderr, "{}: {}\n", file, p);
        return std::nullopt;
    }
    for (const std::string& w : sc->warnings) fmt::print(stderr, "{}: warning: {}\n", file, w);
    return std::move(*sc);
}

}  // namespace hopsim::cli
