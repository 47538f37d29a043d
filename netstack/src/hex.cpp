#include "hopsim/netstack/hex.hpp"

#include <string>

namespace hopsim::net {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

namespace {

bool separator(char c) { return c == ' ' || c == ':' || c == '-' || c == '\n' || c == '\r' || c == '\t'; }

// A character for a message: printable as itself, anything else as \xNN.
std::string shown(char c) {
    if (c >= 0x20 && c < 0x7f) return std::string(1, c);
    static const char* digits = "0123456789abcdef";
    const auto u = static_cast<unsigned char>(c);
    return std::string("\\x") + digits[u >> 4] + digits[u & 15];
}

}  // namespace

Result<std::vector<std::uint8_t>, std::string> parse_hex(std::string_view text, HexInput mode) {
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 2);
    int high = -1;  // the first digit of a byte, while waiting for its second
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (mode == HexInput::Pasted && high < 0) {
            if (separator(c)) continue;
            if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
                ++i;
                continue;
            }
        }
        const int v = hex_digit(c);
        if (v < 0) {
            const std::string where = "column " + std::to_string(i + 1) + ": '" + shown(c) + "' is not a hex digit";
            return Unexpected<std::string>{high >= 0 ? where + " (two digits per byte)" : where};
        }
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    if (high >= 0) return Unexpected<std::string>{"odd number of hex digits: the last byte is incomplete"};
    return out;
}

}  // namespace hopsim::net
