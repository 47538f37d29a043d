#pragma once
// MAC and IPv4 addresses, and IPv4 prefixes (CIDR). Parsing returns located
// errors: the column of the first bad character and what was expected there.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::net {

struct AddressError {
    std::size_t column = 0;  // 0-based index into the parsed text
    std::string reason;
    std::string message() const;  // "at column 3: expected a hex digit"
};

class Ipv4Address;

class MacAddress {
public:
    constexpr MacAddress() = default;
    constexpr explicit MacAddress(std::array<std::uint8_t, 6> b) : b_(b) {}
    static MacAddress from_u64(std::uint64_t v);  // low 48 bits
    static MacAddress load(Bytes b, std::size_t at);
    static Result<MacAddress, AddressError> parse(std::string_view text);
    static constexpr MacAddress broadcast() { return MacAddress({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}); }
    // RFC 1112 6.4: an IPv4 multicast group's MAC, 01:00:5e and the group's low 23 bits.
    static MacAddress for_group(Ipv4Address group);

    void store(MutableBytes b, std::size_t at) const;
    std::uint64_t to_u64() const;
    // "02:00:00:00:00:0b" written into `out`, without allocating.
    std::string_view format(std::array<char, 17>& out) const;
    std::string to_string() const;  // lower-case "02:00:00:00:00:0b"
    const std::array<std::uint8_t, 6>& bytes() const { return b_; }

    bool is_broadcast() const { return *this == broadcast(); }
    bool is_multicast() const { return (b_[0] & 0x01) != 0; }  // I/G bit; broadcast included
    bool is_unicast() const { return !is_multicast(); }
    bool is_locally_administered() const { return (b_[0] & 0x02) != 0; }  // U/L bit

    // Byte by byte, spelled out: libc++ 14 (emscripten's) has no <=> for std::array.
    bool operator==(const MacAddress& o) const { return b_ == o.b_; }
    std::strong_ordering operator<=>(const MacAddress& o) const { return to_u64() <=> o.to_u64(); }

private:
    std::array<std::uint8_t, 6> b_{};
};

class Ipv4Address {
public:
    constexpr Ipv4Address() = default;
    constexpr explicit Ipv4Address(std::uint32_t v) : v_(v) {}
    constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
        : v_((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d) {}
    static Ipv4Address load(Bytes b, std::size_t at) { return Ipv4Address(load32(b, at)); }
    static Result<Ipv4Address, AddressError> parse(std::string_view text);

    void store(MutableBytes b, std::size_t at) const { store32(b, at, v_); }
    constexpr std::uint32_t to_u32() const { return v_; }
    std::string to_string() const;
    bool is_unspecified() const { return v_ == 0; }
    bool is_broadcast() const { return v_ == 0xffffffffu; }
    bool is_multicast() const { return (v_ >> 28) == 0xe; }
    bool is_loopback() const { return (v_ >> 24) == 127; }

    auto operator<=>(const Ipv4Address&) const = default;

private:
    std::uint32_t v_ = 0;
};

// An address with a prefix length: "192.168.1.1/24". The address keeps its host
// bits (an interface address); network() clears them (a route).
class Ipv4Prefix {
public:
    constexpr Ipv4Prefix() = default;
    constexpr Ipv4Prefix(Ipv4Address a, std::uint8_t len) : addr_(a), len_(len) {}
    static Result<Ipv4Prefix, AddressError> parse(std::string_view text);

    Ipv4Address address() const { return addr_; }
    std::uint8_t length() const { return len_; }
    std::uint32_t mask() const { return len_ == 0 ? 0 : ~std::uint32_t{0} << (32 - len_); }
    Ipv4Prefix network() const { return {Ipv4Address(addr_.to_u32() & mask()), len_}; }
    Ipv4Address broadcast_address() const { return Ipv4Address(addr_.to_u32() | ~mask()); }
    bool contains(Ipv4Address a) const { return (a.to_u32() & mask()) == (addr_.to_u32() & mask()); }
    bool contains(const Ipv4Prefix& p) const { return p.len_ >= len_ && contains(p.addr_); }
    bool overlaps(const Ipv4Prefix& p) const { return contains(p) || p.contains(*this); }
    std::string to_string() const;

    auto operator<=>(const Ipv4Prefix&) const = default;

private:
    Ipv4Address addr_;
    std::uint8_t len_ = 0;
};

// Index of the longest prefix in [first, last) that contains `a`, or -1.
// Ties keep the earliest entry, so a table's order decides them deterministically.
template <class It, class Proj>
long longest_prefix_match(It first, It last, Ipv4Address a, Proj prefix_of) {
    long best = -1;
    int best_len = -1;
    long i = 0;
    for (It it = first; it != last; ++it, ++i) {
        const Ipv4Prefix& p = prefix_of(*it);
        if (p.contains(a) && p.length() > best_len) {
            best = i;
            best_len = p.length();
        }
    }
    return best;
}

}  // namespace hopsim::net
