#include "hopsim/kernel/lab.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "hopsim/kernel/tool.hpp"
#include "hopsim/sim/stp.hpp"

namespace hopsim::kernel {

namespace {

using sim::NodeKind;

// Namespace names keep the node id readable where it is safe to.
std::string safe(const std::string& id) {
    std::string s;
    for (char c : id) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return s.substr(0, 64);
}

bool is_bridge(NodeKind k) { return k == NodeKind::Switch || k == NodeKind::Hub; }

// The model the simulator implements, and no IPv6 chatter on the captures.
const char* const kEveryNamespace[] = {
    "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
};
const char* const kStack[] = {
    "net.ipv4.tcp_sack=0", "net.ipv4.tcp_timestamps=0", "net.ipv4.tcp_window_scaling=0",
    "net.ipv4.tcp_no_metrics_save=1", "net.ipv4.tcp_congestion_control=reno",
    "net.ipv4.icmp_ratelimit=0",  // the simulator does not rate-limit ICMP errors
    "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
    "net.ipv4.ping_group_range=0 0",  // root may open a ping socket (ICMP traceroute probes)
};

void kill_and_delete(const std::string& ns) {
    const ToolResult pids = run_tool({"ip", "netns", "pids", ns});
    std::istringstream in(pids.output);
    for (long pid; in >> pid;)
        if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
    run_tool({"ip", "netns", "del", ns});
}

// A port's VLANs as `bridge vlan` sets them: the default (VLAN 1 untagged)
// removed, then the access VLAN, or the trunk's tagged VLANs and its native one.
void add_port_vlans(const std::string& ns, const std::string& dev, const sim::SwitchPortSpec& p, std::vector<Lab::Step>& steps) {
    auto add = [&](std::vector<std::string> argv) { steps.push_back({std::move(argv), {}}); };
    add({"bridge", "-n", ns, "vlan", "del", "dev", dev, "vid", "1"});
    for (std::uint16_t vid : p.trunk)
        if (vid != p.native) add({"bridge", "-n", ns, "vlan", "add", "dev", dev, "vid", std::to_string(vid)});
    add({"bridge", "-n", ns, "vlan", "add", "dev", dev, "vid", std::to_string(p.untagged_vlan()), "pvid", "untagged"});
}

}  // namespace

std::string cannot_build() {
    if (::geteuid() != 0)
        return "building the scenario of network namespaces needs root (CAP_NET_ADMIN): run it as root";
    if (!run_tool({"ip", "-V"}).ok()) return "the ip tool is missing: install the Debian package iproute2";
    return {};
}

Lab::Lab(const Scenario& sc) : sc_(sc) {
    const std::string run = fmt::format("{}{}-", kPrefix, ::getpid());
    for (const auto& n : sc.nodes) netns_.push_back(run + safe(n.id));
    stp_costs_ = linux_stp_costs(sc, &stp_cost_divisor_);
}

std::vector<std::vector<std::uint32_t>> linux_stp_costs(const Scenario& sc, std::uint32_t* divisor) {
    std::vector<std::vector<std::uint32_t>> costs(sc.nodes.size());
    std::uint32_t g = 0;
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        if (!sc.nodes[i].stp) continue;
        costs[i] = sim::switch_path_costs(sc, static_cast<int>(i));
        for (std::uint32_t c : costs[i]) g = std::gcd(g, c);
    }
    // Linux takes costs of 1..65535 (802.1D-1998's range); 802.1D-2004's are
    // larger. Dividing all by their common divisor keeps every comparison.
    bool fits = true;
    for (const auto& node : costs)
        for (std::uint32_t c : node) fits &= c <= 65535;
    const std::uint32_t d = fits || g == 0 ? 1 : g;
    for (auto& node : costs)
        for (std::uint32_t& c : node) c = std::max<std::uint32_t>(1, c / d);
    if (divisor) *divisor = d;
    return costs;
}

Lab::~Lab() {
    if (!keep_) remove();
}

void Lab::remove() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) kill_and_delete(*it);
    made_.clear();
}

