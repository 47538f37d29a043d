#pragma once
// Scenario JSON -> validated Scenario. Every rule of the contract's Errors
// section is checked before anything runs, and every problem is reported,
// each as "place: what is wrong" (links[3].endpoints[1]: unknown node "R9"),
// or "line:column: ..." for JSON that does not parse.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

using Problems = std::vector<std::string>;

Result<Scenario, Problems> load_scenario(std::string_view json_text);
// The largest scenario file read: 100,000 hosts take 12 MiB of JSON.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t{64} << 20;

// Reads the file first; an unreadable file, a directory, a device or a file
// over kMaxScenarioBytes is one problem that says so.
Result<Scenario, Problems> load_scenario_file(const std::string& path);
// Only the reading, with the same checks (a grader diffs the text first).
Result<std::string, Problems> read_scenario_text(const std::string& path);

}  // namespace hopsim::sim
