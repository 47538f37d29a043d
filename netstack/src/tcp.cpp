#include "hopsim/netstack/tcp.hpp"

namespace hopsim::net {

namespace {
namespace opt {
constexpr std::uint8_t kEol = 0, kNop = 1, kMss = 2, kWindowScale = 3, kSackPermitted = 4;
constexpr std::uint8_t kTimestamps = 8;
}  // namespace opt
}  // namespace

std::string tcp_flags_string(std::uint8_t flags) {
    static constexpr struct {
        std::uint8_t bit;
        const char* name;
    } kNames[] = {{tcp_flag::kSyn, "SYN"}, {tcp_flag::kFin, "FIN"}, {tcp_flag::kRst, "RST"},
                  {tcp_flag::kPsh, "PSH"}, {tcp_flag::kAck, "ACK"}, {tcp_flag::kUrg, "URG"},
                  {tcp_flag::kEce, "ECE"}, {tcp_flag::kCwr, "CWR"}};
    std::string s;
    for (const auto& n : kNames) {
        if (!(flags & n.bit)) continue;
        if (!s.empty()) s += ',';
        s += n.name;
    }
    return s;
}

std::size_t TcpOptions::length() const {
    std::size_t n = (mss ? 4 : 0) + (window_scale ? 4 : 0);
    if (timestamps) n += 12;  // SACK-permitted rides in the timestamps' padding
    else if (sack_permitted) n += 4;
    return n;
}

void TcpOptions::emit(MutableBytes out) const {
    std::size_t i = 0;
    auto put = [&](std::uint8_t b) { out[i++] = b; };
    if (mss) {
        put(opt::kMss), put(4);
        store16(out, i, *mss);
        i += 2;
    }
    if (timestamps) {
        if (sack_permitted) put(opt::kSackPermitted), put(2);
        else put(opt::kNop), put(opt::kNop);
        put(opt::kTimestamps), put(10);
        store32(out, i, timestamps->value);
        store32(out, i + 4, timestamps->echo_reply);
        i += 8;
    } else if (sack_permitted) {
        put(opt::kNop), put(opt::kNop), put(opt::kSackPermitted), put(2);
    }
    if (window_scale) put(opt::kNop), put(opt::kWindowScale), put(3), put(*window_scale);
}

void TcpHeader::emit(MutableBytes out) const {
    const std::size_t len = header_len();
    store16(out, tcp_field::kSrcPort, src_port);
    store16(out, tcp_field::kDstPort, dst_port);
    store32(out, tcp_field::kSeq, seq);
    store32(out, tcp_field::kAck, ack);
    out[tcp_field::kDataOffset] = static_cast<std::uint8_t>((len / 4) << 4);
    out[tcp_field::kFlags] = flags;
    store16(out, tcp_field::kWindow, window);
    store16(out, tcp_field::kChecksum, 0);
    store16(out, tcp_field::kUrgent, urgent);
    options.emit(out.subspan(tcp_field::kOptions, len - kTcpMinHeaderLen));
}

namespace {
// Walks the option bytes; offsets in errors are from the start of the segment.
ParseResult<TcpOptions> parse_options(Bytes o) {
    TcpOptions r;
    std::size_t i = 0;
    auto bad = [&](std::size_t at, std::uint64_t len) {
        return parse_error("tcp", "options", tcp_field::kOptions + at, ParseReason::BadOption, len,
                           o.size() - at);
    };
    while (i < o.size()) {
        const std::uint8_t kind = o[i];
        if (kind == opt::kEol) break;
        if (kind == opt::kNop) {
            ++i;
            continue;
        }
        if (i + 1 >= o.size()) return bad(i, 0);
        const std::size_t len = o[i + 1];
        if (len < 2 || i + len > o.size()) return bad(i, len);
        if (kind == opt::kMss && len == 4) r.mss = load16(o, i + 2);
        else if (kind == opt::kWindowScale && len == 3) r.window_scale = o[i + 2];
        else if (kind == opt::kSackPermitted && len == 2) r.sack_permitted = true;
        else if (kind == opt::kTimestamps && len == 10)
            r.timestamps = TcpTimestamps{load32(o, i + 2), load32(o, i + 6)};
        i += len;  // unknown kinds, and known kinds with odd lengths, are skipped
    }
    return r;
}
}  // namespace

ParseResult<TcpView> TcpView::parse(Bytes b) {
    if (b.size() < kTcpMinHeaderLen)
        return parse_error("tcp", "header", 0, ParseReason::Truncated, kTcpMinHeaderLen, b.size());
    const std::size_t off = (b[tcp_field::kDataOffset] >> 4) * 4u;
    if (off < kTcpMinHeaderLen)
        return parse_error("tcp", "data_offset", tcp_field::kDataOffset, ParseReason::BadHeaderLength,
                           off, kTcpMinHeaderLen);
    if (off > b.size())
        return parse_error("tcp", "data_offset", tcp_field::kDataOffset, ParseReason::HeaderBeyondData,
                           off, b.size());
    auto options = parse_options(b.subspan(kTcpMinHeaderLen, off - kTcpMinHeaderLen));
    if (!options) return Unexpected<ParseError>{options.error()};
    return TcpView(b, *options);
}

}  // namespace hopsim::net
