#pragma once
// Quantities with units, as scenarios write them: durations ("500ns", "1.5ms",
// "300s") and rates ("100Mbps"). A bare number is an error, never a guess.

#include <cstdint>
#include <string>
#include <string_view>

#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

// Errors are complete sentences without the location ("unit missing in \"100\"
// (use ns, us, ms or s)").
Result<SimTime, std::string> parse_duration(std::string_view text);
Result<std::int64_t, std::string> parse_rate_bps(std::string_view text);
std::string format_rate(std::int64_t bps);  // "100Mbps", "1.5Gbps"

}  // namespace hopsim::sim
