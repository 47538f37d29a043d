#include "hopsim/sim/expect_check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/sim/follow.hpp"
#include "hopsim/sim/router.hpp"
#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::sim {

bool Count::holds(std::int64_t v) const {
    if (exactly) return v == *exactly;
    return (!min || v >= *min) && (!max || v <= *max);
}

std::string Count::text() const {
    if (exactly) return std::to_string(*exactly);
    if (min && max) return fmt::format("between {} and {}", *min, *max);
    return min ? fmt::format("at least {}", *min) : fmt::format("at most {}", *max);
}

namespace {

using Entries = std::map<std::string, std::string>;  // a table as key -> value, as the summary prints it

Entries table_now(const Simulation& s, const Expectation& e) {
    Entries t;
    if (e.table == Table::Mac) {
        for (const auto& m : s.mac_table(e.node)) {
            // A VLAN-aware switch's entry answers to "MAC vlan N", and to the bare MAC for its first VLAN.
            t.emplace(m.mac.to_string(), std::to_string(m.port + 1));
            if (m.vid) t[fmt::format("{} vlan {}", m.mac.to_string(), m.vid)] = std::to_string(m.port + 1);
        }
    } else if (e.table == Table::Stp) {
        if (const SpanningTree* stp = s.spanning_tree(e.node)) {
            t["root"] = stp->root_id().to_string();
            t["root_port"] = stp->root_port() ? std::to_string(*stp->root_port() + 1) : "-";
            t["root_path_cost"] = std::to_string(stp->root_path_cost());
            for (int p = 0; p < s.scenario().nodes[static_cast<std::size_t>(e.node)].ports; ++p)
                if (s.scenario().link_at(e.node, p) >= 0) t["port " + std::to_string(p + 1)] = to_string(stp->state(p));
        }
    } else if (e.table == Table::Arp) {
        for (const auto& a : s.arp_table(e.node)) t[a.ip.to_string()] = a.mac.to_string();
    } else if (e.table == Table::Nat) {
        if (const Router* r = s.router(e.node); r && r->nat())
            for (const NatMapping& m : r->nat()->mappings()) t[r->nat()->key(m)] = NatTable::value(m);
    } else
        for (const std::string& r : s.routes(e.node)) t[r.substr(0, r.find(' '))] = r.find(' ') == std::string::npos ? "" : r.substr(r.find(' ') + 1);
    return t;
}

// "frame" after "exactly 1" or "at least 1", "frames" otherwise.
const char* plural(const Count& n) { return n.exactly == 1 || (n.min == 1 && !n.max) ? "" : "s"; }

std::string node_id(const Scenario& sc, int n) { return n < 0 ? std::string("any node") : sc.nodes[static_cast<std::size_t>(n)].id; }

// A frame in a few words: "ARP who-has 10.0.0.2", "IPv4 10.0.0.1 > 10.0.0.2 ICMP type 8".
std::string frame_words(const net::Dissection& d) {
    auto v = [&](const char* layer, const char* field) { return d.text(layer, field); };
    if (!v("arp", "op").empty()) return fmt::format("ARP {} {}", v("arp", "op") == "1" ? "who-has" : "reply from", v("arp", v("arp", "op") == "1" ? "tpa" : "spa"));
    if (v("ipv4", "src").empty()) return fmt::format("frame {} > {}", v("eth", "src"), v("eth", "dst"));
    std::string s = fmt::format("IPv4 {} > {}", v("ipv4", "src"), v("ipv4", "dst"));
    if (!v("icmp", "type").empty()) s += " ICMP type " + v("icmp", "type");
    if (!v("tcp", "flags").empty()) s += " TCP " + v("tcp", "flags");
    if (!v("udp", "dport").empty()) s += " UDP port " + v("udp", "dport");
    return s;
}

bool matches(const net::Dissection& d, const std::vector<std::pair<std::string, std::string>>& match) {
    for (const auto& [name, want] : match) {
        const auto dot = name.find('.');
        if (d.text(std::string_view(name).substr(0, dot), std::string_view(name).substr(dot + 1)) != want) return false;
    }
    return true;
}

bool in_window(const Expectation& e, std::int64_t t) { return t >= e.after.count() && t < e.before.count(); }

std::string window_words(const Expectation& e) {
    std::string w;
    if (e.after.count() > 0) w += " after " + e.after.to_string();
    if (e.before != SimTime::max()) w += " before " + e.before.to_string();
    return w;
}

class Checker {
public:
    Checker(const Scenario& sc, const Simulation& s, const std::vector<RecordedEvent>& events) : sc_(sc), sim_(s), events_(events) {}

