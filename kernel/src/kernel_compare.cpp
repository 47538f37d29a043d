#include "hopsim/kernel/kernel_compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "hopsim/sim/simulation.hpp"
#include "hopsim/sim/trace_pcap.hpp"

namespace hopsim::kernel {

bool LinkComparison::agree() const {
    return std::all_of(differences.begin(), differences.end(), [](const FrameDifference& d) { return d.timing; });
}

bool KernelComparison::agree() const {
    return tables.empty() && std::all_of(links.begin(), links.end(), [](const LinkComparison& l) { return l.agree(); });
}

namespace {

using Table = std::vector<std::pair<std::string, std::string>>;

// A spanning tree's outcome as rows: "root", "root port", "root path cost", "port N".
Table stp_table(const Scenario& sc, int node, const sim::SpanningTree& t, std::uint32_t divisor) {
    Table rows{{"root", t.root_id().to_string()},
               {"root port", t.root_port() ? std::to_string(*t.root_port() + 1) : "-"},
               {"root path cost", std::to_string(t.root_path_cost() / divisor)}};
    for (int p = 0; p < sc.nodes[static_cast<std::size_t>(node)].ports; ++p)  // every linked port, as `bridge link` lists them
        if (sc.link_at(node, p) >= 0) rows.emplace_back("port " + std::to_string(p + 1), sim::to_string(t.state(p)));
    std::sort(rows.begin(), rows.end());
    return rows;
}

Table stp_table(const Lab::StpView& v) {
    Table rows{{"root", v.root_id}, {"root port", v.root_port.empty() ? "-" : v.root_port}, {"root path cost", std::to_string(v.root_path_cost)}};
    for (const auto& [port, state] : v.states) rows.emplace_back("port " + port, state);
    std::sort(rows.begin(), rows.end());
    return rows;
}

// Removes the spanning-tree BPDUs (to 01:80:c2:00:00:00) and counts them.
std::size_t drop_bpdus(std::vector<net::PcapRecord>& frames) {
    static constexpr std::uint8_t kGroup[] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00};
    const auto bpdu = [](const net::PcapRecord& r) { return r.bytes.size() >= 6 && std::equal(kGroup, kGroup + 6, r.bytes.begin()); };
    const auto n = static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(), bpdu));
    frames.erase(std::remove_if(frames.begin(), frames.end(), bpdu), frames.end());
    return n;
}

// The simulation's table of `node` at the end, as the Lab reads the kernel's.
Table sim_table(const sim::Simulation& s, int node) {
    Table t;
    if (s.scenario().nodes[static_cast<std::size_t>(node)].kind == sim::NodeKind::Switch)
        for (const auto& e : s.mac_table(node))
            t.emplace_back(e.vid ? fmt::format("{} vlan {}", e.mac.to_string(), e.vid) : e.mac.to_string(), std::to_string(e.port + 1));
    else
        for (const auto& e : s.arp_table(node)) t.emplace_back(e.ip.to_string(), e.mac.to_string());
    std::sort(t.begin(), t.end());
    return t;
}

void diff_tables(int node, const char* name, const Table& sim, const Table& kernel, std::vector<TableDifference>& out) {
    std::map<std::string, std::pair<std::string, std::string>> all;
    for (const auto& [k, v] : sim) all[k].first = v;
    for (const auto& [k, v] : kernel) all[k].second = v;
    for (const auto& [k, v] : all)
        if (v.first != v.second) out.push_back({node, name, k, v.first.empty() ? "-" : v.first, v.second.empty() ? "-" : v.second});
}

}  // namespace

std::string not_comparable(const Scenario& sc) {
    for (std::size_t i = 0; i < sc.links.size(); ++i)
        if (sc.links[i].loss > 0)
            return fmt::format("links[{}] loses frames at random, and the two sides lose different ones (hopsim kernel "
                               "applies the loss rate: compare its summary with hopsim run's)", i);
    return {};
}

