// The one hex parser: strict for scenario payloads, lenient for pasted text.

#include <catch2/catch.hpp>

#include "hopsim/netstack/hex.hpp"

using namespace hopsim::net;

TEST_CASE("hex digits become bytes, in either case", "[hex]") {
    const std::vector<std::uint8_t> deadbeef{0xde, 0xad, 0xbe, 0xef};
    CHECK(*parse_hex("deadbeef", HexInput::DigitsOnly) == deadbeef);
    CHECK(*parse_hex("DEADbeef", HexInput::DigitsOnly) == deadbeef);
    CHECK(parse_hex("", HexInput::DigitsOnly)->empty());
}

TEST_CASE("pasted hex may carry separators and 0x prefixes, digits-only may not", "[hex]") {
    const std::vector<std::uint8_t> deadbeef{0xde, 0xad, 0xbe, 0xef};
    CHECK(*parse_hex("0xde:ad be-ef\n", HexInput::Pasted) == deadbeef);
    CHECK(*parse_hex("0xDE 0xAD 0xBE 0xEF", HexInput::Pasted) == deadbeef);
    auto spaced = parse_hex("de ad", HexInput::DigitsOnly);
    REQUIRE_FALSE(spaced);
    CHECK(spaced.error() == "column 3: ' ' is not a hex digit");
}

TEST_CASE("hex errors name the column and the character", "[hex]") {
    auto bad = parse_hex("abcz", HexInput::Pasted);
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == "column 4: 'z' is not a hex digit (two digits per byte)");
    auto nul = parse_hex(std::string_view("a\0", 2), HexInput::Pasted);
    REQUIRE_FALSE(nul);
    CHECK(nul.error().find("'\\x00'") != std::string::npos);
    auto odd = parse_hex("abc", HexInput::Pasted);
    REQUIRE_FALSE(odd);
    CHECK(odd.error() == "odd number of hex digits: the last byte is incomplete");
    // A separator inside a byte is not skipped: "a b" is not the byte 0xab.
    CHECK_FALSE(parse_hex("a b", HexInput::Pasted));
}
