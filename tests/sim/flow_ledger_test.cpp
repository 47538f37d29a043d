// The flow ledger's one definition of "intact" and of goodput, and its
// count of drops by node and reason.

#include <catch2/catch.hpp>

#include "hopsim/sim/flow_ledger.hpp"

using namespace hopsim::sim;

namespace {
TrafficSpec spec(TrafficKind kind, std::size_t size) {
    TrafficSpec t;
    t.kind = kind;
    t.payload = Payload::pattern(size);
    return t;
}
}  // namespace

TEST_CASE("a datagram flow is intact when every datagram arrived unchanged", "[ledger]") {
    const std::vector<TrafficSpec> flows{spec(TrafficKind::Udp, 100)};
    FlowLedger ledger(flows);
    CHECK_FALSE(ledger.intact(0));  // nothing sent yet
    ledger.sent(0, 100, SimTime::ms(1));
    ledger.sent(0, 100, SimTime::ms(2));
    ledger.delivered(0, flows[0].payload.bytes(), SimTime::ms(3));
    CHECK_FALSE(ledger.intact(0));  // one of two
    ledger.delivered(0, flows[0].payload.bytes(), SimTime::ms(5));
    CHECK(ledger.intact(0));
    // 200 bytes between 1 ms and 5 ms: 1600 bits in 4 ms = 400 kbit/s.
    CHECK(*flow_goodput_bps(ledger[0]) == Approx(400'000));
}

TEST_CASE("a TCP flow is intact when the stream arrived whole and in order", "[ledger]") {
    const std::vector<TrafficSpec> flows{spec(TrafficKind::Tcp, 3000)};
    FlowLedger ledger(flows);
    ledger.stream_opened(0, 3000, SimTime());
    ledger.segment_sent(0);
    ledger.stream_delivered(0, 0, flows[0].payload.slice(0, 1000), SimTime::ms(1));
    ledger.stream_delivered(0, 1000, flows[0].payload.slice(1000, 2000), SimTime::ms(2));
    CHECK(ledger.intact(0));
    ledger.stream_delivered(0, 0, flows[0].payload.slice(5, 10), SimTime::ms(3));  // bytes at the wrong offset
    CHECK(ledger[0].mismatched);
    CHECK_FALSE(ledger.intact(0));
}

TEST_CASE("drops are kept per node and reason, in the order first seen", "[ledger]") {
    const std::vector<TrafficSpec> flows{spec(TrafficKind::Udp, 10)};
    FlowLedger ledger(flows);
    ledger.dropped(0, 3, Reason::QueueFull);
    ledger.dropped(0, 1, Reason::Loss);
    ledger.dropped(0, 3, Reason::QueueFull);
    REQUIRE(ledger[0].drops.size() == 2);
    CHECK(ledger[0].drops[0].node == 3);
    CHECK(ledger[0].drops[0].count == 2);
    CHECK(ledger[0].dropped(Reason::QueueFull) == 2);
    CHECK(ledger[0].dropped(Reason::Loss) == 1);
    CHECK(ledger[0].dropped(Reason::TtlExpired) == 0);
    CHECK_FALSE(flow_goodput_bps(ledger[0]));  // nothing delivered
}
