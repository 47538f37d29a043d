// traffic: ping, udp, tcp and raw frames, each from a host, with its
// destination resolved to an address (and a node when "to" names one).

#include <fmt/core.h>

#include <algorithm>

#include <unordered_set>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

constexpr std::size_t kMaxDatagram = 65507;           // 65535 - IPv4 20 - UDP 8
constexpr std::size_t kMaxTcpPayload = 1'000'000'000;  // a gigabyte: enough for any lesson
constexpr std::size_t kMaxFramePayload = 9000;

// "B", "B:9000", "10.0.0.2", "10.0.0.2:9000", "www.example.org" or "www.example.org:80".
bool resolve_to(LoadContext& c, const std::string& text, const std::string& path, bool needs_port,
                TrafficSpec& t) {
    const auto colon = text.find(':');
    const std::string host = text.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string port = text.substr(colon + 1);
        const auto number = parse_port(port, 65535);
        if (!number) {
            c.error(path, fmt::format("bad port \"{}\" (1-65535)", port));
            return false;
        }
        t.to_port = static_cast<std::uint16_t>(*number);
    } else if (needs_port) {
        c.error(path, fmt::format("\"{}\" needs a port, e.g. \"{}:9000\"", text, text));
        return false;
    }
    if (auto ip = net::Ipv4Address::parse(host)) {
        t.to_ip = *ip;
        if (c.ip_owner.empty())  // built once, on the first address to look up
            for (std::size_t n = 0; n < c.sc.nodes.size(); ++n)
                for (const InterfaceSpec& i : c.sc.nodes[n].interfaces)
                    if (i.ip) c.ip_owner.emplace(i.ip->address(), static_cast<int>(n));
        if (auto it = c.ip_owner.find(*ip); it != c.ip_owner.end()) t.to_node = it->second;
        if (ip->is_loopback()) t.to_node = t.from;  // 127.0.0.0/8: the sending host itself
        return true;
    }
    const int node = c.sc.find_node(host);
    if (node < 0) return name_destination(c, host, path, t);
    if (c.sc.nodes[static_cast<std::size_t>(node)].dhcp) {  // no address until its lease: the flow waits for it
        t.to_node = node;
        t.to_lease = true;
        return true;
    }
    for (const InterfaceSpec& i : c.sc.nodes[static_cast<std::size_t>(node)].interfaces) {
        if (i.ip) {
            t.to_ip = i.ip->address();
            t.to_node = node;
            return true;
        }
    }
    c.error(path, fmt::format("{} has no IPv4 address to send to", host));
    return false;
}

}  // namespace

