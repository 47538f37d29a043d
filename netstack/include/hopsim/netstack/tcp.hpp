#pragma once
// TCP segments (RFC 9293) with the options Linux sends on a SYN: MSS, SACK
// permitted, timestamps and window scale (RFC 7323, RFC 2018). Unknown options
// are skipped by their length byte.

#include <cstdint>
#include <optional>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

namespace tcp_field {
inline constexpr std::size_t kSrcPort = 0, kDstPort = 2, kSeq = 4, kAck = 8;
inline constexpr std::size_t kDataOffset = 12, kFlags = 13, kWindow = 14, kChecksum = 16;
inline constexpr std::size_t kUrgent = 18, kOptions = 20;
}  // namespace tcp_field

inline constexpr std::size_t kTcpMinHeaderLen = 20;

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}  // namespace tcp_flag

// "SYN,ACK": the set flags, in the order tcpdump prints them.
std::string tcp_flags_string(std::uint8_t flags);

struct TcpTimestamps {
    std::uint32_t value = 0;
    std::uint32_t echo_reply = 0;
    bool operator==(const TcpTimestamps&) const = default;
};

struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> window_scale;
    bool sack_permitted = false;
    std::optional<TcpTimestamps> timestamps;

    // Bytes emit() writes, padded to a multiple of 4.
    std::size_t length() const;
    // Linux's order and padding (tcp_options_write): MSS, SACK-permitted with
    // timestamps, NOP-padded timestamps or SACK-permitted alone, window scale.
    void emit(MutableBytes out) const;
    bool operator==(const TcpOptions&) const = default;
};

struct TcpHeader {
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint16_t urgent = 0;
    TcpOptions options;

    std::size_t header_len() const { return kTcpMinHeaderLen + options.length(); }
    // Writes header_len() bytes with checksum 0; fill_transport_checksum() finishes it.
    void emit(MutableBytes out) const;
    bool operator==(const TcpHeader&) const = default;
};

class TcpView {
public:
    // Checks the data offset against the bytes and walks the options once, so
    // a malformed option is a parse error (skipped unknown kinds are not).
    static ParseResult<TcpView> parse(Bytes b);

    std::uint16_t src_port() const { return load16(b_, tcp_field::kSrcPort); }
    std::uint16_t dst_port() const { return load16(b_, tcp_field::kDstPort); }
    std::uint32_t seq() const { return load32(b_, tcp_field::kSeq); }
    std::uint32_t ack() const { return load32(b_, tcp_field::kAck); }
    std::size_t header_len() const { return (b_[tcp_field::kDataOffset] >> 4) * 4u; }
    std::uint8_t flags() const { return b_[tcp_field::kFlags]; }
    bool has(std::uint8_t flag) const { return (flags() & flag) != 0; }
    std::uint16_t window() const { return load16(b_, tcp_field::kWindow); }
    std::uint16_t checksum() const { return load16(b_, tcp_field::kChecksum); }
    std::uint16_t urgent() const { return load16(b_, tcp_field::kUrgent); }
    const TcpOptions& options() const { return options_; }
    Bytes segment() const { return b_; }
    Bytes payload() const { return b_.subspan(header_len()); }
    TcpHeader to_header() const {
        return {src_port(), dst_port(), seq(), ack(), flags(), window(), urgent(), options_};
    }

private:
    TcpView(Bytes b, TcpOptions o) : b_(b), options_(o) {}
    Bytes b_;
    TcpOptions options_;
};

}  // namespace hopsim::net
