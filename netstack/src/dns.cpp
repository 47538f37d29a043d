#include "hopsim/netstack/dns.hpp"

#include <algorithm>

namespace hopsim::net {

namespace {

struct NameRead {
    std::string name;
    std::size_t end = 0;  // just after the name where it was found (a pointer is 2 bytes there)
};

// Follows compression pointers only backwards: every jump lands strictly
// earlier, so a crafted loop cannot keep the reader going round.
ParseResult<NameRead> read_name(Bytes b, std::size_t at) {
    NameRead r;
    bool jumped = false;
    for (std::size_t pos = at;;) {
        if (pos >= b.size()) return parse_error("dns", "name", pos, ParseReason::Truncated, pos + 1, b.size());
        const std::uint8_t len = b[pos];
        if ((len & 0xc0) == 0xc0) {
            if (pos + 1 >= b.size()) return parse_error("dns", "name", pos, ParseReason::Truncated, pos + 2, b.size());
            const std::size_t target = std::size_t{len & 0x3fu} << 8 | b[pos + 1];
            if (target >= pos) return parse_error("dns", "pointer", pos, ParseReason::Unsupported, target);
            if (!jumped) r.end = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if (len & 0xc0) return parse_error("dns", "label", pos, ParseReason::Unsupported, len);  // 0x40, 0x80: reserved
        if (len == 0) {
            if (!jumped) r.end = pos + 1;
            return r;
        }
        if (pos + 1 + len > b.size()) return parse_error("dns", "label", pos, ParseReason::Truncated, pos + 1 + len, b.size());
        if (!r.name.empty()) r.name += '.';
        r.name.append(reinterpret_cast<const char*>(b.data()) + pos + 1, len);
        if (r.name.size() > 253) return parse_error("dns", "name", at, ParseReason::Unsupported, r.name.size());
        pos += 1 + len;
    }
}

std::size_t encoded_length(std::string_view name) { return name.size() + 2; }  // a length byte per label, and the root

std::size_t write_name(MutableBytes out, std::size_t at, std::string_view name) {
    while (!name.empty()) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        out[at++] = static_cast<std::uint8_t>(label.size());
        for (char c : label) out[at++] = static_cast<std::uint8_t>(c);
        name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    }
    out[at++] = 0;
    return at;
}

}  // namespace

std::string dns_name_problem(std::string_view name) {
    if (name.empty()) return "the name is empty";
    if (name.back() == '.') return "write \"" + std::string(name) + "\" without the final dot";
    if (name.size() > 253) return "the name is longer than 253 characters";
    for (std::size_t start = 0; start <= name.size();) {
        const std::size_t dot = std::min(name.find('.', start), name.size());
        const std::string_view label = name.substr(start, dot - start);
        if (label.empty()) return "\"" + std::string(name) + "\" has an empty label";
        if (label.size() > 63) return "label \"" + std::string(label) + "\" is longer than 63 bytes";
        start = dot + 1;
    }
    return {};
}

std::size_t DnsMessage::length() const {
    std::size_t n = kDnsHeaderLen;
    for (const auto& q : questions) n += encoded_length(q.name) + 4;
    for (const auto& a : answers)
        n += (!questions.empty() && a.name == questions[0].name ? 2 : encoded_length(a.name)) + 10 + 4;
    return n;
}

void DnsMessage::emit(MutableBytes out) const {
    namespace f = dns_field;
    store16(out, f::kId, id);
    const std::uint16_t flags = static_cast<std::uint16_t>(response << 15 | authoritative << 10 | recursion_desired << 8 |
                                                           recursion_available << 7 | (rcode & 0xf));
    store16(out, f::kFlags, flags);
    store16(out, f::kQdCount, static_cast<std::uint16_t>(questions.size()));
    store16(out, f::kAnCount, static_cast<std::uint16_t>(answers.size()));
    store16(out, f::kNsCount, 0);
    store16(out, f::kArCount, 0);
    std::size_t at = kDnsHeaderLen;
    for (const auto& q : questions) {
        at = write_name(out, at, q.name);
        store16(out, at, q.type);
        store16(out, at + 2, q.cls);
        at += 4;
    }
    for (const auto& a : answers) {
        if (!questions.empty() && a.name == questions[0].name) {
            store16(out, at, 0xc000 | kDnsHeaderLen);  // the first question's name
            at += 2;
        } else {
            at = write_name(out, at, a.name);
        }
        store16(out, at, kDnsTypeA);
        store16(out, at + 2, kDnsClassIn);
        store32(out, at + 4, a.ttl);
        store16(out, at + 8, 4);
        store32(out, at + 10, a.address.to_u32());
        at += 14;
    }
}

ParseResult<DnsView> DnsView::parse(Bytes b) {
    namespace f = dns_field;
    if (b.size() < kDnsHeaderLen) return parse_error("dns", "header", 0, ParseReason::Truncated, kDnsHeaderLen, b.size());
    std::size_t at = kDnsHeaderLen, qtype_at = 0, a_at = 0;
    for (std::size_t i = 0; i < load16(b, f::kQdCount); ++i) {
        auto n = read_name(b, at);
        if (!n) return Unexpected{n.error()};
        if (n->end + 4 > b.size()) return parse_error("dns", "question", n->end, ParseReason::Truncated, n->end + 4, b.size());
        if (i == 0) qtype_at = n->end;
        at = n->end + 4;
    }
    const std::size_t records = std::size_t{load16(b, f::kAnCount)} + load16(b, f::kNsCount) + load16(b, f::kArCount);
    for (std::size_t i = 0; i < records; ++i) {
        auto n = read_name(b, at);
        if (!n) return Unexpected{n.error()};
        if (n->end + 10 > b.size()) return parse_error("dns", "record", n->end, ParseReason::Truncated, n->end + 10, b.size());
        const std::size_t rdlength = load16(b, n->end + 8), rdata = n->end + 10;
        if (rdata + rdlength > b.size())
            return parse_error("dns", "rdlength", n->end + 8, ParseReason::LengthBeyondData, rdlength, b.size() - rdata);
        const bool a_record = load16(b, n->end) == kDnsTypeA && load16(b, n->end + 2) == kDnsClassIn && rdlength == 4;
        if (a_record && !a_at && i < load16(b, f::kAnCount)) a_at = rdata;
        at = rdata + rdlength;
    }
    return DnsView(b.first(at), qtype_at, a_at);
}

DnsMessage DnsView::to_message() const {
    DnsMessage m;
    m.id = id();
    m.response = response();
    m.authoritative = flags() & 0x0400;
    m.recursion_desired = flags() & 0x0100;
    m.recursion_available = flags() & 0x0080;
    m.rcode = rcode();
    // parse() walked all of it: every read below is within the bytes.
    std::size_t at = kDnsHeaderLen;
    for (std::size_t i = 0; i < question_count(); ++i) {
        auto n = read_name(b_, at);
        m.questions.push_back({n->name, load16(b_, n->end), load16(b_, n->end + 2)});
        at = n->end + 4;
    }
    for (std::size_t i = 0; i < answer_count(); ++i) {
        auto n = read_name(b_, at);
        const std::size_t rdlength = load16(b_, n->end + 8), rdata = n->end + 10;
        if (load16(b_, n->end) == kDnsTypeA && load16(b_, n->end + 2) == kDnsClassIn && rdlength == 4)
            m.answers.push_back({n->name, load32(b_, n->end + 4), Ipv4Address::load(b_, rdata)});
        at = rdata + rdlength;
    }
    return m;
}

}  // namespace hopsim::net