namespace {

// kind, the properties it allows and its defaults; false for an unknown kind.
bool read_kind(LoadContext& c, const Json& j, const std::string& path, TrafficSpec& t) {
    auto kind = c.string(j, "kind", path, true);
    if (!kind) return false;
    if (*kind == "ping") {
        t.kind = TrafficKind::Ping;
        c.check_keys(j, path, {"id", "at", "kind", "from", "to", "count", "interval", "ttl", "size", "payload", "df"});
        t.interval = SimTime::s(1);  // ping's default
        t.payload = Payload::pattern(56);
    } else if (*kind == "udp") {
        t.kind = TrafficKind::Udp;
        c.check_keys(j, path, {"id", "at", "kind", "from", "to", "count", "interval", "ttl", "payload", "df"});
        t.interval = SimTime::ms(1);
        t.payload = Payload::pattern(64);
    } else if (*kind == "tcp") {
        t.kind = TrafficKind::Tcp;
        c.check_keys(j, path, {"id", "at", "kind", "from", "to", "payload", "echo", "ttl"});
    } else if (*kind == "frame") {
        t.kind = TrafficKind::Frame;
        c.check_keys(j, path, {"id", "at", "kind", "from", "dst_mac", "ethertype", "payload", "count", "interval"});
        t.interval = SimTime::ms(1);
        t.payload = Payload::pattern(46);  // the smallest Ethernet payload
    } else if (*kind == "traceroute") {
        t.kind = TrafficKind::Traceroute;
        c.check_keys(j, path, {"id", "at", "kind", "from", "to", "max_ttl", "probes", "proto", "wait", "df"});
        t.payload = Payload::pattern(32);  // Linux traceroute's 60-byte probes
        t.df = false;                      // traceroute sets DF only with -F
        if (auto m = c.integer(j, "max_ttl", path, 1, 255)) t.max_ttl = static_cast<int>(*m);
        if (auto n = c.integer(j, "probes", path, 1, 10)) t.probes = static_cast<int>(*n);
        if (auto w = c.duration(j, "wait", path, false)) t.wait = *w;
        if (auto proto = c.string(j, "proto", path, false)) {
            if (*proto == "icmp") t.icmp_probes = true;
            else if (*proto != "udp") c.error(join(path, "proto"), fmt::format("\"{}\" is not udp or icmp", *proto));
        }
    } else {
        c.error(join(path, "kind"), fmt::format("unknown traffic kind \"{}\" (ping, udp, tcp, frame or traceroute)", *kind));
        return false;
    }
    return true;
}

// "from": a host of the scenario.
void read_source(LoadContext& c, const Json& j, const std::string& path, TrafficSpec& t) {
    auto from = c.string(j, "from", path, true);
    if (!from) return;
    t.from = c.sc.find_node(*from);
    if (t.from < 0) return c.error(join(path, "from"), fmt::format("unknown node \"{}\"", *from));
    const NodeSpec& n = c.sc.nodes[static_cast<std::size_t>(t.from)];
    if (n.kind != NodeKind::Host)
        c.error(join(path, "from"), fmt::format("{} is a {}; traffic starts at a host", *from, to_string(n.kind)));
}

// A frame's dst_mac and ethertype ("0x88b5" or a number).
void read_frame_header(LoadContext& c, const Json& j, const std::string& path, TrafficSpec& t) {
    if (auto m = c.mac(j, "dst_mac", path)) t.dst_mac = *m;
    const Json* et = c.field(j, "ethertype");
    if (!et) return;
    std::optional<long> v;
    if (et->is_number_integer()) {
        v = et->get<long>();
    } else if (et->is_string()) {
        const std::string& s = et->get_ref<const std::string&>();
        char* end = nullptr;
        const long parsed = std::strtol(s.c_str(), &end, 0);
        if (!s.empty() && end && *end == '\0') v = parsed;
    }
    if (!v || *v < 0x0600 || *v > 0xffff)
        c.error(join(path, "ethertype"), fmt::format("{} is not an EtherType (\"0x0600\" to \"0xffff\")", describe(*et)));
    else
        t.ethertype = static_cast<std::uint16_t>(*v);
}

// "to" (every kind but frame), or the frame's header.
void read_destination(LoadContext& c, const Json& j, const std::string& path, TrafficSpec& t) {
    if (t.kind == TrafficKind::Frame) return read_frame_header(c, j, path, t);
    const bool needs_port = t.kind == TrafficKind::Udp || t.kind == TrafficKind::Tcp;
    if (auto to = c.string(j, "to", path, true)) resolve_to(c, *to, join(path, "to"), needs_port, t);
    if (t.from < 0) return;
    const NodeSpec& from = c.sc.nodes[static_cast<std::size_t>(t.from)];
    if (!from.interfaces.empty() && !from.dhcp &&
        std::none_of(from.interfaces.begin(), from.interfaces.end(), [](const InterfaceSpec& i) { return i.ip.has_value(); }))
        c.error(join(path, "from"), fmt::format("{} has no IPv4 address to send from", from.id));
}

// payload (or ping's size), count, interval, ttl, echo, df.
void read_payload_and_options(LoadContext& c, const Json& j, const std::string& path, TrafficSpec& t) {
    const std::size_t max_payload = t.kind == TrafficKind::Tcp     ? kMaxTcpPayload
                                    : t.kind == TrafficKind::Frame ? kMaxFramePayload
                                                                   : kMaxDatagram;
    if (t.kind == TrafficKind::Ping && c.field(j, "size")) {
        if (auto n = c.integer(j, "size", path, 0, static_cast<std::int64_t>(kMaxDatagram - 8)))
            t.payload = Payload::pattern(static_cast<std::size_t>(*n));
    }
    if (auto p = c.payload(j, "payload", path, max_payload)) t.payload = std::move(*p);
    else if (t.kind == TrafficKind::Tcp && !c.field(j, "payload")) c.error(join(path, "payload"), "missing");
    if (auto n = c.integer(j, "count", path, 1, 10'000'000)) t.count = static_cast<int>(*n);
    if (auto iv = c.duration(j, "interval", path, false)) t.interval = *iv;
    if (auto ttl = c.integer(j, "ttl", path, 1, 255)) t.ttl = static_cast<int>(*ttl);
    for (auto [name, flag] : {std::pair{"echo", &t.echo}, std::pair{"df", &t.df}}) {
        if (const Json* e = c.field(j, name)) {
            if (!e->is_boolean()) c.error(join(path, name), "expected true or false");
            else *flag = e->get<bool>();
        }
    }
}

}  // namespace

void load_traffic(LoadContext& c, const Json& traffic) {
    if (!traffic.is_array()) return c.error("traffic", "expected a list");
    std::unordered_set<std::string> ids;
    for (std::size_t i = 0; i < traffic.size(); ++i) {
        const std::string path = index("traffic", i);
        const Json& j = traffic[i];
        if (!c.is_object(j, path)) continue;
        TrafficSpec t;
        t.id = c.string(j, "id", path, false).value_or(fmt::format("traffic[{}]", i));
        if (!ids.insert(t.id).second) c.error(join(path, "id"), fmt::format("duplicate flow id \"{}\"", t.id));
        t.at = c.duration(j, "at", path, false).value_or(SimTime());
        if (!read_kind(c, j, path, t)) continue;
        read_source(c, j, path, t);
        read_destination(c, j, path, t);
        read_payload_and_options(c, j, path, t);
        c.sc.traffic.push_back(std::move(t));
    }
}

}  // namespace hopsim::sim::detail
