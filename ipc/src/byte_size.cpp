#include "hopsim/ipc/byte_size.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace hopsim::ipc {

Result<std::uint64_t, std::string> parse_byte_size(std::string_view text) {
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [rest, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || value < 0 || text.empty() || text[0] == '-' || text[0] == '+')
        return Unexpected{"\"" + std::string(text) + "\" is not a size (write e.g. 4096, 64KiB, 1GiB)"};
    std::string_view unit(rest, static_cast<std::size_t>(end - rest));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    constexpr std::pair<std::string_view, double> kUnits[] = {
        {"", 1}, {"B", 1}, {"KiB", 1024.0}, {"MiB", 1024.0 * 1024}, {"GiB", 1024.0 * 1024 * 1024}, {"TiB", 1024.0 * 1024 * 1024 * 1024},
        {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}};
    for (auto [name, scale] : kUnits) {
        if (unit != name) continue;
        const double bytes = value * scale;
        if (bytes > 1e15) return Unexpected{"\"" + std::string(text) + "\" is more than a petabyte"};
        if (bytes != std::floor(bytes)) return Unexpected{"\"" + std::string(text) + "\" is not a whole number of bytes"};
        return static_cast<std::uint64_t>(bytes);
    }
    return Unexpected{"unknown unit \"" + std::string(unit) + "\" in \"" + std::string(text) +
                      "\" (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)"};
}

std::string format_bytes(std::uint64_t n) {
    char buf[32];
    if (n < 1024) {
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
        return buf;
    }
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n);
    int u = -1;
    while (v >= 1024 && u < 3) v /= 1024, ++u;
    if (v == std::floor(v))
        std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
    else
        std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : "%.1f %s", v, units[u]);
    return buf;
}

}  // namespace hopsim::ipc