Result<KernelComparison, std::string> compare_with_kernel(const Scenario& sc, const std::string& work_dir,
                                                          const std::atomic<int>* stop) {
    const std::string sim_dir = work_dir + "/sim", kernel_dir = work_dir + "/kernel";
    if (const std::string why = kernel_cannot_express(sc); !why.empty()) return Unexpected<std::string>{"not comparable: " + why};
    std::vector<Table> sim_tables;  // per node, at run.until
    std::vector<Table> sim_stp(sc.nodes.size());  // per STP switch: root, root port, path cost, port states
    const std::uint32_t divisor = [&] { std::uint32_t d = 1; linux_stp_costs(sc, &d); return d; }();
    {
        sim::Simulation simulation(sc);
        auto pcap = sim::PcapSink::open(sim_dir, sc);
        if (!pcap) return Unexpected<std::string>{pcap.error()};
        simulation.tracer().add(pcap->get());
        simulation.run(sc.until);
        simulation.tracer().finish();
        if (!(*pcap)->error().empty()) return Unexpected<std::string>{(*pcap)->error()};
        // A collision makes a hub's links carry jammed and resent frames that a
        // bridge (no shared medium) never has: no kernel build can match them.
        std::uint64_t collisions = 0;
        for (const auto& n : simulation.network().stats) collisions += n.collisions;
        if (collisions)
            return Unexpected<std::string>{fmt::format("not comparable: the simulated hubs saw {} collision{} (frames jammed and "
                                                       "sent again), which the kernel's bridges cannot have: there is no shared medium",
                                                       collisions, collisions == 1 ? "" : "s")};
        for (std::size_t n = 0; n < sc.nodes.size(); ++n) {
            sim_tables.push_back(sim_table(simulation, static_cast<int>(n)));
            if (const sim::SpanningTree* t = simulation.spanning_tree(static_cast<int>(n))) sim_stp[n] = stp_table(sc, static_cast<int>(n), *t, divisor);
        }
    }
    auto lab = Lab::build(sc);
    if (!lab) return Unexpected<std::string>{"building the namespaces failed (all removed again): " + lab.error()};
    KernelOptions o;
    o.pcap_dir = kernel_dir;
    o.until = sc.until;
    o.stop = stop;
    auto run = run_traffic(sc, **lab, o);
    if (!run) return Unexpected<std::string>{run.error()};
    KernelComparison c;
    // Hubs learn nothing on either side; switches' MAC tables, everyone else's ARP cache.
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        if (sc.nodes[n].kind != sim::NodeKind::Hub)
            diff_tables(static_cast<int>(n), sc.nodes[n].kind == sim::NodeKind::Switch ? "mac" : "arp", sim_tables[n],
                        (*lab)->table(static_cast<int>(n)), c.tables);
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        if (sc.nodes[n].stp) diff_tables(static_cast<int>(n), "stp", sim_stp[n], stp_table((*lab)->stp(static_cast<int>(n))), c.tables);
    c.kernel = std::move(*run);
    c.not_reproduced = (*lab)->not_reproduced();
    c.sysctls = (*lab)->sysctls();
    for (std::size_t l = 0; l < sc.links.size(); ++l) {
        const std::string name = sim::PcapSink::file_name(sc, static_cast<int>(l));
        auto s = net::read_pcap(sim_dir + "/" + name);
        auto k = net::read_pcap(kernel_dir + "/" + name);
        if (!s) return Unexpected<std::string>{s.error()};
        if (!k) return Unexpected<std::string>{k.error()};
        // BPDUs are compared by what they decide (the stp table above): their
        // times follow each side's timers, and Linux counts message age in jiffies.
        const std::size_t sim_bpdus = drop_bpdus(*s), kernel_bpdus = drop_bpdus(*k);
        c.links.push_back({static_cast<int>(l), s->size(), k->size(), diff_link(*s, *k), sim_bpdus, kernel_bpdus});
    }
    return c;
}

