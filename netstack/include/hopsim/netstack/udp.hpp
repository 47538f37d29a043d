#pragma once
// UDP (RFC 768). The checksum covers a pseudo-header: see checksum.hpp.

#include <cstdint>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

namespace udp_field {
inline constexpr std::size_t kSrcPort = 0, kDstPort = 2, kLength = 4, kChecksum = 6;
}

inline constexpr std::size_t kUdpHeaderLen = 8;

struct UdpHeader {
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint16_t length = 0;  // header + payload

    static constexpr std::size_t header_len() { return kUdpHeaderLen; }
    // Writes 8 bytes with checksum 0; fill_transport_checksum() finishes it.
    void emit(MutableBytes out) const;
    bool operator==(const UdpHeader&) const = default;
};

class UdpView {
public:
    // Checks the length field against the header and the bytes given.
    static ParseResult<UdpView> parse(Bytes b);

    std::uint16_t src_port() const { return load16(b_, udp_field::kSrcPort); }
    std::uint16_t dst_port() const { return load16(b_, udp_field::kDstPort); }
    std::uint16_t length() const { return load16(b_, udp_field::kLength); }
    std::uint16_t checksum() const { return load16(b_, udp_field::kChecksum); }
    Bytes segment() const { return b_; }
    Bytes payload() const { return b_.subspan(kUdpHeaderLen); }
    UdpHeader to_header() const { return {src_port(), dst_port(), length()}; }

private:
    explicit UdpView(Bytes b) : b_(b) {}
    Bytes b_;  // exactly length() bytes
};

}  // namespace hopsim::net
