#include "hopsim/sim/payload.hpp"

#include <algorithm>
#include <cassert>

#include "hopsim/sim/rng.hpp"

namespace hopsim::sim {

Payload Payload::pattern(std::size_t n) {
    Payload p;
    p.size_ = n;
    p.periodic_ = n > kPeriod + kMaxSlice;
    p.data_.resize(p.periodic_ ? kPeriod + kMaxSlice : n);
    for (std::size_t i = 0; i < p.data_.size(); ++i) p.data_[i] = static_cast<std::uint8_t>(0x20 + i % kPeriod);
    return p;
}

net::Bytes Payload::slice(std::size_t offset, std::size_t n) const {
    assert(offset + n <= size_);
    if (!periodic_) return net::Bytes(data_).subspan(offset, n);
    assert(n <= kMaxSlice);
    return net::Bytes(data_).subspan(offset % kPeriod, n);
}

bool Payload::matches(std::size_t offset, net::Bytes data) const {
    if (offset > size_ || data.size() > size_ - offset) return false;
    for (std::size_t done = 0; done < data.size();) {
        const std::size_t n = std::min(kMaxSlice, data.size() - done);
        const net::Bytes want = slice(offset + done, n);
        if (!std::equal(want.begin(), want.end(), data.begin() + static_cast<long>(done))) return false;
        done += n;
    }
    return true;
}

std::vector<std::uint8_t> Payload::to_vector() const {
    if (!periodic_) return data_;
    std::vector<std::uint8_t> out;
    out.reserve(size_);
    for (std::size_t done = 0; done < size_; done += kMaxSlice) {
        const net::Bytes s = slice(done, std::min(kMaxSlice, size_ - done));
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

std::uint64_t Payload::fnv1a64() const {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::size_t done = 0; done < size_; done += kMaxSlice) {
        const net::Bytes s = slice(done, std::min(kMaxSlice, size_ - done));
        h = sim::fnv1a64(s.data(), s.size(), h);
    }
    return h;
}

}  // namespace hopsim::sim