    ExpectResult flow(const Expectation& e) const {
        const TrafficSpec& t = sc_.traffic[static_cast<std::size_t>(e.flow)];
        const FlowStats& f = sim_.network().flows[e.flow];
        ExpectResult r{e.id, "", "", true, e.points};
        std::vector<std::string> want, saw;
        auto check = [&](bool ok, std::string w, std::string s) {
            r.pass = r.pass && ok;
            want.push_back(std::move(w));
            saw.push_back(std::move(s));
        };
        const bool all = f.sent_packets > 0 && (t.kind == TrafficKind::Tcp ? f.delivered_bytes == f.sent_bytes && f.sent_bytes > 0
                                                                          : f.delivered_packets >= f.sent_packets);
        if (e.delivered)
            check(*e.delivered ? all : f.delivered_packets == 0, *e.delivered ? "everything delivered" : "nothing delivered",
                  fmt::format("{} of {} {} delivered", t.kind == TrafficKind::Tcp ? f.delivered_bytes : f.delivered_packets,
                              t.kind == TrafficKind::Tcp ? f.sent_bytes : f.sent_packets, t.kind == TrafficKind::Tcp ? "bytes" : "packets"));
        if (e.intact) {
            const bool intact = sim_.network().flows.intact(e.flow);
            check(intact == *e.intact, *e.intact ? "intact" : "not intact", intact ? "intact" : "not intact");
        }
        if (e.reached) {
            const bool reached = std::any_of(f.hops.begin(), f.hops.end(), [](const TraceHop& h) { return h.reached; });
            check(reached == *e.reached, *e.reached ? "the destination answered" : "the destination never answered",
                  reached ? "it answered" : "it never answered");
        }
        if (e.state) {
            const std::string state = !f.failure ? "ok" : std::string(f.failure) == "connection refused" ? "refused"
                                                      : std::string(f.failure) == "connection reset by peer" ? "reset" : "timed-out";
            check(state == *e.state, "state " + *e.state, f.failure ? std::string(f.failure) : "no failure");
        }
        for (const auto& [name, n] : e.counters) {
            const std::int64_t v = static_cast<std::int64_t>(name == "sent_packets" ? f.sent_packets
                                                             : name == "delivered_packets" ? f.delivered_packets
                                                             : name == "sent_bytes" ? f.sent_bytes
                                                             : name == "delivered_bytes" ? f.delivered_bytes
                                                             : name == "retransmissions" ? f.retransmissions
                                                             : name == "segments_sent" ? f.segments_sent
                                                                                       : f.echoed_bytes);
            check(n.holds(v), fmt::format("{} {}", name, n.text()), fmt::format("{} {}", name, v));
        }
        r.expected = fmt::format("flow {}: {}", t.id, join(want));
        r.evidence = join(saw);
        // Where the flow's packets died, the first thing a student needs when it failed.
        std::vector<std::string> lost;
        for (const FlowDrop& d : f.drops) lost.push_back(fmt::format("{} {} at {}", d.count, to_string(d.reason), node_id(sc_, d.node)));
        if (!r.pass && !lost.empty()) r.evidence += " (lost: " + join(lost) + ")";
        if (!r.pass && f.failure) r.evidence += fmt::format(" ({})", f.failure);
        return r;
    }

    ExpectResult frames(const Expectation& e) const {
        std::int64_t n = 0;
        std::string first;
        for (const RecordedEvent& ev : events_) {
            if (ev.node != e.node || ev.ev != (e.sends ? Ev::Tx : Ev::Rx) || !in_window(e, ev.t)) continue;
            const net::Dissection d = net::dissect(ev.bytes);
            if (!matches(d, e.match)) continue;
            ++n;
            if (first.empty()) first = fmt::format("first at {}: {}", SimTime::ns(ev.t).to_string(), frame_words(d));
        }
        std::string what;
        for (const auto& [k, v] : e.match) what += fmt::format("{}{}={}", what.empty() ? " with " : ", ", k, v);
        return {e.id,
                fmt::format("{} {} {} frame{}{}{}", node_id(sc_, e.node), e.sends ? "sends" : "receives", e.count.text(),
                            plural(e.count), what, window_words(e)),
                fmt::format("{} {}{}", n, n == 1 ? "frame" : "frames", first.empty() ? "" : " (" + first + ")"), e.count.holds(n), e.points};
    }