std::vector<std::pair<std::string, std::string>> Lab::table(int node) const {
    std::vector<std::pair<std::string, std::string>> out;
    const bool bridge = is_bridge(sc_.nodes[static_cast<std::size_t>(node)].kind);
    const std::string& ns = netns(node);
    std::istringstream in(bridge ? run_tool({"bridge", "-n", ns, "fdb", "show", "br", "br0"}).output
                                 : run_tool({"ip", "-n", ns, "neigh", "show"}).output);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::vector<std::string> w;
        for (std::string s; words >> s;) w.push_back(s);
        if (bridge) {  // "02:00:00:00:00:0a dev p1 [vlan 10] master br0"; the ports' own addresses are "permanent"
            if (w.size() >= 3 && w[1] == "dev" && w[2].size() > 1 && w[2][0] == 'p' && line.find("permanent") == std::string::npos)
                out.emplace_back(w.size() >= 5 && w[3] == "vlan" ? w[0] + " vlan " + w[4] : w[0], w[2].substr(1));
        } else {  // "10.0.0.2 dev eth0 lladdr 02:00:00:00:00:0b REACHABLE"; FAILED and INCOMPLETE have no address
            if (w.size() >= 5 && w[3] == "lladdr") out.emplace_back(w[0], w[4]);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string Lab::interface(int node, int port) const {
    const auto& n = sc_.nodes[static_cast<std::size_t>(node)];
    if (is_bridge(n.kind)) return fmt::format("p{}", port + 1);
    const std::string& name = n.interfaces[static_cast<std::size_t>(port)].name;
    // Linux allows 15 characters, no '/', ':' or spaces.
    const bool usable = !name.empty() && name.size() <= 15 && name.find_first_of("/: \t") == std::string::npos;
    return usable ? name : fmt::format("if{}", port);
}

Result<std::unique_ptr<Lab>, std::string> Lab::build(const Scenario& sc) {
    std::unique_ptr<Lab> lab(new Lab(sc));
    if (auto made = lab->make(); !made) return Unexpected<std::string>{made.error()};  // the destructor removes the rest
    return lab;
}

// A router's "nat" as nftables says it: masquerade what leaves by the
// outside interface, DNAT each port forward, and drop what arrives there
// for the router itself unasked (the simulator's nat-no-mapping), but for
// echo requests (answered) and RIP (which has its own reasons).
void Lab::add_nat(int node, std::vector<Step>& steps) const {
    const sim::NatSpec& nat = sc_.nodes[static_cast<std::size_t>(node)].nat;
    const std::string& ns = netns_[static_cast<std::size_t>(node)];
    const std::string outside = interface(node, nat.outside);
    auto nft = [&](std::vector<std::string> words) {
        std::vector<std::string> argv{"ip", "netns", "exec", ns, "nft"};
        argv.insert(argv.end(), words.begin(), words.end());
        steps.push_back({std::move(argv), {}});
    };
    nft({"add", "table", "ip", "hopsim_nat"});
    nft({"add", "chain", "ip", "hopsim_nat", "postrouting", "{ type nat hook postrouting priority 100; }"});
    nft({"add", "rule", "ip", "hopsim_nat", "postrouting", "oifname", outside, "masquerade"});
    nft({"add", "chain", "ip", "hopsim_nat", "prerouting", "{ type nat hook prerouting priority -100; }"});
    for (const sim::PortForward& f : nat.forwards)
        nft({"add", "rule", "ip", "hopsim_nat", "prerouting", "iifname", outside, f.protocol == 6 ? "tcp" : "udp", "dport",
             std::to_string(f.outside_port), "dnat", "to", fmt::format("{}:{}", f.to.to_string(), f.to_port)});
    nft({"add", "chain", "ip", "hopsim_nat", "input", "{ type filter hook input priority 0; }"});
    nft({"add", "rule", "ip", "hopsim_nat", "input", "iifname", outside, "ct", "state", "new", "udp", "dport", "!=",
         "520", "drop"});
    nft({"add", "rule", "ip", "hopsim_nat", "input", "iifname", outside, "ct", "state", "new", "meta", "l4proto", "tcp",
         "drop"});
}

std::vector<Lab::Step> Lab::plan() const {
    std::vector<Step> steps;
    auto add = [&](std::vector<std::string> argv, std::string optional = {}) { steps.push_back({std::move(argv), std::move(optional)}); };
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
        const auto& n = sc_.nodes[i];
        const std::string& ns = netns_[i];
        add({"ip", "netns", "add", ns});
        add({"ip", "-n", ns, "link", "set", "lo", "up"});
        std::vector<std::string> settings(std::begin(kEveryNamespace), std::end(kEveryNamespace));
        if (!is_bridge(n.kind)) settings.insert(settings.end(), std::begin(kStack), std::end(kStack));
        if (n.kind == NodeKind::Router) settings.push_back("net.ipv4.ip_forward=1");
        for (const std::string& s : settings) add({"ip", "netns", "exec", ns, "sysctl", "-q", "-w", s});
        if (is_bridge(n.kind)) {
            // A hub never learns: ageing 0 makes the bridge flood every frame.
            const long centis = n.kind == NodeKind::Hub ? 0 : static_cast<long>(n.mac_ageing.count() / 10'000'000);
            // VLAN settings on any port: Linux's 802.1Q-aware bridge (vlan_filtering 1).
            std::vector<std::string> argv{"ip", "-n", ns, "link", "add", "br0"};
            if (n.stp) argv.insert(argv.end(), {"address", sim::switch_port_mac(static_cast<int>(i), 0).to_string()});
            argv.insert(argv.end(), {"type", "bridge", "stp_state", n.stp ? "1" : "0", "mcast_snooping", "0", "ageing_time",
                                     std::to_string(centis)});
            // (a kernel without CONFIG_BRIDGE_VLAN_FILTERING refuses the option, even as 0)
            if (n.vlan_aware()) argv.insert(argv.end(), {"vlan_filtering", "1"});
            if (n.stp) {
                // Linux's bridge STP with the scenario's priority and timers (centiseconds),
                // and the simulator's bridge address, so both elect the same root.
                const sim::StpTimers& t = sc_.stp_timers;
                for (const auto& [key, value] : {std::pair{"priority", std::to_string(n.stp_priority)},
                                                 {"hello_time", std::to_string(t.hello.count() / 10'000'000)},
                                                 {"max_age", std::to_string(t.max_age.count() / 10'000'000)},
                                                 {"forward_delay", std::to_string(t.forward_delay.count() / 10'000'000)}})
                    argv.insert(argv.end(), {key, value});
            }
            add(std::move(argv));
            add({"ip", "-n", ns, "link", "set", "br0", "up"});
        }
    }
    for (const sim::LinkSpec& l : sc_.links) {
        const auto [a, b] = l.ends;
        add({"ip", "link", "add", interface(a.node, a.port), "netns", netns(a.node), "type", "veth", "peer", "name",
             interface(b.node, b.port), "netns", netns(b.node)});
        for (const sim::Endpoint& e : l.ends) {
            const auto& n = sc_.nodes[static_cast<std::size_t>(e.node)];
            const std::string ns = netns(e.node), dev = interface(e.node, e.port);
            add({"ip", "-n", ns, "link", "set", dev, "mtu", std::to_string(l.mtu)});
            // Checksums in software: with offload a veth hands packets on with
            // the UDP/TCP checksum not yet filled in, and the capture shows them bad.
            add({"ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off"});
            if (is_bridge(n.kind)) {
                if (n.stp) add({"ip", "-n", ns, "link", "set", dev, "address", sim::switch_port_mac(e.node, e.port).to_string()});
                add({"ip", "-n", ns, "link", "set", dev, "master", "br0"});
                if (n.stp) add({"bridge", "-n", ns, "link", "set", "dev", dev, "cost", std::to_string(stp_costs_[static_cast<std::size_t>(e.node)][static_cast<std::size_t>(e.port)])});
                if (n.vlan_aware()) add_port_vlans(ns, dev, n.port_spec(e.port), steps);
            } else {
                const auto& iface = n.interfaces[static_cast<std::size_t>(e.port)];
                add({"ip", "-n", ns, "link", "set", dev, "address", iface.mac.to_string()});
                if (iface.ip) add({"ip", "-n", ns, "addr", "add", iface.ip->to_string(), "brd", "+", "dev", dev});
            }
            // The link's rate with the simulator's per-frame overhead (preamble,
            // FCS, inter-frame gap: 24 bytes) and its queue of frames; where tc
            // cannot, the report says rates are not reproduced.
            add({"ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", "stab", "overhead", "24", "tbf", "rate",
                 std::to_string(l.bandwidth_bps) + "bit", "burst", std::to_string(l.mtu + 14 + 24), "limit",
                 std::to_string(static_cast<long>(l.queue) * (l.mtu + 14))},
                "link rates");
            // Loss as the simulator applies it, to each frame leaving either end
            // (nftables' egress hook, before the queue): a random number per frame.
            if (l.loss > 0) {
                const std::string chain = "loss_" + dev;
                add({"ip", "netns", "exec", ns, "nft", "add", "table", "netdev", "hopsim"}, "link loss");
                add({"ip", "netns", "exec", ns, "nft", "add", "chain", "netdev", "hopsim", chain,
                     fmt::format("{{ type filter hook egress device \"{}\" priority 0; }}", dev)},
                    "link loss");
                add({"ip", "netns", "exec", ns, "nft", "add", "rule", "netdev", "hopsim", chain, "numgen", "random", "mod",
                     "1000000", "<", std::to_string(std::lround(l.loss * 1e6)), "drop"},
                    "link loss");
            }
            add({"ip", "-n", ns, "link", "set", dev, "up"});
        }
    }
    // 802.1Q subinterfaces, on their parents made above: "ip link add link eth0 name eth0.10 type vlan id 10".
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
        const auto& n = sc_.nodes[i];
        for (std::size_t k = 0; k < n.interfaces.size(); ++k) {
            const auto& iface = n.interfaces[k];
            if (iface.parent < 0) continue;
            const std::string& ns = netns_[i];
            const std::string dev = interface(static_cast<int>(i), static_cast<int>(k));
            add({"ip", "-n", ns, "link", "add", "link", interface(static_cast<int>(i), iface.parent), "name", dev, "type", "vlan",
                 "id", std::to_string(iface.vlan)});
            add({"ip", "-n", ns, "link", "set", dev, "address", iface.mac.to_string()});
            add({"ip", "netns", "exec", ns, "ethtool", "-K", dev, "tx", "off"});
            if (iface.ip) add({"ip", "-n", ns, "addr", "add", iface.ip->to_string(), "brd", "+", "dev", dev});
            add({"ip", "-n", ns, "link", "set", dev, "up"});
        }
    }
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i)
        if (sc_.nodes[i].nat.enabled) add_nat(static_cast<int>(i), steps);
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
        const auto& n = sc_.nodes[i];
        if (n.gateway) add({"ip", "-n", netns_[i], "route", "add", "default", "via", n.gateway->to_string()});
        for (const sim::RouteSpec& r : n.routes) {
            std::vector<std::string> argv{"ip", "-n", netns_[i], "route", "add", r.to.to_string()};
            if (r.via) argv.insert(argv.end(), {"via", r.via->to_string()});
            if (r.dev >= 0) argv.insert(argv.end(), {"dev", interface(static_cast<int>(i), r.dev)});
            add(std::move(argv));
        }
    }
    return steps;
}

