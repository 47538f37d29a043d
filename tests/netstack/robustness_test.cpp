// Parsers fed truncated, random and mutated bytes must return errors, never
// crash or read out of bounds (the ASan/UBSan build in CI proves the latter).

#include <catch2/catch.hpp>

#include <random>

#include "hopsim/netstack/arp.hpp"
#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/netstack/udp.hpp"
#include "netstack/sample_frames.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

namespace {

// Every layer and field the dissector reports lies inside the frame.
void check_in_bounds(const Dissection& d, std::size_t size) {
    for (std::size_t i = 0; i < d.layer_count; ++i) {
        const Layer& l = d.layers[i];
        REQUIRE(l.offset + l.length <= size);
        for (std::size_t k = 0; k < l.field_count; ++k)
            REQUIRE(l.fields[k].offset + l.fields[k].length <= size);
    }
    std::string json;
    append_layers_json(d, json);
    REQUIRE(json.front() == '[');
    REQUIRE(json.back() == ']');
}

void parse_all(Bytes b) {
    (void)EthernetView::parse(b);
    (void)ArpView::parse(b);
    (void)Ipv4View::parse(b);
    (void)IcmpView::parse(b);
    (void)UdpView::parse(b);
    if (auto t = TcpView::parse(b)) (void)t->payload();
    check_in_bounds(dissect(b), b.size());
}

}  // namespace

TEST_CASE("every prefix of every sample frame dissects without reading past the end", "[robustness]") {
    std::size_t cases = 0;
    for (const Frame& f : sample_frames()) {
        for (std::size_t n = 0; n <= f.size(); ++n, ++cases) {
            // A heap copy of exactly n bytes, so ASan sees any read past it.
            const Frame cut(f.begin(), f.begin() + static_cast<long>(n));
            parse_all(cut);
        }
    }
    CHECK(cases > 500);
}

TEST_CASE("random bytes and mutated frames never crash a parser", "[robustness]") {
    std::mt19937_64 rng(20261124);  // the engine's sequence is fixed by the standard
    const std::vector<Frame> samples = sample_frames();
    int errors = 0;
    for (int i = 0; i < 40000; ++i) {
        Frame f;
        if (i % 4 == 0) {
            f.resize(rng() % 128);
            for (auto& b : f) b = static_cast<std::uint8_t>(rng());
        } else {
            // Mutate a real frame so the parsers get past the first layer.
            f = samples[rng() % samples.size()];
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < flips; ++k) f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
            f.resize(rng() % (f.size() + 1));
        }
        parse_all(f);
        if (dissect(f).error) ++errors;
    }
    CHECK(errors > 1000);  // the inputs really exercised the error paths
}