    ExpectResult table(const Expectation& e, const Entries& t) const {
        ExpectResult r{e.id, "", "", true, e.points};
        const char* which = e.table == Table::Mac   ? "MAC table"
                            : e.table == Table::Arp ? "ARP cache"
                            : e.table == Table::Stp ? "spanning tree"
                            : e.table == Table::Nat ? "NAT table"
                                                    : "routing table";
        std::vector<std::string> want, saw;
        for (const auto& [key, value] : e.contains) {
            auto it = t.find(key);
            const bool ok = it != t.end() && (!value || it->second == *value);
            r.pass = r.pass && ok;
            want.push_back(value ? fmt::format("{} -> {}", key, *value) : key);
            saw.push_back(it == t.end() ? fmt::format("no {}", key) : fmt::format("{} -> {}", key, it->second));
        }
        for (const std::string& key : e.lacks) {
            auto it = t.find(key);
            r.pass = r.pass && it == t.end();
            want.push_back("no " + key);
            saw.push_back(it == t.end() ? "no " + key : fmt::format("{} -> {}", key, it->second));
        }
        r.expected = fmt::format("{}'s {} {}has {}", node_id(sc_, e.node), which, e.at ? "at " + e.at->to_string() + " " : "", join(want));
        r.evidence = join(saw);
        return r;
    }

    ExpectResult packet(const Expectation& e) const {
        const TrafficSpec& t = sc_.traffic[static_cast<std::size_t>(e.flow)];
        ExpectResult r{e.id, fmt::format("packet {} of flow {}", e.packet_n, t.id), "", false, e.points};
        std::uint64_t pkt = 0;
        int seen = 0;
        for (const RecordedEvent& ev : events_)
            if (ev.ev == Ev::Send && ev.flow == e.flow && ++seen == e.packet_n) {
                pkt = ev.pkt;
                break;
            }
        std::vector<std::string> want;
        if (!e.path.empty()) {
            std::string p;
            for (int n : e.path) p += (p.empty() ? "" : " > ") + node_id(sc_, n);
            want.push_back("goes " + p);
        }
        for (const auto& [n, ttl] : e.ttl_at) want.push_back(fmt::format("arrives at {} with TTL {}", node_id(sc_, n), ttl));
        r.expected += " " + join(want);
        if (!pkt) {
            r.evidence = fmt::format("the flow sent {} packet{}", seen, seen == 1 ? "" : "s");
            return r;
        }
        const std::vector<HopTable> tables = hop_tables(sc_, events_, pkt);
        if (tables.empty()) {
            r.evidence = "it was never received";
            return r;
        }
        const HopTable& h = tables.front();
        std::vector<int> path;
        for (const RecordedEvent& ev : events_)
            if (ev.ev == Ev::Send && ev.pkt == pkt) {
                path.push_back(ev.node);
                break;
            }
        std::vector<std::pair<int, std::size_t>> columns;  // node, column
        for (std::size_t c = 0; c < h.hops.size(); ++c) {
            if (h.hops[c].rfind("dropped at", 0) == 0) continue;
            const int node = sc_.find_node(h.hops[c].substr(0, h.hops[c].rfind(':')));
            columns.emplace_back(node, c);
            if (path.empty() || path.back() != node) path.push_back(node);
        }
        // Switches and hubs on the way may be left out of the expected path.
        const bool bridges_named = std::any_of(e.path.begin(), e.path.end(), [&](int n) {
            return sc_.nodes[static_cast<std::size_t>(n)].kind == NodeKind::Switch || sc_.nodes[static_cast<std::size_t>(n)].kind == NodeKind::Hub;
        });
        if (!bridges_named)
            std::erase_if(path, [&](int n) {
                return sc_.nodes[static_cast<std::size_t>(n)].kind == NodeKind::Switch || sc_.nodes[static_cast<std::size_t>(n)].kind == NodeKind::Hub;
            });
        std::vector<std::string> saw;
        r.pass = true;
        if (!e.path.empty()) {
            std::string p;
            for (std::size_t i = 0; i < path.size(); ++i) {
                if (path.size() > 12 && i == 9) {  // a routing loop: the start, the count, the end
                    p += fmt::format(" > ... ({} hops in all)", path.size() - 1);
                    i = path.size() - 2;
                    continue;
                }
                p += (p.empty() ? "" : " > ") + node_id(sc_, path[i]);
            }
            if (h.hops.size() && h.hops.back().rfind("dropped at", 0) == 0) p += " (" + h.hops.back() + ")";
            saw.push_back("went " + p);
            r.pass = path == e.path;
        }
        const auto ttl_row = std::find(h.fields.begin(), h.fields.end(), "ipv4.ttl") - h.fields.begin();
        for (const auto& [n, ttl] : e.ttl_at) {
            const int node = n;  // clang 14 cannot capture a structured binding
            auto col = std::find_if(columns.begin(), columns.end(), [node](const auto& c) { return c.first == node; });
            if (col == columns.end() || static_cast<std::size_t>(ttl_row) == h.fields.size()) {
                saw.push_back(fmt::format("never reached {}", node_id(sc_, n)));
                r.pass = false;
                continue;
            }
            const std::string got = h.cells[static_cast<std::size_t>(ttl_row)][col->second];
            saw.push_back(fmt::format("TTL {} at {}", got, node_id(sc_, n)));
            r.pass = r.pass && got == std::to_string(ttl);
        }
        r.evidence = join(saw);
        return r;
    }

