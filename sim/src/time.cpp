#include "hopsim/sim/time.hpp"

#include <fmt/core.h>

namespace hopsim::sim {

std::string SimTime::to_string() const {
    const std::int64_t v = ns_ < 0 ? -ns_ : ns_;
    const char* sign = ns_ < 0 ? "-" : "";
    auto fmt_unit = [&](std::int64_t unit, const char* name) {
        std::string s = fmt::format("{:.3f}", static_cast<double>(v) / static_cast<double>(unit));
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return sign + s + name;
    };
    if (v >= 1'000'000'000) return fmt_unit(1'000'000'000, "s");
    if (v >= 1'000'000) return fmt_unit(1'000'000, "ms");
    if (v >= 1'000) return fmt_unit(1'000, "us");
    return fmt::format("{}{}ns", sign, v);
}

}  // namespace hopsim::sim
