#include <catch2/catch.hpp>

#include "hopsim/sim/units.hpp"

using namespace hopsim::sim;

TEST_CASE("durations need a unit and convert to nanoseconds", "[units]") {
    CHECK(parse_duration("500ns")->count() == 500);
    CHECK(parse_duration("1.5ms")->count() == 1'500'000);
    CHECK(parse_duration("20us")->count() == 20'000);
    CHECK(parse_duration("300s")->count() == 300'000'000'000);
    CHECK(parse_duration("0s")->count() == 0);
    CHECK(parse_duration("10 min")->count() == 600'000'000'000);
    CHECK(parse_duration("1h")->count() == 3'600'000'000'000);
    CHECK(parse_duration("100").error() == "unit missing in \"100\" (use ns, us, ms, s, min or h)");
    CHECK(parse_duration("10 minutes").error() == "unknown unit \"minutes\" in \"10 minutes\" (use ns, us, ms, s, min or h)");
    CHECK(parse_duration("-5ms").error() == "\"-5ms\" is negative");
    CHECK(parse_duration("ms").error() == "\"ms\" does not start with a number");
    CHECK_FALSE(parse_duration("1e9s"));
}

TEST_CASE("rates need a unit and stay within sane bounds", "[units]") {
    CHECK(*parse_rate_bps("100Mbps") == 100'000'000);
    CHECK(*parse_rate_bps("1Gbps") == 1'000'000'000);
    CHECK(*parse_rate_bps("9.6kbps") == 9'600);
    CHECK(parse_rate_bps("100").error() == "unit missing in \"100\" (use bps, kbps, Mbps or Gbps)");
    CHECK(parse_rate_bps("100mbit").error().find("unknown unit \"mbit\"") == 0);
    CHECK(parse_rate_bps("10bps").error() == "\"10bps\" is outside 1kbps..1000Gbps");
    CHECK(format_rate(100'000'000) == "100Mbps");
    CHECK(format_rate(1'500'000'000) == "1.5Gbps");
}

TEST_CASE("times print in the largest unit that reads well", "[units]") {
    CHECK(SimTime::ns(750).to_string() == "750ns");
    CHECK(SimTime::us(20).to_string() == "20us");
    CHECK(SimTime::ns(1'500'000).to_string() == "1.5ms");
    CHECK(SimTime::s(300).to_string() == "300s");
}

TEST_CASE("decimal durations round to the nearest nanosecond on every platform", "[units]") {
    // Worked by hand: 0.1 ms is 100,000 ns; 1.0000001 s is 1,000,000,100 ns;
    // 0.0000005 ms is half a nanosecond (rounds away from zero, as llround does).
    CHECK(parse_duration("0.1ms")->count() == 100'000);
    CHECK(parse_duration("2.5us")->count() == 2'500);
    CHECK(parse_duration("1.0000001s")->count() == 1'000'000'100);
    CHECK(parse_duration("0.0000005ms")->count() == 1);
    CHECK(parse_duration("000.250ms")->count() == 250'000);
    // More than 15 significant digits: 1/3 us to 19 digits is 333.33... ns.
    CHECK(parse_duration("0.3333333333333333333us")->count() == 333);
    CHECK(parse_duration("12345678901234567.5ns")->count() == 12'345'678'901'234'568);
    const auto huge = parse_duration(std::string(400, '9') + "ns");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().find("out of range") != std::string::npos);
}