Result<bool, std::string> Lab::make() {
    sysctls_.assign(std::begin(kEveryNamespace), std::end(kEveryNamespace));
    for (const char* s : kStack) sysctls_.push_back(std::string(s) + " (hosts and routers)");
    sysctls_.push_back("net.ipv4.ip_forward=1 (routers)");
    sysctls_.push_back("quickack 1 on every route: no delayed ACKs (hosts and routers)");
    std::vector<std::string> failed;  // optional parts that could not be built
    for (const Step& step : plan()) {
        if (!step.optional.empty() && std::find(failed.begin(), failed.end(), step.optional) != failed.end()) continue;
        const ToolResult r = run_tool(step.argv);
        if (r.ok()) {
            if (step.argv[1] == "netns" && step.argv[2] == "add") made_.push_back(step.argv[3]);
            continue;
        }
        const std::string why = r.output.substr(0, r.output.find('\n'));
        if (!step.optional.empty()) {
            // Optional steps are "ip netns exec NS TOOL ...": name the tool.
            not_reproduced_.push_back(fmt::format("{} ({}: {})", step.optional, step.argv[4], why.empty() ? "failed" : why));
            failed.push_back(step.optional);
            continue;
        }
        return Unexpected<std::string>{fmt::format("{}: {}", join_args(step.argv), why.empty() ? "failed" : why)};
    }
    if (auto ready = wait_until_up(); !ready) return ready;
    if (auto quick = no_delayed_acks(); !quick) return quick;

    bool delays = false, losses = false, hubs = false;
    for (const sim::LinkSpec& l : sc_.links) delays |= l.delay.count() > 0, losses |= l.loss > 0;
    for (const auto& n : sc_.nodes) hubs |= n.kind == NodeKind::Hub;
    if (delays) not_reproduced_.push_back("link delays (not applied: frames are compared, not their times)");
    if (losses && std::find(failed.begin(), failed.end(), "link loss") == failed.end())
        not_reproduced_.push_back("which frames are lost (the loss rate is applied: a random number per frame, not the scenario's seed)");
    if (hubs) not_reproduced_.push_back("hub collisions (a hub is a bridge that floods every frame; there is no shared medium)");
    return true;
}

