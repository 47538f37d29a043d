#pragma once
// Byte counts as people write them: "1048576", "64KiB", "1GiB", "1.5MB".

#include <cstdint>
#include <string>
#include <string_view>

#include "hopsim/netstack/result.hpp"

namespace hopsim::ipc {

// A bare number is bytes; KiB/MiB/GiB/TiB are powers of 1024, kB/MB/GB/TB of 1000.
Result<std::uint64_t, std::string> parse_byte_size(std::string_view text);
// "512 B", "32 KiB", "64.0 MiB", "1.00 GiB".
std::string format_bytes(std::uint64_t n);

}  // namespace hopsim::ipc
