#include "hopsim/netstack/parse_error.hpp"

#include <string>

namespace hopsim::net {

const char* to_string(ParseReason r) {
    switch (r) {
        case ParseReason::Truncated: return "truncated";
        case ParseReason::BadVersion: return "bad version";
        case ParseReason::BadHeaderLength: return "bad header length";
        case ParseReason::HeaderBeyondData: return "header beyond data";
        case ParseReason::LengthTooShort: return "length too short";
        case ParseReason::LengthBeyondData: return "length beyond data";
        case ParseReason::Unsupported: return "unsupported";
        case ParseReason::BadOption: return "bad option";
    }
    return "?";
}

std::string ParseError::message() const {
    std::string where = std::string(layer) + "." + field + " at byte " + std::to_string(offset) + ": ";
    const std::string v = std::to_string(value), a = std::to_string(available);
    switch (reason) {
        case ParseReason::Truncated:
            return where + "needs " + v + " bytes, " + a + " available";
        case ParseReason::BadVersion: return where + "version " + v + ", expected 4";
        case ParseReason::BadHeaderLength: return where + "header length " + v + " < minimum " + a;
        case ParseReason::HeaderBeyondData:
            return where + "header length " + v + " > " + a + " bytes available";
        case ParseReason::LengthTooShort: return where + v + " < header length " + a;
        case ParseReason::LengthBeyondData: return where + v + " > " + a + " bytes available";
        case ParseReason::Unsupported: return where + "unsupported value " + v;
        case ParseReason::BadOption: return where + "option length " + v + " invalid, " + a + " bytes left";
    }
    return where + "?";
}

}  // namespace hopsim::net
