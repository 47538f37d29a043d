#include "hopsim/real/compare.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/summary.hpp"
#include "real_flow_json.hpp"

namespace hopsim::real {

using namespace sim;

namespace {

// The flow's own drops in the simulation that a lossless loopback cannot
// have: link loss, full queues, collisions, ARP giving up, a datagram too big
// for a small-MTU link (loopback's MTU is 65536). "3 loss at R1:eth1, 134
// queue-full at R2", or empty.
std::string own_losses(const Scenario& sc, const FlowStats& f) {
    std::string out;
    for (const FlowDrop& d : f.drops) {
        if (d.reason != Reason::Loss && d.reason != Reason::QueueFull && d.reason != Reason::Collision &&
            d.reason != Reason::ArpQueueFull && d.reason != Reason::ArpTimeout && d.reason != Reason::TooBig)
            continue;
        out += fmt::format("{}{} {} at {}", out.empty() ? "" : ", ", d.count, to_string(d.reason),
                           sc.nodes[static_cast<std::size_t>(d.node)].id);
    }
    return out;
}

// FNV-1a of what the flow should deliver: the payload once (tcp) or per datagram.
std::string integrity(const TrafficSpec& t, bool intact) {
    if (!intact) return "-";
    return fmt::format("{:016x}", t.payload.fnv1a64());
}

std::string goodput(const FlowStats& f) {
    const auto bps = flow_goodput_bps(f);
    if (!bps) return "-";
    return fmt::format("{} / {:.1f} Mbit/s", (f.last_deliver - f.first_send).to_string(), *bps / 1e6);
}

}  // namespace

std::vector<FlowVerdict> compare_flows(const Scenario& sc, const Network& sim, const RealRun& real) {
    std::vector<FlowVerdict> out(sc.traffic.size());
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        FlowVerdict& v = out[i];
        const RealFlow& rf = real.flows[i];
        const FlowStats& s = sim.flows[static_cast<int>(i)];
        if (!rf.replayed) {
            v.reason = rf.note;
            continue;
        }
        v.compared = true;
        const bool sim_ok = sim.flows.intact(static_cast<int>(i));
        const bool real_ok = real_flow_intact(sc, real, static_cast<int>(i));
        if (sim_ok == real_ok && s.delivered_bytes == rf.stats.delivered_bytes) {
            v.agree = true;
            v.reason = sim_ok ? fmt::format("both delivered the same {} bytes intact", s.delivered_bytes)
                              : fmt::format("both failed alike ({})", rf.note.empty() ? "not intact" : rf.note);
            if (s.retransmissions) v.reason += fmt::format("; the simulation needed {} retransmissions", s.retransmissions);
            continue;
        }
        v.reason = fmt::format("simulated {} bytes ({}), real {} bytes ({})", s.delivered_bytes, sim_ok ? "intact" : "not intact",
                               rf.stats.delivered_bytes, real_ok ? "intact" : "not intact");
        const TrafficSpec& t = sc.traffic[i];
        if (t.kind == TrafficKind::Udp && rf.stats.delivered_bytes < s.delivered_bytes && real.kernel_udp_drops > 0) {
            v.by_design = true;  // measured, not modelled: the loss is the real side's
            v.reason += fmt::format("; the real side lost them: the kernel dropped {} datagrams in full socket receive "
                                    "buffers during the replay (/proc/net/snmp RcvbufErrors)",
                                    real.kernel_udp_drops);
        } else if (const std::string lost = own_losses(sc, s); !lost.empty() && s.delivered_bytes < rf.stats.delivered_bytes) {
            // Judged by this flow's own drops: a lossy link elsewhere in the
            // scenario excuses nothing, a full queue on a lossless path does.
            v.by_design = true;
            v.reason += "; by design: the simulated flow lost frames (" + lost + ") and loopback loses none";
        } else if (!rf.note.empty()) {
            v.reason += "; real: " + rf.note;
        }
    }
    return out;
}

std::string compare_table(const Scenario& sc, const Network& sim, const RealRun& real, const std::vector<FlowVerdict>& verdicts) {
    std::string out = fmt::format("{}: simulated vs real (loopback) delivery\n\n", sc.name.empty() ? "scenario" : sc.name);
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        const FlowVerdict& v = verdicts[i];
        const FlowStats& s = sim.flows[static_cast<int>(i)];
        const RealFlow& rf = real.flows[i];
        const char* verdict = !v.compared ? "not compared" : v.agree ? "agree" : v.by_design ? "differ (by design)" : "DIFFER";
        out += fmt::format("flow {} ({} {} -> {}): {}\n", t.id, to_string(t.kind), sc.nodes[static_cast<std::size_t>(t.from)].id,
                           !t.to_name.empty() ? t.to_name
                           : t.to_node >= 0   ? sc.nodes[static_cast<std::size_t>(t.to_node)].id
                                              : t.to_ip.to_string(),
                           verdict);
        if (v.compared) {
            const bool sim_ok = sim.flows.intact(static_cast<int>(i)), real_ok = real_flow_intact(sc, real, static_cast<int>(i));
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "", "simulated", "real");
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "bytes delivered", s.delivered_bytes, rf.stats.delivered_bytes);
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "intact", sim_ok ? "yes" : "no", real_ok ? "yes" : "no");
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "payload hash", integrity(t, sim_ok), integrity(t, real_ok));
            if (t.kind == TrafficKind::Tcp) {
                out += fmt::format("  {:<18} {:>24} {:>24}\n", "data segments", s.sent_packets, rf.stats.sent_packets);
                out += fmt::format("  {:<18} {:>24} {:>24}\n", "all segments sent", s.segments_sent, rf.stats.segments_sent);
            } else
                out += fmt::format("  {:<18} {:>24} {:>24}\n", "datagrams", fmt::format("{}/{}", s.delivered_packets, s.sent_packets),
                                   fmt::format("{}/{}", rf.stats.delivered_packets, rf.stats.sent_packets));
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "retransmissions", s.retransmissions, rf.stats.retransmissions);
            out += fmt::format("  {:<18} {:>24} {:>24}\n", "duration/goodput", goodput(s), goodput(rf.stats));
        }
        out += fmt::format("  {}\n\n", v.reason);
    }
    out += "Timing differs by design: simulated links have the scenario's bandwidth and delay, loopback has neither,\n"
           "and loopback's MTU of 65536 lets the kernel send far fewer, larger segments.\n";
    return out;
}

std::string compare_json(const Scenario& sc, const Network& sim, const RealRun& real, const std::vector<FlowVerdict>& verdicts) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["scenario"] = sc.name;
    j["flows"] = Json::array();
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        const RealFlow& rf = real.flows[i];
        // Identity once; then the two sides with the same fields and meanings.
        Json flow = sim::detail::flow_identity(sc, t);
        flow["agree"] = verdicts[i].compared ? Json(verdicts[i].agree) : Json();
        flow["by_design"] = verdicts[i].by_design;
        flow["reason"] = verdicts[i].reason;
        flow["replayed"] = rf.replayed;
        if (!rf.note.empty()) flow["real_note"] = rf.note;
        flow["sim"] = sim::detail::flow_counters(t, sim.flows[static_cast<int>(i)], sim.flows.intact(static_cast<int>(i)));
        flow["real"] = sim::detail::flow_counters(t, rf.stats, real_flow_intact(sc, real, static_cast<int>(i)));
        j["flows"].push_back(std::move(flow));
    }
    return j.dump(2) + "\n";
}

}  // namespace hopsim::real
