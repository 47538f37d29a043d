#pragma once
// Hex text to bytes: the one parser behind a scenario's {"hex": "..."}
// payload and `hopsim dissect`. Strict mode takes digits only; lenient mode
// also skips what people paste around them (spaces, colons, dashes, line
// breaks, "0x" prefixes), as Wireshark's "Copy as Hex Stream" or a hexdump
// gives them. The error says where: "column 4: 'z' is not a hex digit".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/result.hpp"

namespace hopsim::net {

enum class HexInput : std::uint8_t { DigitsOnly, Pasted };

// The value of one hex digit, either case; -1 for anything else.
int hex_digit(char c);

Result<std::vector<std::uint8_t>, std::string> parse_hex(std::string_view text, HexInput mode);

}  // namespace hopsim::net
