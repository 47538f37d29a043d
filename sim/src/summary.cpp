#include "hopsim/sim/summary.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hopsim/sim/flow_json.hpp"
#include "hopsim/sim/host.hpp"
#include "hopsim/sim/rip.hpp"
#include "hopsim/sim/router.hpp"

namespace hopsim::sim {


namespace {

using Json = nlohmann::ordered_json;

// The spanning tree as `bridge link show` and `bridge stp` would describe it.
Json stp_json(const SpanningTree& stp, const Scenario& sc, int node) {
    Json ports = Json::object();
    for (int p = 0; p < sc.nodes[static_cast<std::size_t>(node)].ports; ++p) {
        if (sc.link_at(node, p) < 0) continue;  // linked ports, a failed link's as "disabled"
        ports[std::to_string(p + 1)] = {{"role", to_string(stp.role(p))}, {"state", to_string(stp.state(p))},
                                        {"cost", stp.path_cost(p)}};
    }
    Json j = {{"bridge_id", stp.bridge_id().to_string()}, {"root_id", stp.root_id().to_string()},
              {"root", stp.is_root()}, {"root_path_cost", stp.root_path_cost()}, {"ports", std::move(ports)}};
    if (auto rp = stp.root_port()) j["root_port"] = std::to_string(*rp + 1);
    return j;
}

std::uint64_t collisions(const Simulation& sim) {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < sim.scenario().nodes.size(); ++i)
        if (sim.scenario().nodes[i].kind == NodeKind::Hub) n += sim.network().stats[i].collisions;
    return n;
}

// "1 collision", "3 collisions".
std::string count(std::uint64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

std::size_t reachable_routes(const RipProcess& rip) {
    return static_cast<std::size_t>(std::count_if(rip.routes().begin(), rip.routes().end(),
                                                  [](const RipRoute& r) { return r.metric < net::kRipInfinity; }));
}

Json rip_json(const RipProcess& rip, const NodeSpec& n) {
    const RipCounters& c = rip.counters();
    Json interfaces = Json::array();
    for (int k : n.rip.interfaces) interfaces.push_back(n.interfaces[static_cast<std::size_t>(k)].name);
    return {{"interfaces", std::move(interfaces)},
            {"split_horizon", to_string(n.rip.split_horizon)},
            {"routes_learned", reachable_routes(rip)},
            {"last_change", c.last_change.to_string()},
            {"requests_sent", c.requests_sent},
            {"responses_sent", c.responses_sent},
            {"triggered_updates", c.triggered_updates},
            {"requests_received", c.requests_received},
            {"responses_received", c.responses_received},
            {"rejected", c.rejected},
            {"bad_entries", c.bad_entries}};
}

Json nat_json(const Router& r, const NodeSpec& n) {
    const NatTable& t = *r.nat();
    Json inside = Json::array();
    for (int k : n.nat.inside) inside.push_back(n.interfaces[static_cast<std::size_t>(k)].name);
    Json table = Json::array();
    for (const NatMapping& m : t.mappings())
        table.push_back({{"key", t.key(m)}, {"inside", NatTable::value(m)}, {"expires", m.expires.to_string()}});
    return {{"inside", std::move(inside)},
            {"outside", n.interfaces[static_cast<std::size_t>(n.nat.outside)].name},
            {"address", t.outside().to_string()},
            {"translated_out", r.nat_counters().out},
            {"translated_in", r.nat_counters().in},
            {"table", std::move(table)}};
}

// What a DHCP host holds at the end: its address and where it came from, or null.
Json lease_json(const std::optional<Host::Lease>& l) {
    if (!l) return {{"address", nullptr}};
    auto text = [](const std::optional<net::Ipv4Address>& a) { return a ? Json(a->to_string()) : Json(); };
    return {{"address", l->address.to_string()}, {"gateway", text(l->gateway)}, {"dns", text(l->dns)},
            {"server", text(l->server)}, {"bound_at", l->bound_at.to_string()}, {"expires", l->expires.to_string()}};
}

std::string lease_note(const std::optional<Host::Lease>& l) {
    if (!l) return "DHCP: no lease";
    return fmt::format("DHCP: {} from {} (last ACK {}, expires {})", l->address.to_string(),
                       l->server ? l->server->to_string() : "?", l->bound_at.to_string(), l->expires.to_string());
}

std::string rip_note(const RipProcess& rip) {
    const RipCounters& c = rip.counters();
    return fmt::format("RIP: {} learned, last change at {}, {} sent ({} triggered)",
                       count(reachable_routes(rip), "route", "routes"), c.last_change.to_string(),
                       count(c.responses_sent, "response", "responses"), c.triggered_updates);
}

// What ping prints: "ttl 62, rtt min/avg/max 41.2us/45us/50.1us" (a TTL
// that varied between replies as "ttl 61-62").
std::string rtt_note(const RttStats& r) {
    if (!r.count) return {};
    const std::string ttl = r.ttl_min == r.ttl_max ? fmt::format("ttl {}", r.ttl_min) : fmt::format("ttl {}-{}", r.ttl_min, r.ttl_max);
    return fmt::format("{}, rtt min/avg/max {}/{}/{}", ttl, r.min.to_string(), r.avg().to_string(), r.max.to_string());
}

// Why packets of the flow did not arrive, from the ledger: "lost 3 ttl-expired at R2".
std::string loss_note(const Scenario& sc, const FlowStats& f) {
    std::string out;
    for (const FlowDrop& d : f.drops)
        out += fmt::format("{}{} {} at {}", out.empty() ? "lost " : ", ", d.count, to_string(d.reason),
                           sc.nodes[static_cast<std::size_t>(d.node)].id);
    return out;
}

std::string flow_notes(const Scenario& sc, const TrafficSpec& t, const FlowStats& f, bool intact) {
    std::vector<std::string> notes;
    if (f.failure) notes.push_back(f.failure);
    if (f.retransmissions) notes.push_back(fmt::format("{} retransmitted", f.retransmissions));
    if (t.kind == TrafficKind::Tcp && t.echo) notes.push_back(fmt::format("{}B echoed", f.echoed_bytes));
    if (t.kind == TrafficKind::Ping) notes.push_back(rtt_note(f.rtt));
    // A rate says something about a stream, not about one small datagram.
    const auto goodput = flow_goodput_bps(f);
    if (goodput && (t.kind == TrafficKind::Tcp || (t.kind == TrafficKind::Udp && f.delivered_packets > 1)))
        notes.push_back(fmt::format("done at {}, {:.2f} Mbit/s", f.last_deliver.to_string(), *goodput / 1e6));
    if (!intact && t.kind != TrafficKind::Traceroute) notes.push_back(loss_note(sc, f));
    std::string out;
    for (const std::string& n : notes)
        if (!n.empty()) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

std::string traceroute_lines(const Scenario& sc, const TrafficSpec& t, const FlowStats& f) {
    std::string out = fmt::format("\ntraceroute {} from {} to {} ({}, {} probes per hop):\n", t.id,
                                  sc.nodes[static_cast<std::size_t>(t.from)].id,
                                  t.to_name.empty() && !t.to_lease
                                      ? t.to_ip.to_string()
                                      : fmt::format("{} ({})", detail::flow_to(sc, t),
                                                    f.resolved ? f.resolved->to_string() : t.to_lease ? "no lease" : "not resolved"),
                                  t.icmp_probes ? "icmp" : "udp", t.probes);
    int ttl = 0;
    for (const TraceHop& h : f.hops) {
        if (h.ttl != ttl) {
            out += fmt::format("{}{:>3} ", ttl ? "\n" : "", h.ttl);
            ttl = h.ttl;
        }
        out += h.from ? fmt::format(" {} {}", net::Ipv4Address(h.from).to_string(), h.rtt.to_string()) : " *";
    }
    return out + "\n";
}

std::string summary_json(const Simulation& sim) {
    const Scenario& sc = sim.scenario();
    const Network& net = sim.network();
    Json j;
    j["scenario"] = sc.name;
    j["sim_time_ns"] = net.engine.now().count();
    j["last_packet_ns"] = net.last_packet.count();
    j["events"] = net.engine.events_run();
    j["collisions"] = collisions(sim);
    j["flows"] = Json::array();
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        const FlowStats& f = net.flows[static_cast<int>(i)];
        Json flow = detail::flow_json(sc, t, f, net.flows.intact(static_cast<int>(i)));
        detail::add_flow_details(t, f, flow);
        j["flows"].push_back(std::move(flow));
    }
    Json nodes = Json::object();
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const NodeSpec& n = sc.nodes[i];
        const NodeStats& s = net.stats[i];
        Json node;
        node["kind"] = to_string(n.kind);
        node["rx_frames"] = s.rx_frames;
        node["tx_frames"] = s.tx_frames;
        Json drops = Json::object();
        for (std::size_t r = 0; r < s.drops.size(); ++r)
            if (s.drops[r]) drops[to_string(static_cast<Reason>(r))] = s.drops[r];
        node["drops"] = std::move(drops);
        if (n.kind == NodeKind::Hub || s.collisions) node["collisions"] = s.collisions;
        if (n.kind == NodeKind::Switch) {
            node["floods"] = s.floods;
            Json table = Json::array();
            for (const auto& e : sim.mac_table(static_cast<int>(i))) {
                Json row = {{"mac", e.mac.to_string()}, {"port", std::to_string(e.port + 1)}};
                if (e.vid) row["vlan"] = e.vid;  // a VLAN-aware switch's entries are per VLAN
                table.push_back(std::move(row));
            }
            node["mac_table"] = std::move(table);
            if (const SpanningTree* stp = sim.spanning_tree(static_cast<int>(i))) node["stp"] = stp_json(*stp, sim.scenario(), static_cast<int>(i));
        }
        if (n.kind == NodeKind::Host || n.kind == NodeKind::Router) {
            Json table = Json::array();
            for (const auto& e : sim.arp_table(static_cast<int>(i)))
                table.push_back({{"ip", e.ip.to_string()}, {"mac", e.mac.to_string()}});
            node["arp_table"] = std::move(table);
        }
        if (n.kind == NodeKind::Router) node["routes"] = sim.routes(static_cast<int>(i));
        if (const RipProcess* rip = sim.rip(static_cast<int>(i))) node["rip"] = rip_json(*rip, n);
        if (const Router* r = sim.router(static_cast<int>(i)); r && r->nat()) node["nat"] = nat_json(*r, n);
        if (n.dhcp) node["dhcp"] = lease_json(sim.host(static_cast<int>(i))->lease());
        // Node ids are unique (the loader says so): append without the
        // ordered map's linear lookup, which made 100,000 nodes quadratic.
        static_cast<Json::object_t::Container&>(nodes.get_ref<Json::object_t&>()).emplace_back(n.id, std::move(node));
    }
    j["nodes"] = std::move(nodes);
    return j.dump(2) + "\n";
}

std::string human_summary(const Simulation& sim) {
    const Scenario& sc = sim.scenario();
    const Network& net = sim.network();
    // The traffic's span, then what the clock did after it for timers alone.
    std::string out = fmt::format("{}: simulated {} to the last packet", sc.name.empty() ? "scenario" : sc.name,
                                  net.last_packet.to_string());
    if (net.engine.now() > net.last_packet) out += fmt::format(" (timers ran to {})", net.engine.now().to_string());
    out += ", " + count(net.engine.events_run(), "scheduler event", "scheduler events");
    if (const auto c = collisions(sim)) out += ", " + count(c, "collision", "collisions");
    out += "\n";
    if (!sc.traffic.empty()) {
        out += fmt::format("\n{:<16} {:<10} {:<8} {:<22} {:>13} {:>15} {:<6} {}\n", "flow", "kind", "from", "to", "sent",
                           "delivered", "intact", "notes");
        for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
            const TrafficSpec& t = sc.traffic[i];
            const FlowStats& f = net.flows[static_cast<int>(i)];
            out += fmt::format("{:<16} {:<10} {:<8} {:<22} {:>6} pkt/{:<4} {:>6} pkt/{:<6} {:<6} {}\n", t.id, to_string(t.kind),
                               sc.nodes[static_cast<std::size_t>(t.from)].id, detail::flow_to(sc, t), f.sent_packets,
                               f.sent_bytes >= 10000 ? fmt::format("{}k", f.sent_bytes / 1000) : fmt::format("{}B", f.sent_bytes),
                               f.delivered_packets,
                               f.delivered_bytes >= 10000 ? fmt::format("{}k", f.delivered_bytes / 1000) : fmt::format("{}B", f.delivered_bytes),
                               net.flows.intact(static_cast<int>(i)) ? "yes" : "no", flow_notes(sc, t, f, net.flows.intact(static_cast<int>(i))));
        }
    }
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        if (t.kind != TrafficKind::Traceroute) continue;
        out += traceroute_lines(sc, t, net.flows[static_cast<int>(i)]);
    }
    out += fmt::format("\n{:<10} {:<7} {:>9} {:>9}  {}\n", "node", "kind", "rx frames", "tx frames", "drops / notes");
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const NodeSpec& n = sc.nodes[i];
        const NodeStats& s = net.stats[i];
        std::string notes;
        auto note = [&](const std::string& text) { notes += (notes.empty() ? "" : "; ") + text; };
        std::string drops;
        for (std::size_t r = 0; r < s.drops.size(); ++r)
            if (s.drops[r]) drops += fmt::format("{}{} {}", drops.empty() ? "" : ", ", s.drops[r], to_string(static_cast<Reason>(r)));
        if (!drops.empty()) note("dropped " + drops);
        if (s.collisions) note(count(s.collisions, "collision", "collisions"));
        if (s.filtered) note(fmt::format("{} filtered", s.filtered));
        if (const RipProcess* rip = sim.rip(static_cast<int>(i))) note(rip_note(*rip));
        if (n.dhcp) note(lease_note(sim.host(static_cast<int>(i))->lease()));
        if (const Router* r = sim.router(static_cast<int>(i)); r && r->nat())
            note(fmt::format("NAT: {} now, {} translated out, {} in", count(r->nat()->mappings().size(), "mapping", "mappings"),
                             r->nat_counters().out, r->nat_counters().in));
        if (n.kind == NodeKind::Switch)
            note(count(s.floods, "flood", "floods") + ", " +
                 count(sim.mac_table(static_cast<int>(i)).size(), "MAC entry", "MAC entries"));
        out += fmt::format("{:<10} {:<7} {:>9} {:>9}  {}\n", n.id, to_string(n.kind), s.rx_frames, s.tx_frames, notes);
    }
    return out;
}

}  // namespace hopsim::sim
