#pragma once
// DNS messages (RFC 1035 section 4): a 12-byte header, questions, then
// resource records. hopsim's resolver and server deal in A records of class
// IN; other record types in an answer are skipped over, not refused. Names
// are written uncompressed in questions; an answer whose name is the first
// question's points back to it (0xc00c), as every server does.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

inline constexpr std::uint16_t kDnsPort = 53;
inline constexpr std::size_t kDnsHeaderLen = 12;
inline constexpr std::uint16_t kDnsTypeA = 1, kDnsClassIn = 1;
inline constexpr std::uint8_t kDnsNoError = 0, kDnsFormErr = 1, kDnsServFail = 2, kDnsNxDomain = 3;

namespace dns_field {
inline constexpr std::size_t kId = 0, kFlags = 2, kQdCount = 4, kAnCount = 6, kNsCount = 8, kArCount = 10;
}

// Why a name cannot be sent ("label \"...\" is longer than 63 bytes"), or ""
// (RFC 1035 2.3.4: labels of 1 to 63 bytes, the whole name at most 253 characters).
std::string dns_name_problem(std::string_view name);

struct DnsQuestion {
    std::string name;  // "www.example.org", no trailing dot
    std::uint16_t type = kDnsTypeA, cls = kDnsClassIn;
    bool operator==(const DnsQuestion&) const = default;
};

struct DnsAnswer {  // an A record
    std::string name;
    std::uint32_t ttl = 0;
    Ipv4Address address;
    bool operator==(const DnsAnswer&) const = default;
};

struct DnsMessage {
    std::uint16_t id = 0;
    bool response = false, authoritative = false, recursion_desired = true, recursion_available = false;
    std::uint8_t rcode = kDnsNoError;
    std::vector<DnsQuestion> questions;
    std::vector<DnsAnswer> answers;

    std::size_t length() const;         // names must pass dns_name_problem()
    void emit(MutableBytes out) const;  // writes exactly length() bytes
    bool operator==(const DnsMessage&) const = default;
};

class DnsView {
public:
    // Walks every question and record within the bytes; a name's compression
    // pointers must each point earlier than where they are, so they end.
    static ParseResult<DnsView> parse(Bytes b);

    std::uint16_t id() const { return load16(b_, dns_field::kId); }
    std::uint16_t flags() const { return load16(b_, dns_field::kFlags); }
    bool response() const { return flags() & 0x8000; }
    std::uint8_t opcode() const { return (flags() >> 11) & 0xf; }
    std::uint8_t rcode() const { return flags() & 0xf; }
    std::uint16_t question_count() const { return load16(b_, dns_field::kQdCount); }
    std::uint16_t answer_count() const { return load16(b_, dns_field::kAnCount); }
    // The A records among the answers, and the questions, decoded.
    DnsMessage to_message() const;
    // Where the first A answer's address is (for the dissector), or 0.
    std::size_t first_a_at() const { return first_a_at_; }
    std::size_t first_qtype_at() const { return first_qtype_at_; }

private:
    DnsView(Bytes b, std::size_t qtype_at, std::size_t a_at) : b_(b), first_qtype_at_(qtype_at), first_a_at_(a_at) {}
    Bytes b_;
    std::size_t first_qtype_at_ = 0, first_a_at_ = 0;
};

}  // namespace hopsim::net
