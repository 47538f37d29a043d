#pragma once
// A flow's application bytes. Given in the scenario as text or hex they are
// stored as they are; given as {"size": N} they are the printable pattern
// byte i = 0x20 + i % 95, which repeats, so only one period plus the longest
// slice anyone asks for is kept: a 100 MB transfer costs 64 KiB, not 100 MB.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "hopsim/netstack/bytes.hpp"

namespace hopsim::sim {

class Payload {
public:
    static constexpr std::size_t kPeriod = 95;
    static constexpr std::size_t kMaxSlice = 65536;  // the longest slice() of a large pattern

    Payload() = default;
    explicit Payload(std::vector<std::uint8_t> bytes) : data_(std::move(bytes)), size_(data_.size()) {}
    static Payload pattern(std::size_t n);

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // Bytes [offset, offset + n), valid while this Payload lives; n <= kMaxSlice
    // unless the payload is small enough to be stored whole.
    net::Bytes slice(std::size_t offset, std::size_t n) const;
    // The whole payload, for one datagram or ping (at most kMaxSlice bytes).
    net::Bytes bytes() const { return slice(0, size_); }
    // True if `data` is exactly the payload's bytes from `offset` on.
    bool matches(std::size_t offset, net::Bytes data) const;
    std::vector<std::uint8_t> to_vector() const;  // every byte, for the kernel's sockets
    std::uint64_t fnv1a64() const;

private:
    std::vector<std::uint8_t> data_;
    std::size_t size_ = 0;
    bool periodic_ = false;  // data_ holds kPeriod + kMaxSlice bytes of the pattern
};

}  // namespace hopsim::sim
