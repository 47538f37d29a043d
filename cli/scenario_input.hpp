#pragma once
// Loading a scenario for a command: problems and warnings go to stderr, each
// prefixed with the file name, as compilers do.

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hopsim/sim/loader.hpp"

namespace hopsim::cli {

// The JSON Schema that sits among the scenarios (scenarios/*.json picks it
// up): commands over many files skip it rather than report it as broken.
inline bool is_json_schema(const std::string& file) {
    auto text = sim::read_scenario_text(file);
    if (!text) return false;
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_object() && !j.contains("nodes") && j.value("$schema", "").starts_with("https://json-schema.org/");
}

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
