#pragma once
// Numbers and addresses as text, written straight into a buffer. The trace
// writes millions of these; snprintf's format parsing was a quarter of the
// time of a traced run.

#include <cstdint>

namespace hopsim::net::digits {

inline char* decimal(char* p, std::uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

inline char* hex_byte(char* p, unsigned b) {
    static constexpr char kHex[] = "0123456789abcdef";
    *p++ = kHex[(b >> 4) & 0xf];
    *p++ = kHex[b & 0xf];
    return p;
}

// "02:00:00:00:00:0b" from the 48-bit value, most significant byte first.
inline char* mac(char* p, std::uint64_t v) {
    for (int i = 5; i >= 0; --i) {
        p = hex_byte(p, static_cast<unsigned>(v >> (8 * i)) & 0xff);
        if (i) *p++ = ':';
    }
    return p;
}

// "10.0.0.1" from the host-order value.
inline char* ipv4(char* p, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) {
        p = decimal(p, (v >> (8 * i)) & 0xff);
        if (i) *p++ = '.';
    }
    return p;
}

// "0x0800"
inline char* hex16(char* p, unsigned v) {
    *p++ = '0';
    *p++ = 'x';
    p = hex_byte(p, (v >> 8) & 0xff);
    return hex_byte(p, v & 0xff);
}

}  // namespace hopsim::net::digits
