#pragma once
// A located parse failure: which layer and field, at which byte, and why.
// Prints like "ipv4.total_length at byte 16: 1500 > 60 bytes available".

#include <cstddef>
#include <cstdint>
#include <string>

#include "hopsim/netstack/result.hpp"

namespace hopsim::net {

enum class ParseReason : std::uint8_t {
    Truncated,         // fewer bytes than the header needs (value = needed, available = have)
    BadVersion,        // ipv4.version is not 4
    BadHeaderLength,   // ipv4.ihl < 5, or a TCP data offset < 5
    HeaderBeyondData,  // the header length field points past the bytes we have
    LengthTooShort,    // a length field smaller than its own header
    LengthBeyondData,  // a length field larger than the bytes we have
    Unsupported,       // a valid field value this parser does not handle (ARP hw type...)
    BadOption,         // an option whose length byte is 0/1 or runs past the options
};

const char* to_string(ParseReason r);

struct ParseError {
    const char* layer = "";
    const char* field = "";
    std::size_t offset = 0;  // byte offset of the field, from the start of the layer's input
    ParseReason reason = ParseReason::Truncated;
    std::uint64_t value = 0;      // the offending value (or bytes needed)
    std::uint64_t available = 0;  // bytes available, where that is the comparison

    std::string message() const;
    bool operator==(const ParseError&) const = default;
};

template <class T>
using ParseResult = Result<T, ParseError>;

inline Unexpected<ParseError> parse_error(const char* layer, const char* field, std::size_t offset,
                                          ParseReason reason, std::uint64_t value,
                                          std::uint64_t available = 0) {
    return Unexpected<ParseError>{ParseError{layer, field, offset, reason, value, available}};
}

}  // namespace hopsim::net
