#pragma once
// Deterministic random streams. Each component draws from its own stream,
// derived from the scenario seed and a stable key ("link 3 loss"), so adding a
// component never shifts another's numbers. The generator (SplitMix64 seeding
// xoshiro256**) and the distributions are ours, so g++ and clang builds agree
// bit for bit (std:: distributions differ between standard libraries).

#include <cstdint>
#include <string_view>

namespace hopsim::sim {

class Rng {
public:
    Rng() : Rng(0, "") {}
    Rng(std::uint64_t seed, std::string_view key);

    std::uint64_t next();
    // Uniform in [0, 1) with 53 random bits.
    double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-64 * n).
    std::uint64_t below(std::uint64_t n);
    bool chance(double p) { return p > 0 && uniform01() < p; }

private:
    std::uint64_t s_[4];
};

// FNV-1a, 64 bit: stable hashing for stream keys and payload integrity.
std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull);

}  // namespace hopsim::sim
