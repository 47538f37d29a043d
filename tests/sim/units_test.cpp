#include <catch2/catch.hpp>

#include "hopsim/sim/units.hpp"

using namespace hopsim::sim;

TEST_CASE("durations need a unit and convert to nanoseconds", "[units]") {
    CHECK(parse_duration("500ns")->count() == 500);
    CHECK(parse_duration("1.5ms")->count() == 1'500'000);
    CHECK(parse_duration("20us")->count() == 20'000);
    CHECK(parse_duration("300s")->count() == 300'000'000'000);
    CHECK(parse_duration("0s")->count() == 0);
    CHECK(parse_duration("100").error() == "unit missing in \"100\" (use ns, us, ms or s)");
    CHECK(parse_duration("10 min").error() == "unknown unit \"min\" in \"10 min\" (use ns, us, ms or s)");
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
