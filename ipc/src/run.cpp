#include "hopsim/ipc/run.hpp"

#include "hopsim/ipc/paths.hpp"
#include "sides.hpp"
#include "two_processes.hpp"

namespace hopsim::ipc {

namespace {

constexpr std::pair<Fault::Kind, std::string_view> kFaultNames[] = {
    {Fault::Kind::None, "none"},
    {Fault::Kind::ConsumerDies, "consumer-dies"},
    {Fault::Kind::ProducerDies, "producer-dies"},
    {Fault::Kind::SlowConsumer, "slow-consumer"},
    {Fault::Kind::ProducerPauses, "producer-pauses"},
    {Fault::Kind::CorruptByte, "corrupt-byte"},
};

// One sentence for what went wrong, the consumer's side first: it is the
// one that checks, and the producer's error usually follows from it.
std::string first_error(const PairOutcome& p, std::chrono::seconds timeout) {
    std::string s;
    auto add = [&](const std::string& part) { s += (s.empty() ? "" : "; ") + part; };
    if (p.timed_out) add("stopped after the " + std::to_string(timeout.count()) + " s timeout");
    if (p.interrupted) return "interrupted: both sides were stopped";
    for (auto [who, side] : {std::pair{"consumer", &p.consumer}, std::pair{"producer", &p.producer}}) {
        if (!side->error.empty())
            add(std::string(who) + ": " + side->error);
        else if (!side->clean)
            add(std::string(who) + " " + side->ended);
    }
    return s;
}

Result<PairOutcome, std::string> run_workload(const RunPlan& plan, Workload w, Shared& sh, const SideMain& producer,
                                              const SideMain& consumer) {
    auto dir = WorkDir::make(plan.base_dir);
    if (!dir) return Unexpected{dir.error()};
    TransportSettings s{dir->path(), std::max(plan.message_size, plan.ping_size), plan.idle_timeout, w};
    auto t = make_transport(plan.transport, s);
    if (Error e = t->prepare(); !e.empty()) return Unexpected{e};
    return run_pair(*t, sh, producer, consumer, plan.idle_timeout, plan.timeout, plan.progress);
}

}  // namespace

std::optional<Fault::Kind> parse_fault(std::string_view name) {
    for (auto [k, n] : kFaultNames)
        if (n == name) return k;
    return std::nullopt;
}

std::string_view fault_name(Fault::Kind k) {
    for (auto [kind, n] : kFaultNames)
        if (kind == k) return n;
    return "?";
}

Result<TransportOutcome, std::string> run_transport(const RunPlan& plan) {
    const std::string name(transport_name(plan.transport));
    if (!plan.source) return Unexpected{std::string("nothing to send")};
    if (plan.message_size == 0) return Unexpected{std::string("the message size must be at least 1 byte")};
    if (plan.message_size > max_message_size(plan.transport))
        return Unexpected{name + " carries at most " + std::to_string(max_message_size(plan.transport)) +
                          " bytes per message, not " + std::to_string(plan.message_size) + "; use a smaller --message-size"};
    if (plan.round_trips > 0 && plan.ping_size == 0) return Unexpected{std::string("the round-trip message is empty")};

    TransportOutcome out;
    out.transport = plan.transport;
    BulkOutcome& b = out.bulk;
    b.bytes_expected = plan.source->size();
    {
        SharedPage page;
        Shared& sh = page.get();
        auto pair = run_workload(
            plan, Workload::Bulk, sh, [&](Channel& c, Shared& s) { return bulk_producer(c, s, plan); },
            [&](Channel& c, Shared& s) { return bulk_consumer(c, s, plan); });
        if (!pair) {
            b.error = pair.error();
            return out;
        }
        b.producer = pair->producer, b.consumer = pair->consumer;
        out.interrupted = pair->interrupted;
        b.bytes_sent = sh.sent, b.bytes_checked = sh.checked.load(), b.messages_sent = sh.messages, b.reads = sh.reads;
        b.error = first_error(*pair, plan.timeout);
        b.intact = sh.intact && b.error.empty();
        if (sh.end_ns > sh.start_ns) b.seconds = static_cast<double>(sh.end_ns - sh.start_ns) / 1e9;
        if (sh.producer_end_ns > sh.start_ns) b.producer_seconds = static_cast<double>(sh.producer_end_ns - sh.start_ns) / 1e9;
    }
    // Round trips measure the transport, not a fault: they run on a healthy pair only.
    if (plan.round_trips == 0 || plan.fault.kind != Fault::Kind::None || out.interrupted) return out;
    RunPlan rt = plan;
    if (plan.progress) rt.progress = [&](std::uint64_t) { return plan.progress(b.bytes_checked); };
    SharedPage page;
    Shared& sh = page.get();
    auto pair = run_workload(
        rt, Workload::RoundTrip, sh, [&](Channel& c, Shared& s) { return round_trip_producer(c, s, rt); },
        [&](Channel& c, Shared& s) { return echo_consumer(c, s, rt); });
    RoundTripOutcome& r = out.round_trip.emplace();
    if (!pair) {
        r.error = pair.error();
        return out;
    }
    r.error = first_error(*pair, plan.timeout);
    out.interrupted = pair->interrupted;
    r.round_trips = sh.round_trips;
    r.p50_us = sh.p50_us, r.p99_us = sh.p99_us, r.max_us = sh.max_us;
    return out;
}

}  // namespace hopsim::ipc
