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

#include "hopsim/kernel/frame_apps.hpp"
#include "hopsim/kernel/link_capture.hpp"
#include "hopsim/kernel/netns_process.hpp"
#include "hopsim/kernel/tcp_apps.hpp"
#include "hopsim/kernel/udp_apps.hpp"
#include "hopsim/kernel/tool.hpp"
#include "hopsim/kernel/traceroute_app.hpp"
#include "hopsim/sim/flow_json.hpp"
#include "hopsim/sim/summary.hpp"
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

std::uint64_t frames_captured(const Captures& captures) {
    std::uint64_t n = 0;
    for (const auto& c : captures) n += c->frames();
    return n;
}

// Each ping is a new process, and `ip netns exec` plus ping's own set-up can
// take longer than the few milliseconds between two pings under load: the
// later one would reach the wire first and the frame diff would compare them
// crosswise. So the next item waits for this ping's first frame (an ARP
// request or its echo), for the ping's end (a ping to itself sends nothing on
// a link), or 200 ms at most.
void await_first_frame(Captures& captures, RunningTool& ping, const KernelOptions& o) {
    const std::uint64_t before = frames_captured(captures);
    const auto limit = Clock::now() + std::chrono::milliseconds(200);
    while (frames_captured(captures) == before && !ping.exited() && Clock::now() < limit && !stopping(o)) {
        for (auto& c : captures) c->drain();
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

// ping's payload is its own (a timestamp and a pattern): its bytes are counted, not compared.
bool intact(const sim::TrafficSpec& t, const KernelFlow& f) {
    if (t.kind == TrafficKind::Ping) return f.stats.sent_packets > 0 && f.stats.delivered_packets == f.stats.sent_packets;
    return sim::flow_intact(t, f.stats);
}

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

// The UDP and TCP services, each bound before any traffic starts, and a
// frame counter on every host when the scenario sends raw frames.
Result<Processes, std::string> start_services(const Scenario& sc, const Lab& lab) {
    Processes services;
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        for (const sim::ServiceSpec& s : sc.nodes[n].services) {
            const bool udp = sim::is_udp(s.kind);
            const TrafficKind kind = udp ? TrafficKind::Udp : TrafficKind::Tcp;
            std::vector<sim::TrafficSpec> flows;
            for (const sim::TrafficSpec& t : sc.traffic)
                if (t.kind == kind && t.to_node == static_cast<int>(n) && t.to_port == s.port) flows.push_back(t);
            const bool echo = s.kind == sim::ServiceKind::UdpEcho || s.kind == sim::ServiceKind::TcpEcho;
            NetnsProcess::Body body;
            if (udp) body = [port = s.port, echo, flows](int out, bool (*stop)()) { udp_service(port, echo, flows, out, stop); };
            else body = [port = s.port, echo, flows](int out, bool (*stop)()) { tcp_service(port, echo, flows, out, stop); };
            services.push_back(std::make_unique<NetnsProcess>(lab.netns(static_cast<int>(n)), std::move(body)));
            if (!services.back()->wait_ready())
                return Unexpected<std::string>{fmt::format("the {} service on {} port {} did not start", udp ? "UDP" : "TCP",
                                                           sc.nodes[n].id, s.port)};
        }
    // Raw frames: as in the simulation, every host takes them when there are any.
    std::vector<sim::TrafficSpec> frames;
    for (const sim::TrafficSpec& t : sc.traffic)
        if (t.kind == TrafficKind::Frame) frames.push_back(t);
    for (std::size_t n = 0; n < sc.nodes.size() && !frames.empty(); ++n) {
        if (sc.nodes[n].kind != sim::NodeKind::Host) continue;
        services.push_back(std::make_unique<NetnsProcess>(
            lab.netns(static_cast<int>(n)), [frames](int out, bool (*stop)()) { frame_sink(frames, out, stop); }));
        if (!services.back()->wait_ready())
            return Unexpected<std::string>{fmt::format("the frame counter on {} did not start", sc.nodes[n].id)};
    }
    return services;
}

// The application that runs flow `t` in its sender's namespace.
std::unique_ptr<NetnsProcess> start_app(const Lab& lab, const sim::TrafficSpec& t) {
    NetnsProcess::Body body;
    switch (t.kind) {
        case TrafficKind::Udp: body = [t](int out, bool (*stop)()) { udp_sender(t, out, stop); }; break;
        case TrafficKind::Tcp: body = [t](int out, bool (*stop)()) { tcp_client(t, out, stop); }; break;
        case TrafficKind::Traceroute: body = [t](int out, bool (*stop)()) { traceroute(t, out, stop); }; break;
        case TrafficKind::Frame:
            body = [t, dev = lab.interface(t.from, 0)](int out, bool (*stop)()) { frame_sender(t, dev, out, stop); };
            break;
        default: return nullptr;
    }
    return std::make_unique<NetnsProcess>(lab.netns(t.from), std::move(body));
}

// What a TCP client counted: "tcp PORT SEGS_OUT DATA_SEGS_OUT RETRANSMITTED
// ECHOED MISMATCHED [FAILURE]"; returns its port (0: it wrote something else).
unsigned read_tcp_client(const sim::TrafficSpec& t, const std::string& out, KernelFlow& f) {
    std::istringstream in(out);
    std::string word;
    unsigned port = 0;
    std::uint64_t segs = 0, data_segs = 0, retransmitted = 0, echoed = 0;
    int mismatched = 0;
    if (!(in >> word >> port >> segs >> data_segs >> retransmitted >> echoed >> mismatched) || word != "tcp") {
        f.note = out.substr(0, out.find('\n'));
        return 0;
    }
    std::string failure;
    std::getline(in >> std::ws, failure);
    f.stats.sent_bytes = t.payload.size();
    f.stats.segments_sent = segs;
    f.stats.retransmissions = retransmitted;
    f.stats.sent_packets = data_segs - std::min(data_segs, retransmitted);
    f.stats.echoed_bytes = echoed;
    f.stats.mismatched |= mismatched != 0;
    if (!failure.empty()) {
        f.failure_text = failure;
        f.stats.failure = f.failure_text.c_str();
    }
    return port;
}

// What a traceroute printed: one "hop TTL ADDRESS RTT_NS REACHED" line per probe.
void read_traceroute(const sim::TrafficSpec& t, const std::string& out, KernelFlow& f) {
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        std::istringstream l(line);
        std::string word;
        sim::TraceHop h;
        std::int64_t rtt = 0;
        int reached = 0;
        if (!(l >> word >> h.ttl >> h.from >> rtt >> reached) || word != "hop") {
            if (line.starts_with("error")) f.note = line;
            continue;
        }
        h.rtt = sim::SimTime::ns(rtt);
        h.reached = reached != 0;
        f.stats.sent_packets++;
        f.stats.sent_bytes += t.payload.size();
        if (h.from) f.stats.delivered_packets++;
        f.stats.hops.push_back(h);
    }
}

// What the senders and services counted, into the flows: each datagram a
// service saw is its flow's by the sender's address and port, each frame by
// its source and destination MAC and EtherType.
void collect(const Scenario& sc, Processes& apps, Processes& services, KernelRun& run) {
    std::map<std::pair<std::string, unsigned>, std::size_t> datagrams_of, connections_of;
    std::map<std::tuple<std::string, std::string, unsigned>, std::size_t> frames_of;
    for (std::size_t i = 0; i < apps.size(); ++i) {
        if (!apps[i]) continue;
        const sim::TrafficSpec& t = sc.traffic[i];
        const std::string out = apps[i]->finish();
        if (t.kind == TrafficKind::Traceroute) {
            read_traceroute(t, out, run.flows[i]);
            continue;
        }
        if (t.kind == TrafficKind::Tcp) {
            if (const unsigned port = read_tcp_client(t, out, run.flows[i]))
                for (const sim::InterfaceSpec& iface : sc.nodes[static_cast<std::size_t>(t.from)].interfaces)
                    if (iface.ip) connections_of[{iface.ip->address().to_string(), port}] = i;
            continue;
        }
        std::istringstream in(out);
        std::string word;
        unsigned port = 0;
        std::uint64_t sent = 0;
        if (!(in >> word) || word != "sent" || (t.kind == TrafficKind::Udp && !(in >> port)) || !(in >> sent)) {
            run.flows[i].note = out.substr(0, out.find('\n'));
            continue;
        }
        run.flows[i].stats.sent_packets = sent;
        run.flows[i].stats.sent_bytes = sent * t.payload.size();
        const auto& from = sc.nodes[static_cast<std::size_t>(t.from)];
        if (t.kind == TrafficKind::Frame) frames_of.try_emplace({from.interfaces[0].mac.to_string(), t.dst_mac.to_string(), t.ethertype}, i);
        for (const sim::InterfaceSpec& iface : from.interfaces)
            if (iface.ip && t.kind == TrafficKind::Udp) datagrams_of[{iface.ip->address().to_string(), port}] = i;
    }
    for (auto& s : services) {
        std::istringstream in(s->finish());
        for (std::string line; std::getline(in, line);) {
            std::istringstream l(line);
            std::string word, a, b;
            unsigned number = 0;
            std::uint64_t count = 0, bytes = 0;
            int mismatched = 0;
            if (!(l >> word >> a >> b) || (word != "from" && word != "conn")) continue;
            std::size_t flow = 0;
            if (a.find(':') != std::string::npos) {  // a frame: from SRC DST ETHERTYPE ...
                if (!(l >> number >> count >> bytes >> mismatched)) continue;
                auto it = frames_of.find({a, b, number});
                if (it == frames_of.end()) continue;
                flow = it->second;
            } else {  // datagrams (from) or a TCP connection (conn): ADDRESS PORT ...
                std::istringstream(b) >> number;
                if (!(l >> count >> bytes >> mismatched)) continue;
                const auto& of = word == "conn" ? connections_of : datagrams_of;
                auto it = of.find({a, number});
                if (it == of.end()) continue;
                flow = it->second;
            }
            sim::FlowStats& f = run.flows[flow].stats;
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
    Processes apps(sc.traffic.size());
    // Traffic and topology events in time order (an event first at a tie, as
    // the simulator schedules events before traffic starts).
    struct Due {
        sim::SimTime at;
        bool event;
        std::size_t index;
    };
    std::vector<Due> order;
    for (std::size_t i = 0; i < sc.events.size(); ++i) order.push_back({sc.events[i].at, true, i});
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) order.push_back({sc.traffic[i].at, false, i});
    std::stable_sort(order.begin(), order.end(), [](const Due& a, const Due& b) { return a.at < b.at; });
    for (const Due& due : order) {
        if (due.at > o.until) continue;
        const auto at = start + std::chrono::nanoseconds(due.at.count());
        while (Clock::now() < at && !stopping(o)) pause(*captures);
        if (stopping(o)) break;
        if (due.event) {
            const sim::TopologyEvent& e = sc.events[due.index];
            if (auto set = lab.set_link(e.link, e.up); !set) return Unexpected<std::string>{set.error()};
            continue;
        }
        const std::size_t i = due.index;
        const sim::TrafficSpec& t = sc.traffic[i];
        run.flows[i].run = true;
        run.flows[i].stats.first_send = sim::SimTime::ns(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
        if (t.kind == TrafficKind::Ping) {
            pings[i] = std::make_unique<RunningTool>(ping_command(lab, t));
            await_first_frame(*captures, *pings[i], o);
        } else {
            apps[i] = start_app(lab, t);
        }
    }
    // To the scenario's end, as the simulation runs (ARP keeps asking after
    // a ping gave up), and until every ping has ended.
    auto end = start + std::chrono::nanoseconds(o.until.count());
    // A frame sender forked just before the end (01's second frame leaves
    // 1 ms in) needs a moment to enter its namespace and send, more so under
    // a sanitizer: 100 ms more, far below any protocol timer that would add frames.
    if (std::any_of(sc.traffic.begin(), sc.traffic.end(), [](const sim::TrafficSpec& t) { return t.kind == TrafficKind::Frame; }))
        end += std::chrono::milliseconds(100);
    while (Clock::now() < end && !stopping(o)) pause(*captures);
    for (std::size_t i = 0; i < pings.size(); ++i) {
        if (!pings[i]) continue;
        while (!pings[i]->exited() && !stopping(o)) pause(*captures);
        if (stopping(o)) pings[i]->stop(SIGINT);
        read_ping(sc.traffic[i], pings[i]->finish().output, run.flows[i]);
    }
    // Senders keep their sockets to the end (echoes find them); services count to the end.
    // A traceroute still probing at the end is cut there, as the simulation is.
    for (auto& a : apps)
        if (a) a->stop();
    for (auto& s : *services) s->stop();
    collect(sc, apps, *services, run);
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
            sim::detail::add_flow_details(t, f.stats, flow);
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
        const char* what = t.kind == TrafficKind::Ping         ? "replies"
                           : t.kind == TrafficKind::Traceroute ? "probes answered"
                           : t.kind == TrafficKind::Frame      ? "frames delivered"
                                                               : "datagrams delivered";
        if (t.kind == TrafficKind::Tcp)
            out += fmt::format("{}/{} bytes delivered{}", f.stats.delivered_bytes, f.stats.sent_bytes, intact(t, f) ? ", intact" : "");
        else
            out += fmt::format("{}/{} {}{}", f.stats.delivered_packets, f.stats.sent_packets, what, intact(t, f) ? ", intact" : "");
        if (t.kind == TrafficKind::Tcp && t.echo) out += fmt::format(", {} echoed", f.stats.echoed_bytes);
        if (f.stats.retransmissions) out += fmt::format(", {} retransmission{}", f.stats.retransmissions, f.stats.retransmissions == 1 ? "" : "s");
        if (f.stats.failure) out += fmt::format(", {}", f.stats.failure);
        if (f.stats.rtt.count) {
            const auto& r = f.stats.rtt;
            out += r.ttl_min == r.ttl_max ? fmt::format(", ttl {}", r.ttl_min) : fmt::format(", ttl {}-{}", r.ttl_min, r.ttl_max);
            out += fmt::format(", rtt min/avg/max {}/{}/{}", r.min.to_string(), r.avg().to_string(), r.max.to_string());
        }
        if (!f.note.empty()) out += ", " + f.note;
        out += "\n";
    }
    for (std::size_t i = 0; i < sc.traffic.size(); ++i)
        if (sc.traffic[i].kind == TrafficKind::Traceroute && run.flows[i].run) out += sim::traceroute_lines(sc, sc.traffic[i], run.flows[i].stats);
    if (!run.pcaps.empty()) out += fmt::format("\n{} link captures written (a packet socket on one end of each link)\n", run.pcaps.size());
    return out;
}

}  // namespace hopsim::kernel
