#include "hopsim/kernel/kernel_run.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "hopsim/kernel/link_capture.hpp"
#include "hopsim/kernel/netns_process.hpp"
#include "hopsim/kernel/udp_apps.hpp"
#include "hopsim/kernel/tool.hpp"
#include "hopsim/sim/flow_json.hpp"
#include "hopsim/sim/trace_pcap.hpp"

namespace hopsim::kernel {

namespace {

using Clock = std::chrono::steady_clock;
using sim::TrafficKind;

bool stopping(const KernelOptions& o) { return o.stop && o.stop->load() != 0; }

// iputils ping inside the sender's namespace, as a student would type it. The
// scenario's DF is Linux's default, IP_PMTUDISC_WANT (-M want: DF on what fits the
// interface, fragmented locally otherwise), and "df": false is -M dont.
std::vector<std::string> ping_command(const Lab& lab, const sim::TrafficSpec& t) {
    const double interval = std::max(0.002, static_cast<double>(t.interval.count()) / 1e9);  // ping's floor for root
    // -b: a broadcast address is pinged as any other (the simulator does; ping refuses without it).
    return {"ip", "netns", "exec", lab.netns(t.from), "ping", "-n", "-b", "-c", std::to_string(t.count), "-i",
            fmt::format("{:.3f}", interval), "-s", std::to_string(t.payload.size()), "-t", std::to_string(t.ttl), "-W", "1",
            "-M", t.df ? "want" : "dont", t.to_ip.to_string()};
}

// What ping printed: "2 packets transmitted, 2 received", "ttl=62", "rtt min/avg/max/mdev = ...".
void read_ping(const sim::TrafficSpec& t, const std::string& out, KernelFlow& f) {
    std::smatch m;
    static const std::regex counts(R"((\d+) packets transmitted, (\d+) received)");
    if (std::regex_search(out, m, counts)) {
        f.stats.sent_packets = std::stoull(m[1]);
        f.stats.delivered_packets = std::stoull(m[2]);
        f.stats.sent_bytes = f.stats.sent_packets * t.payload.size();
        f.stats.delivered_bytes = f.stats.delivered_packets * t.payload.size();
    }
    static const std::regex reply(R"(bytes from [^:]+: icmp_seq=\d+ ttl=(\d+) time=([0-9.]+) ms)");
    for (auto it = std::sregex_iterator(out.begin(), out.end(), reply); it != std::sregex_iterator(); ++it) {
        const auto ttl = static_cast<std::uint8_t>(std::stoi((*it)[1]));
        const auto rtt = sim::SimTime::ns(static_cast<std::int64_t>(std::stod((*it)[2]) * 1e6));
        f.stats.rtt.add(rtt, ttl);
    }
    static const std::regex error(R"(From ([0-9.]+) icmp_seq=\d+ ([^\n]+))");
    if (std::regex_search(out, m, error)) f.note = fmt::format("{} (from {})", std::string(m[2]), std::string(m[1]));
}

using Captures = std::vector<std::unique_ptr<LinkCapture>>;

// Waits a moment, writing what the captures hold meanwhile.
void pause(Captures& captures) {
    for (auto& c : captures) c->drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

// ping's payload is its own (a timestamp and a pattern): its bytes are counted, not compared.
bool intact(const sim::TrafficSpec& t, const KernelFlow& f) {
    if (t.kind == TrafficKind::Ping) return f.stats.sent_packets > 0 && f.stats.delivered_packets == f.stats.sent_packets;
    return sim::flow_intact(t, f.stats);
}

}  // namespace

namespace {

Result<Captures, std::string> open_captures(const Scenario& sc, const Lab& lab, const std::string& dir, KernelRun& run) {
    Captures captures;
    if (dir.empty()) return captures;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Unexpected<std::string>{fmt::format("create directory {}: {}", dir, ec.message())};
    for (std::size_t l = 0; l < sc.links.size(); ++l) {
        const sim::Endpoint e = sc.links[l].ends[0];
        const std::string path = (std::filesystem::path(dir) / sim::PcapSink::file_name(sc, static_cast<int>(l))).string();
        auto c = LinkCapture::open(lab.netns(e.node), lab.interface(e.node, e.port), path);
        if (!c) return Unexpected<std::string>{c.error()};
        captures.push_back(std::move(*c));
        run.pcaps.push_back(path);
    }
    return captures;
}

using Processes = std::vector<std::unique_ptr<NetnsProcess>>;

// The UDP services, each bound before any traffic starts.
Result<Processes, std::string> start_services(const Scenario& sc, const Lab& lab) {
    Processes services;
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        for (const sim::ServiceSpec& s : sc.nodes[n].services) {
            if (!sim::is_udp(s.kind)) continue;
            std::vector<sim::TrafficSpec> flows;
            for (const sim::TrafficSpec& t : sc.traffic)
                if (t.kind == TrafficKind::Udp && t.to_node == static_cast<int>(n) && t.to_port == s.port) flows.push_back(t);
            const bool echo = s.kind == sim::ServiceKind::UdpEcho;
            services.push_back(std::make_unique<NetnsProcess>(
                lab.netns(static_cast<int>(n)),
                [port = s.port, echo, flows](int out, bool (*stop)()) { udp_service(port, echo, flows, out, stop); }));
            if (!services.back()->wait_ready())
                return Unexpected<std::string>{fmt::format("the UDP service on {} port {} did not start", sc.nodes[n].id, s.port)};
        }
    return services;
}

// What the senders and services counted, into the flows: each datagram a
// service saw is its flow's by the sender's address and port.
void collect_udp(const Scenario& sc, Processes& senders, Processes& services, KernelRun& run) {
    std::map<std::pair<std::string, unsigned>, std::size_t> flow_of;
    for (std::size_t i = 0; i < senders.size(); ++i) {
        if (!senders[i]) continue;
        std::istringstream in(senders[i]->finish());
        std::string word;
        unsigned port = 0;
        std::uint64_t sent = 0;
        if (!(in >> word >> port >> sent) || word != "sent") continue;
        run.flows[i].stats.sent_packets = sent;
        run.flows[i].stats.sent_bytes = sent * sc.traffic[i].payload.size();
        for (const sim::InterfaceSpec& iface : sc.nodes[static_cast<std::size_t>(sc.traffic[i].from)].interfaces)
            if (iface.ip) flow_of[{iface.ip->address().to_string(), port}] = i;
    }
    for (auto& s : services) {
        std::istringstream in(s->finish());
        for (std::string line; std::getline(in, line);) {
            std::istringstream l(line);
            std::string word, address;
            unsigned port = 0;
            std::uint64_t count = 0, bytes = 0;
            int mismatched = 0;
            if (!(l >> word >> address >> port >> count >> bytes >> mismatched) || word != "from") continue;
            auto it = flow_of.find({address, port});
            if (it == flow_of.end()) continue;
            sim::FlowStats& f = run.flows[it->second].stats;
            f.delivered_packets += count;
            f.delivered_bytes += bytes;
            f.mismatched |= mismatched != 0;
        }
    }
}

}  // namespace

Result<KernelRun, std::string> run_traffic(const Scenario& sc, Lab& lab, const KernelOptions& o) {
    KernelRun run;
    run.flows.resize(sc.traffic.size());
    auto captures = open_captures(sc, lab, o.pcap_dir, run);
    if (!captures) return Unexpected<std::string>{captures.error()};
    auto services = start_services(sc, lab);
    if (!services) return Unexpected<std::string>{services.error()};

    const auto start = Clock::now();
    std::vector<std::unique_ptr<RunningTool>> pings(sc.traffic.size());
    Processes senders(sc.traffic.size());
    std::vector<std::size_t> order(sc.traffic.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sc.traffic[a].at < sc.traffic[b].at; });
    for (std::size_t i : order) {
        const sim::TrafficSpec& t = sc.traffic[i];
        if (t.kind != TrafficKind::Ping && t.kind != TrafficKind::Udp) {
            run.flows[i].note = fmt::format("{} flows are not run in the kernel yet", to_string(t.kind));
            continue;
        }
        if (t.at > o.until) continue;
        const auto at = start + std::chrono::nanoseconds(t.at.count());
        while (Clock::now() < at && !stopping(o)) pause(*captures);
        if (stopping(o)) break;
        if (t.kind == TrafficKind::Ping) pings[i] = std::make_unique<RunningTool>(ping_command(lab, t));
        else senders[i] = std::make_unique<NetnsProcess>(lab.netns(t.from), [t](int out, bool (*stop)()) { udp_sender(t, out, stop); });
        run.flows[i].run = true;
        run.flows[i].stats.first_send = sim::SimTime::ns(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    }
    // To the scenario's end, as the simulation runs (ARP keeps asking after
    // a ping gave up), and until every ping has ended.
    const auto end = start + std::chrono::nanoseconds(o.until.count());
    while (Clock::now() < end && !stopping(o)) pause(*captures);
    for (std::size_t i = 0; i < pings.size(); ++i) {
        if (!pings[i]) continue;
        while (!pings[i]->exited() && !stopping(o)) pause(*captures);
        if (stopping(o)) pings[i]->stop(SIGINT);
        read_ping(sc.traffic[i], pings[i]->finish().output, run.flows[i]);
    }
    // Senders keep their sockets to the end (echoes find them); services count to the end.
    for (auto& s : senders)
        if (s) s->stop();
    for (auto& s : *services) s->stop();
    collect_udp(sc, senders, *services, run);
    run.interrupted = stopping(o);
    run.wall_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    for (auto& c : *captures)
        if (!c->close()) return Unexpected<std::string>{fmt::format("writing {} failed", c->path())};
    return run;
}

std::string kernel_summary_json(const Scenario& sc, const Lab& lab, const KernelRun& run) {
    using Json = nlohmann::ordered_json;
    Json j;
    j["scenario"] = sc.name;
    j["backend"] = "linux network namespaces";
    utsname u{};
    j["kernel"] = ::uname(&u) == 0 ? Json(u.release) : Json();
    j["wall_time_ns"] = run.wall_ns;
    j["interrupted"] = run.interrupted;
    j["sysctls"] = lab.sysctls();
    j["not_reproduced"] = lab.not_reproduced();
    j["flows"] = Json::array();
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const KernelFlow& f = run.flows[i];
        const sim::TrafficSpec& t = sc.traffic[i];
        Json flow = sim::detail::flow_identity(sc, t);
        flow["run"] = f.run;
        if (f.run) {
            flow.update(sim::detail::flow_counters(t, f.stats, intact(t, f)));
            if (f.stats.rtt.count) {
                flow["rtt_min_ns"] = f.stats.rtt.min.count();
                flow["rtt_avg_ns"] = f.stats.rtt.avg().count();
                flow["rtt_max_ns"] = f.stats.rtt.max.count();
                flow["reply_ttl_min"] = f.stats.rtt.ttl_min;
                flow["reply_ttl_max"] = f.stats.rtt.ttl_max;
            }
        }
        if (!f.note.empty()) flow["note"] = f.note;
        j["flows"].push_back(std::move(flow));
    }
    return j.dump(2) + "\n";
}

std::string kernel_report(const Scenario& sc, const Lab& lab, const KernelRun& run) {
    std::string out = fmt::format("{}: built of Linux network namespaces, traffic run in {}\n",
                                  sc.name.empty() ? "scenario" : sc.name, sim::SimTime::ns(run.wall_ns).to_string());
    for (const std::string& n : lab.not_reproduced()) out += "  not reproduced: " + n + "\n";
    out += "\n";
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const sim::TrafficSpec& t = sc.traffic[i];
        const KernelFlow& f = run.flows[i];
        out += fmt::format("{:<16} {:<10} {:<8} {:<16} ", t.id, to_string(t.kind), sc.nodes[static_cast<std::size_t>(t.from)].id,
                           sim::detail::flow_to(sc, t));
        if (!f.run) {
            out += f.note + "\n";
            continue;
        }
        out += fmt::format("{}/{} {}{}", f.stats.delivered_packets, f.stats.sent_packets,
                           t.kind == TrafficKind::Ping ? "replies" : "datagrams delivered", intact(t, f) ? ", intact" : "");
        if (f.stats.rtt.count) {
            const auto& r = f.stats.rtt;
            out += r.ttl_min == r.ttl_max ? fmt::format(", ttl {}", r.ttl_min) : fmt::format(", ttl {}-{}", r.ttl_min, r.ttl_max);
            out += fmt::format(", rtt min/avg/max {}/{}/{}", r.min.to_string(), r.avg().to_string(), r.max.to_string());
        }
        if (!f.note.empty()) out += ", " + f.note;
        out += "\n";
    }
    if (!run.pcaps.empty()) out += fmt::format("\n{} link captures written (a packet socket on one end of each link)\n", run.pcaps.size());
    return out;
}

}  // namespace hopsim::kernel