// The kernel brings links up and bridge ports to forwarding asynchronously
// (linkwatch batches carrier changes for up to a second): traffic started at
// once would lose its first frames in a bridge that is not forwarding yet.
Result<bool, std::string> Lab::wait_until_up() const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        std::string waiting;
        for (std::size_t i = 0; i < sc_.nodes.size() && waiting.empty(); ++i) {
            const auto& n = sc_.nodes[i];
            for (const sim::LinkSpec& l : sc_.links)
                for (const sim::Endpoint& e : l.ends) {
                    if (e.node != static_cast<int>(i) || !waiting.empty()) continue;
                    const std::string dev = interface(e.node, e.port);
                    const std::string out = is_bridge(n.kind) ? run_tool({"bridge", "-n", netns_[i], "link", "show", "dev", dev}).output
                                                              : run_tool({"ip", "-n", netns_[i], "-o", "link", "show", "dev", dev}).output;
                    // A spanning-tree port is up once STP has it (listening or blocking): forwarding comes later.
                    const bool up = is_bridge(n.kind) ? out.find(n.stp ? "master br0" : "state forwarding") != std::string::npos &&
                                                            out.find("state disabled") == std::string::npos
                                                      : out.find("state UP") != std::string::npos;
                    if (!up) waiting = n.id + ":" + dev;
                }
        }
        if (waiting.empty()) return true;
        if (std::chrono::steady_clock::now() > deadline)
            return Unexpected<std::string>{fmt::format("{} did not come up within 5 s", waiting)};
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// The simulator acknowledges every segment at once; Linux delays ACKs unless
// the route says quickack. Every route, the ones the kernel made for the
// addresses included, gets it once they exist (when the links are up).
Result<bool, std::string> Lab::no_delayed_acks() const {
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
        if (is_bridge(sc_.nodes[i].kind)) continue;
        std::istringstream routes(run_tool({"ip", "-n", netns_[i], "-o", "route", "show"}).output);
        for (std::string line; std::getline(routes, line);) {
            std::vector<std::string> argv{"ip", "-n", netns_[i], "route", "change"};
            std::istringstream words(line);
            for (std::string w; words >> w;)
                if (w != "linkdown") argv.push_back(w);
            argv.insert(argv.end(), {"quickack", "1"});
            if (const ToolResult r = run_tool(argv); !r.ok())
                return Unexpected<std::string>{fmt::format("{}: {}", join_args(argv), r.output.substr(0, r.output.find('\n')))};
        }
    }
    return true;
}

// Whether the run that made a namespace ("hopsim-<pid>-A") is still going:
// its pid alive and still a hopsim (pids are reused).
bool owner_running(const std::string& name) {
    const std::size_t from = std::string(kPrefix).size(), dash = name.find('-', from);
    if (dash == std::string::npos) return false;
    long pid = 0;
    try {
        pid = std::stol(name.substr(from, dash - from));
    } catch (...) {
        return false;
    }
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string what;
    return comm && std::getline(comm, what) && what.rfind("hopsim", 0) == 0;
}

std::vector<std::string> remove_leftovers() {
    std::vector<std::string> removed;
    std::istringstream in(run_tool({"ip", "netns", "list"}).output);
    for (std::string line; std::getline(in, line);) {
        const std::string name = line.substr(0, line.find(' '));
        if (name.rfind(kPrefix, 0) != 0 || owner_running(name)) continue;
        kill_and_delete(name);
        removed.push_back(name);
    }
    return removed;
}

}  // namespace hopsim::kernel
