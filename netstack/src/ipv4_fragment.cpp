#include "hopsim/netstack/ipv4_fragment.hpp"

#include <algorithm>

#include "hopsim/netstack/checksum.hpp"

namespace hopsim::net {

namespace {
void set_fragment_fields(MutableBytes header, std::size_t total_length, bool more, std::size_t offset_bytes) {
    store16(header, ipv4_field::kTotalLength, static_cast<std::uint16_t>(total_length));
    const std::uint16_t df = load16(header, ipv4_field::kFlagsFrag) & 0x4000;
    store16(header, ipv4_field::kFlagsFrag,
            static_cast<std::uint16_t>(df | (more ? 0x2000 : 0) | ((offset_bytes / 8) & 0x1fff)));
    store16(header, ipv4_field::kChecksum, 0);
    store16(header, ipv4_field::kChecksum, internet_checksum(Bytes(header.data(), header.size())));
}
}  // namespace

std::vector<std::vector<std::uint8_t>> fragment_ipv4(const Ipv4View& d, std::size_t mtu) {
    const std::size_t hlen = d.header_len();
    if (mtu < hlen + 8) return {};
    const std::size_t chunk = (mtu - hlen) / 8 * 8;
    const Bytes payload = d.payload();
    const std::size_t base = d.fragment_offset() * 8u;
    std::vector<std::vector<std::uint8_t>> out;
    for (std::size_t at = 0; at < payload.size(); at += chunk) {
        const std::size_t n = std::min(chunk, payload.size() - at);
        const bool last = at + n == payload.size();
        std::vector<std::uint8_t> f(hlen + n);
        std::copy(d.header().begin(), d.header().end(), f.begin());
        std::copy(payload.begin() + static_cast<long>(at), payload.begin() + static_cast<long>(at + n),
                  f.begin() + static_cast<long>(hlen));
        set_fragment_fields(MutableBytes(f).first(hlen), hlen + n, !last || d.more_fragments(), base + at);
        out.push_back(std::move(f));
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> Ipv4Reassembler::add(const Ipv4View& frag, std::int64_t now_ns) {
    const Key key{frag.src().to_u32(), frag.dst().to_u32(), frag.id(), frag.protocol()};
    auto [it, fresh] = buffers_.try_emplace(key);
    Buffer& b = it->second;
    if (fresh) b.first_seen = now_ns;
    const std::size_t offset = frag.fragment_offset() * 8u;
    const Bytes payload = frag.payload();
    if (offset == 0) b.header.assign(frag.header().begin(), frag.header().end());
    if (!frag.more_fragments()) b.total = offset + payload.size();
    b.parts[offset].assign(payload.begin(), payload.end());  // a duplicate replaces its twin

    if (!b.total || b.header.empty()) return std::nullopt;
    std::size_t covered = 0;
    for (const auto& [at, bytes] : b.parts) {
        if (at > covered) return std::nullopt;  // a hole
        covered = std::max(covered, at + bytes.size());
    }
    if (covered < *b.total) return std::nullopt;

    std::vector<std::uint8_t> whole(b.header.size() + *b.total);
    std::copy(b.header.begin(), b.header.end(), whole.begin());
    for (const auto& [at, bytes] : b.parts) {
        const std::size_t n = std::min(bytes.size(), *b.total - std::min(at, *b.total));
        std::copy_n(bytes.begin(), n, whole.begin() + static_cast<long>(b.header.size() + at));
    }
    set_fragment_fields(MutableBytes(whole).first(b.header.size()), whole.size(), false, 0);
    buffers_.erase(it);
    return whole;
}

std::size_t Ipv4Reassembler::expire(std::int64_t now_ns) {
    return std::erase_if(buffers_, [&](const auto& kv) { return now_ns - kv.second.first_seen > kTimeoutNs; });
}

}  // namespace hopsim::net
