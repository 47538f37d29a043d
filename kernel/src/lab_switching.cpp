// What a lab's switches add beyond learning: the spanning tree as Linux's
// bridge reports it, and whether this kernel can build the scenario's
// switching at all (802.1Q needs CONFIG_VLAN_8021Q and
// CONFIG_BRIDGE_VLAN_FILTERING; the bridge's STP has minimum timers).

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "hopsim/kernel/lab.hpp"
#include "hopsim/kernel/tool.hpp"

namespace hopsim::kernel {

namespace {

// sysfs's "1000.020000000301" -> "4096/02:00:00:00:03:01", as the simulator writes it.
std::string bridge_id(const std::string& linux_id) {
    const auto dot = linux_id.find('.');
    if (dot == std::string::npos || linux_id.size() != dot + 13 ||
        linux_id.find_first_not_of("0123456789abcdef.") != std::string::npos)
        return linux_id.empty() ? "-" : linux_id;
    std::string mac;
    for (std::size_t i = dot + 1; i < linux_id.size(); i += 2) mac += (mac.empty() ? "" : ":") + linux_id.substr(i, 2);
    return fmt::format("{}/{}", std::stoul(linux_id.substr(0, dot), nullptr, 16), mac);
}

// The words after `key` in `ip -d link show` output.
std::string word_after(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    for (std::string w; in >> w;)
        if (w == key && in >> w) return w;
    return {};
}

bool supported(const std::string& ns, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ip", "-n", ns});
    return run_tool(argv).ok();
}

}  // namespace

Lab::StpView Lab::stp(int node) const {
    const std::string& ns = netns(node);
    StpView v;
    const std::string br = run_tool({"ip", "-n", ns, "-d", "link", "show", "br0"}).output;
    // sysfs, not `ip -d link`: iproute2 6.1 prints the bridge's own id as designated_root.
    std::string root = run_tool({"ip", "netns", "exec", ns, "cat", "/sys/class/net/br0/bridge/root_id"}).output;
    root = root.substr(0, root.find_first_of(" \n"));
    v.root_id = bridge_id(root);
    v.root_path_cost = std::stoull("0" + word_after(br, "root_path_cost"));
    const std::string root_port_no = word_after(br, "root_port");
    std::istringstream ports(run_tool({"bridge", "-n", ns, "link", "show"}).output);
    for (std::string line; std::getline(ports, line);) {
        std::istringstream words(line);
        std::string index, dev;
        words >> index >> dev;
        dev = dev.substr(0, dev.find_first_of(":@"));
        if (dev.size() < 2 || dev[0] != 'p') continue;
        const std::string port = dev.substr(1);
        v.states.emplace_back(port, word_after(line, "state"));
        const std::string port_no = word_after(run_tool({"ip", "-n", ns, "-d", "link", "show", dev}).output, "port_no");
        if (!port_no.empty() && root_port_no != "0" && std::stoul(port_no, nullptr, 16) == std::stoul(root_port_no, nullptr, 0))
            v.root_port = port;
    }
    std::sort(v.states.begin(), v.states.end());
    return v;
}

Result<bool, std::string> Lab::set_link(int link, bool up) const {
    for (const sim::Endpoint& e : sc_.links[static_cast<std::size_t>(link)].ends) {
        const std::vector<std::string> argv{"ip", "-n", netns(e.node), "link", "set", "dev", interface(e.node, e.port), up ? "up" : "down"};
        if (const ToolResult r = run_tool(argv); !r.ok())
            return Unexpected<std::string>{fmt::format("{}: {}", join_args(argv), r.output.substr(0, r.output.find('\n')))};
    }
    return true;
}

std::string kernel_cannot_express(const Scenario& sc) {
    bool vlans = false, stp = false;
    for (const auto& n : sc.nodes) {
        if (n.rip.enabled)
            return fmt::format("{} runs RIP, and the lab runs no routing daemon in a router's namespace yet "
                               "(bird2 or frr would); its routes would be missing", n.id);
        if (n.dhcp || std::any_of(n.services.begin(), n.services.end(), [](const sim::ServiceSpec& s) { return s.kind == sim::ServiceKind::DhcpServer; }))
            return fmt::format("{} takes part in DHCP, and the lab runs no DHCP server or client yet (dnsmasq and dhclient would)", n.id);
        if (n.dns || std::any_of(n.services.begin(), n.services.end(), [](const sim::ServiceSpec& s) { return s.kind == sim::ServiceKind::DnsServer; }))
            return fmt::format("{} takes part in DNS, and the lab runs no DNS server or resolver yet (dnsmasq would)", n.id);
    }
    for (const auto& n : sc.nodes) {
        vlans |= n.vlan_aware();
        stp |= n.stp;
        for (const auto& i : n.interfaces) vlans |= i.parent >= 0;
    }
    if (stp) {
        // net/bridge/br_private.h: BR_MIN/MAX_HELLO_TIME, _MAX_AGE, _FORWARD_DELAY.
        const sim::StpTimers& t = sc.stp_timers;
        auto within = [](sim::SimTime v, int lo, int hi) { return v >= sim::SimTime::s(lo) && v <= sim::SimTime::s(hi); };
        if (!within(t.hello, 1, 10) || !within(t.max_age, 6, 40) || !within(t.forward_delay, 2, 30))
            return fmt::format("Linux's bridge takes STP timers of hello 1-10 s, max age 6-40 s and forward delay 2-30 s; "
                               "the scenario's are {}, {} and {}",
                               t.hello.to_string(), t.max_age.to_string(), t.forward_delay.to_string());
    }
    if (!vlans) return {};
    // Ask the kernel itself, in a namespace of our own that goes again.
    const std::string ns = fmt::format("{}{}-probe", kPrefix, ::getpid());
    if (!run_tool({"ip", "netns", "add", ns}).ok()) return {};  // the build will say why
    std::string why;
    if (!supported(ns, {"link", "add", "br0", "type", "bridge", "vlan_filtering", "1"}))
        why = "this kernel's bridge has no VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING is off: "
              "`ip link add br0 type bridge vlan_filtering 1` is not supported)";
    else if (!supported(ns, {"link", "add", "v0", "type", "veth", "peer", "name", "v1"}) ||
             !supported(ns, {"link", "add", "link", "v0", "name", "v0.10", "type", "vlan", "id", "10"}))
        why = "this kernel has no 802.1Q VLAN devices (CONFIG_VLAN_8021Q is off: "
              "`ip link add link eth0 name eth0.10 type vlan id 10` is not supported)";
    run_tool({"ip", "netns", "del", ns});
    return why;
}

}  // namespace hopsim::kernel
