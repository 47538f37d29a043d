#include "hopsim/netstack/addresses.hpp"

#include <cstdio>

#include "digits.hpp"
#include "hopsim/netstack/hex.hpp"

namespace hopsim::net {

std::string AddressError::message() const {
    return "at column " + std::to_string(column + 1) + ": " + reason;
}

namespace {
Unexpected<AddressError> fail(std::size_t column, std::string reason) {
    return Unexpected<AddressError>{AddressError{column, std::move(reason)}};
}

// Parses a decimal number of at most `max` from text[i...]; advances i.
bool parse_decimal(std::string_view text, std::size_t& i, unsigned max, unsigned& out) {
    std::size_t start = i;
    unsigned v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        v = v * 10 + static_cast<unsigned>(text[i] - '0');
        if (v > max || i - start >= 3) return false;
        ++i;
    }
    if (i == start) return false;
    // "01" is ambiguous (octal in inet_aton); refuse it rather than guess.
    if (i - start > 1 && text[start] == '0') return false;
    out = v;
    return true;
}
}  // namespace

MacAddress MacAddress::for_group(Ipv4Address group) {
    return from_u64(0x01005e000000ull | (group.to_u32() & 0x7fffffu));
}

MacAddress MacAddress::from_u64(std::uint64_t v) {
    std::array<std::uint8_t, 6> b{};
    for (int i = 5; i >= 0; --i, v >>= 8) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    return MacAddress(b);
}

MacAddress MacAddress::load(Bytes b, std::size_t at) {
    std::array<std::uint8_t, 6> m{};
    for (std::size_t i = 0; i < 6; ++i) m[i] = b[at + i];
    return MacAddress(m);
}

Result<MacAddress, AddressError> MacAddress::parse(std::string_view text) {
    std::array<std::uint8_t, 6> b{};
    std::size_t i = 0;
    for (std::size_t octet = 0; octet < 6; ++octet) {
        if (octet > 0) {
            if (i >= text.size()) return fail(i, "MAC address ends early, expected 6 octets");
            if (text[i] != ':' && text[i] != '-')
                return fail(i, "expected ':' between octets");
            ++i;
        }
        for (int nibble = 0; nibble < 2; ++nibble, ++i) {
            if (i >= text.size()) return fail(i, "MAC address ends early, expected 6 octets");
            int h = hex_digit(text[i]);
            if (h < 0) return fail(i, "expected a hex digit");
            b[octet] = static_cast<std::uint8_t>((b[octet] << 4) | h);
        }
    }
    if (i != text.size()) return fail(i, "unexpected text after the MAC address");
    return MacAddress(b);
}

void MacAddress::store(MutableBytes b, std::size_t at) const {
    for (std::size_t i = 0; i < 6; ++i) b[at + i] = b_[i];
}

std::uint64_t MacAddress::to_u64() const {
    std::uint64_t v = 0;
    for (std::uint8_t x : b_) v = (v << 8) | x;
    return v;
}

std::string MacAddress::to_string() const {
    std::array<char, 17> buf;
    return std::string(format(buf));
}

std::string_view MacAddress::format(std::array<char, 17>& out) const {
    digits::mac(out.data(), to_u64());
    return {out.data(), out.size()};
}

Result<Ipv4Address, AddressError> Ipv4Address::parse(std::string_view text) {
    std::uint32_t v = 0;
    std::size_t i = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (i >= text.size() || text[i] != '.') return fail(i, "expected '.' between octets");
            ++i;
        }
        unsigned x = 0;
        const std::size_t start = i;
        if (!parse_decimal(text, i, 255, x)) return fail(start, "expected a number 0-255");
        v = (v << 8) | x;
    }
    if (i != text.size()) return fail(i, "unexpected text after the IPv4 address");
    return Ipv4Address(v);
}

std::string Ipv4Address::to_string() const {
    char buf[15];
    return std::string(buf, digits::ipv4(buf, v_));
}

Result<Ipv4Prefix, AddressError> Ipv4Prefix::parse(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return fail(text.size(), "prefix length missing (\"/24\")");
    auto addr = Ipv4Address::parse(text.substr(0, slash));
    if (!addr) return fail(addr.error().column, addr.error().reason);
    std::size_t i = slash + 1;
    unsigned len = 0;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) {
        len = len * 10 + static_cast<unsigned>(text[i] - '0');
        ++i;
    }
    if (i == start) return fail(i, "expected a prefix length 0-32");
    if (i != text.size()) return fail(i, "unexpected text after the prefix length");
    if (len > 32) return fail(start, "prefix /" + std::to_string(len) + " is longer than 32");
    return Ipv4Prefix(*addr, static_cast<std::uint8_t>(len));
}

std::string Ipv4Prefix::to_string() const {
    return addr_.to_string() + "/" + std::to_string(len_);
}

}  // namespace hopsim::net
