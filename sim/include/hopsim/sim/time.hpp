#pragma once
// Simulated time: int64 nanoseconds in a strong type, with named constructors
// and no implicit conversion from double (STYLE rule 5).

#include <compare>
#include <cstdint>
#include <string>

namespace hopsim::sim {

class SimTime {
public:
    constexpr SimTime() = default;
    static constexpr SimTime ns(std::int64_t v) { return SimTime(v); }
    static constexpr SimTime us(std::int64_t v) { return SimTime(v * 1'000); }
    static constexpr SimTime ms(std::int64_t v) { return SimTime(v * 1'000'000); }
    static constexpr SimTime s(std::int64_t v) { return SimTime(v * 1'000'000'000); }
    static constexpr SimTime max() { return SimTime(INT64_MAX); }

    constexpr std::int64_t count() const { return ns_; }
    constexpr SimTime operator+(SimTime o) const { return SimTime(ns_ + o.ns_); }
    constexpr SimTime operator-(SimTime o) const { return SimTime(ns_ - o.ns_); }
    constexpr SimTime& operator+=(SimTime o) {
        ns_ += o.ns_;
        return *this;
    }
    constexpr SimTime operator*(std::int64_t k) const { return SimTime(ns_ * k); }
    constexpr auto operator<=>(const SimTime&) const = default;

    // "1.5ms", "300s", "20us", "750ns": the largest unit that keeps 3 decimals.
    std::string to_string() const;

private:
    constexpr explicit SimTime(std::int64_t v) : ns_(v) {}
    std::int64_t ns_ = 0;
};

}  // namespace hopsim::sim