std::string kernel_comparison_report(const Scenario& sc, const KernelComparison& c) {
    std::string out = fmt::format("{}: simulated vs built of Linux network namespaces, frame by frame on every link\n",
                                  sc.name.empty() ? "scenario" : sc.name);
    for (const std::string& n : c.not_reproduced) out += "  not reproduced: " + n + "\n";
    out += "  not compared (each side picks its own): ";
    for (std::size_t i = 0; i < modelling_choices().size(); ++i) out += (i ? ", " : "") + modelling_choices()[i];
    out += "\n\n";
    for (const LinkComparison& l : c.links) {
        const std::string name = sc.link_name(l.link);
        const auto timing = std::count_if(l.differences.begin(), l.differences.end(), [](const FrameDifference& d) { return d.timing; });
        const std::string bpdus = l.sim_bpdus + l.kernel_bpdus
                                      ? fmt::format(" (and BPDUs: {} simulated, {} in the kernel)", l.sim_bpdus, l.kernel_bpdus)
                                      : "";
        if (l.agree()) {
            out += fmt::format("{:<28} agree: {} frame{}{}", name, l.sim_frames, l.sim_frames == 1 ? "" : "s", bpdus);
            out += timing ? fmt::format(" ({} in the kernel; {} on one side only by timing: ACKs sent together, "
                                        "the same bytes in other segments)\n", l.kernel_frames, timing)
                          : "\n";
            continue;
        }
        out += fmt::format("{:<28} DIFFER: {} frames simulated, {} in the kernel\n", name, l.sim_frames, l.kernel_frames);
        for (const FrameDifference& d : l.differences) {
            if (d.timing) continue;
            if (d.field == "frame")
                out += fmt::format("    {} only {}: {}\n", d.sim ? fmt::format("simulated frame {}", d.sim) : fmt::format("kernel frame {}", d.kernel),
                                   d.sim ? "in the simulation" : "in the kernel", d.what);
            else
                out += fmt::format("    frame {} ({}): {} simulated {}, kernel {}\n", d.sim, d.what, d.field, d.sim_value, d.kernel_value);
        }
    }
    if (c.tables.empty()) out += "MAC tables, ARP caches and spanning trees at the end: agree\n";
    for (const TableDifference& d : c.tables)
        out += fmt::format("{} {} table, {}: simulated {}, kernel {}\n", sc.nodes[static_cast<std::size_t>(d.node)].id, d.table, d.key,
                           d.sim, d.kernel);
    out += c.agree() ? "\nagree: every frame on every link, every table entry\n" : "\nDIFFER: the simulation is not what Linux does (see above)\n";
    return out;
}

std::string kernel_comparison_json(const Scenario& sc, const KernelComparison& c) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["scenario"] = sc.name;
    j["agree"] = c.agree();
    j["not_reproduced"] = c.not_reproduced;
    j["modelling_choices"] = modelling_choices();
    j["sysctls"] = c.sysctls;
    j["links"] = Json::array();
    for (const LinkComparison& l : c.links) {
        Json link{{"link", sc.link_name(l.link)}, {"sim_frames", l.sim_frames}, {"kernel_frames", l.kernel_frames},
                  {"agree", l.agree()}, {"differences", Json::array()}};
        if (l.sim_bpdus + l.kernel_bpdus) link["bpdus"] = {{"sim", l.sim_bpdus}, {"kernel", l.kernel_bpdus}};
        for (const FrameDifference& d : l.differences)
            link["differences"].push_back({{"sim_frame", d.sim ? Json(d.sim) : Json()}, {"kernel_frame", d.kernel ? Json(d.kernel) : Json()},
                                           {"field", d.field}, {"sim", d.sim_value}, {"kernel", d.kernel_value}, {"frame", d.what},
                                           {"timing", d.timing}});
        j["links"].push_back(std::move(link));
    }
    j["tables"] = Json::array();
    for (const TableDifference& d : c.tables)
        j["tables"].push_back({{"node", sc.nodes[static_cast<std::size_t>(d.node)].id}, {"table", d.table}, {"key", d.key},
                               {"sim", d.sim}, {"kernel", d.kernel}});
    return j.dump(2) + "\n";
}

}  // namespace hopsim::kernel