    ExpectResult drops(const Expectation& e) const {
        std::int64_t n = 0;
        std::string first;
        for (const RecordedEvent& ev : events_) {
            if (ev.ev != Ev::Drop || !in_window(e, ev.t) || (e.node >= 0 && ev.node != e.node)) continue;
            if (e.reason && ev.reason != to_string(*e.reason)) continue;
            ++n;
            if (first.empty()) first = fmt::format("first at {} at {}: {}", SimTime::ns(ev.t).to_string(), node_id(sc_, ev.node), ev.reason);
        }
        return {e.id,
                fmt::format("{} {}drop{} at {}{}", e.count.text(), e.reason ? std::string(to_string(*e.reason)) + " " : "",
                            plural(e.count), node_id(sc_, e.node), window_words(e)),
                fmt::format("{} drop{}{}", n, n == 1 ? "" : "s", first.empty() ? "" : " (" + first + ")"), e.count.holds(n), e.points};
    }

    ExpectResult collisions(const Expectation& e) const {
        std::int64_t n = 0;
        for (const RecordedEvent& ev : events_)
            if (ev.ev == Ev::Collision && in_window(e, ev.t) && (e.node < 0 || ev.node == e.node)) ++n;
        return {e.id, fmt::format("{} collision{} at {}{}", e.count.text(), plural(e.count), node_id(sc_, e.node), window_words(e)),
                fmt::format("{} collision{}", n, n == 1 ? "" : "s"), e.count.holds(n), e.points};
    }

private:
    static std::string join(const std::vector<std::string>& parts) {
        std::string s;
        for (const std::string& p : parts) s += (s.empty() ? "" : ", ") + p;
        return s;
    }

    const Scenario& sc_;
    const Simulation& sim_;
    const std::vector<RecordedEvent>& events_;
};

}  // namespace

std::vector<ExpectResult> check_expectations(const Scenario& sc) {
    Simulation simulation(sc);
    RecorderSink recorder;
    simulation.tracer().add(&recorder);
    // Tables asked for at an instant: the run pauses there to read them.
    std::vector<std::pair<SimTime, std::size_t>> stops;
    for (std::size_t i = 0; i < sc.expect.size(); ++i)
        if (sc.expect[i].kind == ExpectKind::Table && sc.expect[i].at && *sc.expect[i].at < sc.until) stops.emplace_back(*sc.expect[i].at, i);
    std::sort(stops.begin(), stops.end());
    std::map<std::size_t, Entries> tables;
    for (const auto& [at, i] : stops) {
        simulation.run(at);
        tables[i] = table_now(simulation, sc.expect[i]);
    }
    simulation.run(sc.until);
    simulation.tracer().finish();
    const Checker check(sc, simulation, recorder.events);
    std::vector<ExpectResult> out;
    for (std::size_t i = 0; i < sc.expect.size(); ++i) {
        const Expectation& e = sc.expect[i];
        switch (e.kind) {
            case ExpectKind::Flow: out.push_back(check.flow(e)); break;
            case ExpectKind::Frames: out.push_back(check.frames(e)); break;
            case ExpectKind::Table: out.push_back(check.table(e, tables.count(i) ? tables[i] : table_now(simulation, e))); break;
            case ExpectKind::Packet: out.push_back(check.packet(e)); break;
            case ExpectKind::Drop: out.push_back(check.drops(e)); break;
            case ExpectKind::Collisions: out.push_back(check.collisions(e)); break;
        }
        if (!e.text.empty()) out.back().expected = e.text + ": " + out.back().expected;
    }
    return out;
}

}  // namespace hopsim::sim
