#include "hopsim/sim/units.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <cmath>

namespace hopsim::sim {

namespace {

// "DIGITS" or "DIGITS.DIGITS" (already checked) as the nearest double, or
// nullopt when too large. Up to 15 significant digits it is one exact integer
// divided by an exact power of ten, so correctly rounded on every platform;
// longer numbers go through strtod (the C locale: hopsim never sets another).
// std::from_chars for double would do, but emscripten's libc++ 14 lacks it.
std::optional<double> decimal(std::string_view digits) {
    std::uint64_t mantissa = 0;
    int significant = 0, fraction = 0;
    bool after_point = false;
    for (char c : digits) {
        if (c == '.') {
            after_point = true;
            continue;
        }
        if (significant > 0 || c != '0') ++significant;
        mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
        if (after_point) ++fraction;
        if (significant > 15 || fraction > 22) break;
    }
    if (significant <= 15 && fraction <= 22) {
        static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        return static_cast<double>(mantissa) / kPow10[fraction];
    }
    const std::string copy(digits);
    errno = 0;
    const double v = std::strtod(copy.c_str(), nullptr);
    if (errno == ERANGE || !std::isfinite(v)) return std::nullopt;
    return v;
}

struct Unit {
    std::string_view name;
    double scale;
};

// Splits "1.5ms" into 1.5 and "ms"; the number part must be plain decimal.
template <std::size_t N>
Result<double, std::string> parse_quantity(std::string_view text, const Unit (&units)[N],
                                           const char* unit_list, double& scale) {
    auto err = [](std::string m) { return Unexpected<std::string>{std::move(m)}; };
    // The schema's grammar: digits, optionally a dot and more digits, spaces, the unit.
    auto digits_from = [&](std::size_t at) {
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
        return at;
    };
    if (!text.empty() && text[0] == '-') return err(fmt::format("\"{}\" is negative", text));
    std::size_t i = digits_from(0);
    if (i == 0) return err(fmt::format("\"{}\" does not start with a number", text));
    if (i < text.size() && text[i] == '.') {
        const std::size_t frac = digits_from(i + 1);
        if (frac == i + 1) return err(fmt::format("\"{}\": a digit must follow the decimal point", text));
        i = frac;
    }
    std::string_view unit = text.substr(i);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    if (unit.empty()) return err(fmt::format("unit missing in \"{}\" (use {})", text, unit_list));
    for (const Unit& u : units) {
        if (u.name == unit) {
            scale = u.scale;
            const auto v = decimal(text.substr(0, i));
            if (!v)
                return err(fmt::format("\"{}{}\" is out of range", text.substr(0, std::min<std::size_t>(i, 24)),
                                       i > 24 ? "..." : ""));
            return *v;
        }
    }
    return err(fmt::format("unknown unit \"{}\" in \"{}\" (use {})", unit, text, unit_list));
}

}  // namespace

Result<SimTime, std::string> parse_duration(std::string_view text) {
    static constexpr Unit kUnits[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"min", 60e9}, {"h", 3600e9}};
    double scale = 1;
    auto v = parse_quantity(text, kUnits, "ns, us, ms, s, min or h", scale);
    if (!v) return Unexpected<std::string>{v.error()};
    const double ns = *v * scale;
    if (ns > 1e18) return Unexpected<std::string>{fmt::format("\"{}\" is absurdly long", text)};
    return SimTime::ns(static_cast<std::int64_t>(std::llround(ns)));
}

Result<std::int64_t, std::string> parse_rate_bps(std::string_view text) {
    static constexpr Unit kUnits[] = {{"bps", 1}, {"kbps", 1e3}, {"Kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9}};
    double scale = 1;
    auto v = parse_quantity(text, kUnits, "bps, kbps, Mbps or Gbps", scale);
    if (!v) return Unexpected<std::string>{v.error()};
    const double bps = *v * scale;
    if (bps < 1000 || bps > 1e12)
        return Unexpected<std::string>{fmt::format("\"{}\" is outside 1kbps..1000Gbps", text)};
    return static_cast<std::int64_t>(std::llround(bps));
}

std::string format_rate(std::int64_t bps) {
    auto trim = [](double v, const char* unit) {
        std::string s = fmt::format("{:.3f}", v);
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s + unit;
    };
    if (bps >= 1'000'000'000) return trim(static_cast<double>(bps) / 1e9, "Gbps");
    if (bps >= 1'000'000) return trim(static_cast<double>(bps) / 1e6, "Mbps");
    if (bps >= 1'000) return trim(static_cast<double>(bps) / 1e3, "kbps");
    return fmt::format("{}bps", bps);
}

}  // namespace hopsim::sim
