// libFuzzer entry: the scenario loader must turn any text into either a
// valid scenario or located problems, never a crash, a hang or unbounded
// memory (ASan/UBSan watch it; -rss_limit_mb bounds it). A valid scenario
// is also built into a Simulation, so what the loader accepts the
// simulator can set up.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/simulation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto sc = hopsim::sim::load_scenario(text);
    if (!sc) {
        for (const std::string& p : sc.error())
            if (p.empty() || p.size() > 600) std::abort();  // every problem is a bounded, non-empty line
        return 0;
    }
    hopsim::sim::Simulation simulation(*sc);
    return 0;
}
