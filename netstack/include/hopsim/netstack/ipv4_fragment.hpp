#pragma once
// IPv4 fragmentation and reassembly (RFC 791 section 3.2, RFC 815's hole
// idea in its simplest form). Time is an argument, as everywhere in netstack.

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "hopsim/netstack/ipv4.hpp"

namespace hopsim::net {

// Splits a datagram into fragments whose total length fits `mtu`. Every
// fragment's payload but the last is a multiple of 8 bytes; options are
// copied into every fragment (hopsim sends none that RFC 791 says not to copy).
// The datagram's own MF and offset are honoured, so a fragment can be split
// again. Returns nothing if mtu leaves no room for 8 payload bytes.
std::vector<std::vector<std::uint8_t>> fragment_ipv4(const Ipv4View& datagram, std::size_t mtu);

class Ipv4Reassembler {
public:
    // Linux's net.ipv4.ipfrag_time.
    static constexpr std::int64_t kTimeoutNs = 30'000'000'000;

    // Adds one fragment; returns the whole datagram once every byte is there.
    std::optional<std::vector<std::uint8_t>> add(const Ipv4View& fragment, std::int64_t now_ns);
    // Forgets incomplete datagrams older than the timeout; returns how many.
    std::size_t expire(std::int64_t now_ns);
    std::size_t pending() const { return buffers_.size(); }

private:
    using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint16_t, std::uint8_t>;  // src dst id proto
    struct Buffer {
        std::int64_t first_seen = 0;
        std::vector<std::uint8_t> header;                        // from the fragment at offset 0
        std::map<std::size_t, std::vector<std::uint8_t>> parts;  // payload offset -> bytes
        std::optional<std::size_t> total;                        // payload length, once the last fragment is in
    };
    std::map<Key, Buffer> buffers_;
};

}  // namespace hopsim::net
