#include "hopsim/viz/timeline.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/rip.hpp"
#include "hopsim/netstack/stp.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/sim/tcp_connection.hpp"

namespace hopsim::viz {

const char* to_string(Proto p) {
    switch (p) {
        case Proto::Arp: return "ARP";
        case Proto::Icmp: return "ICMP";
        case Proto::Udp: return "UDP";
        case Proto::Tcp: return "TCP";
        case Proto::Raw: return "raw";
        case Proto::None: return "-";
    }
    return "?";
}

namespace {
// A UDP datagram by what it carries: the application protocols the dissector
// knows by port, else the ports and payload size.
std::string udp_label(const net::Dissection& d) {
    auto v = [&](const char* l, const char* f) { return d.value(l, f).value_or(0); };
    auto count = [](std::uint64_t n, const char* one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); };
    if (d.find("rip"))
        return v("rip", "command") == net::kRipRequest ? std::string("RIP request")
                                                     : "RIP response, " + count(v("rip", "entries"), "route");
    if (d.find("dhcp")) {
        static constexpr const char* kTypes[] = {"?", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM"};
        const auto t = v("dhcp", "msg_type");
        return fmt::format("DHCP {}", t < std::size(kTypes) ? kTypes[t] : "?");
    }
    if (d.find("dns")) {
        if (!v("dns", "response")) return "DNS query";
        return v("dns", "rcode") == 3 ? std::string("DNS NXDOMAIN") : "DNS answer, " + count(v("dns", "answers"), "record");
    }
    return fmt::format("UDP {}>{} {}B", v("udp", "sport"), v("udp", "dport"), v("app", "len"));
}
}  // namespace

Proto classify(const std::vector<std::uint8_t>& frame, std::string& label, const TcpIsns* isns) {
    const net::Dissection d = net::dissect(frame);
    auto v = [&](const char* l, const char* f) { return d.value(l, f).value_or(0); };
    auto ip = [](std::uint64_t a) { return net::Ipv4Address(static_cast<std::uint32_t>(a)).to_string(); };
    if (d.find("arp")) {
        label = v("arp", "op") == 1 ? "ARP who-has " + ip(v("arp", "tpa")) : "ARP " + ip(v("arp", "spa")) + " is-at";
        return Proto::Arp;
    }
    if (d.find("icmp")) {
        const auto type = v("icmp", "type");
        if (type == 8 || type == 0)
            label = fmt::format("ICMP echo {}seq={}", type == 0 ? "reply " : "", v("icmp", "seq"));
        else if (type == 11) label = "ICMP time exceeded";
        else if (type == 3) label = v("icmp", "code") == 4 ? "ICMP frag needed" : "ICMP unreachable";
        else label = fmt::format("ICMP type {}", type);
        return Proto::Icmp;
    }
    if (d.find("tcp")) {
        const auto flags = static_cast<std::uint8_t>(v("tcp", "flags"));
        const auto key = [&](bool reverse) {
            const auto a = static_cast<std::uint32_t>(v("ipv4", "src")), b = static_cast<std::uint32_t>(v("ipv4", "dst"));
            const auto pa = static_cast<std::uint16_t>(v("tcp", "sport")), pb = static_cast<std::uint16_t>(v("tcp", "dport"));
            return reverse ? std::tuple{b, pb, a, pa} : std::tuple{a, pa, b, pb};
        };
        // Relative to the side's SYN when it was seen, else the number on the wire.
        const auto relative = [&](std::uint64_t n, bool reverse) {
            const auto it = isns ? isns->find(key(reverse)) : TcpIsns::const_iterator{};
            return isns && it != isns->end() ? static_cast<std::uint32_t>(n - it->second) : static_cast<std::uint32_t>(n);
        };
        const auto len = v("app", "len");
        if (flags & 0x02) label = flags & 0x10 ? "TCP SYN-ACK" : "TCP SYN";
        else if (flags & 0x04) label = "TCP RST";
        else if (flags & 0x01) label = len ? fmt::format("TCP FIN {}B seq={}", len, relative(v("tcp", "seq"), false)) : "TCP FIN";
        else if (len) label = fmt::format("TCP {}B seq={}", len, relative(v("tcp", "seq"), false));
        else label = fmt::format("TCP ACK {}", relative(v("tcp", "ack"), true));
        return Proto::Tcp;
    }
    if (d.find("udp")) {
        label = udp_label(d);
        return Proto::Udp;
    }
    if (d.find("ipv4")) {
        label = fmt::format("IPv4 fragment @{}", v("ipv4", "frag"));
        return Proto::Udp;
    }
    if (d.find("stp")) {
        label = v("stp", "type") == net::kBpduTcn ? "STP TCN" : v("stp", "tc") ? "STP BPDU (TC)" : "STP BPDU";
        return Proto::Raw;
    }
    label = fmt::format("frame 0x{:04x}", v("eth", "type"));
    return Proto::Raw;
}

namespace {
void remember_isn(const std::vector<std::uint8_t>& frame, TcpIsns& isns) {
    const net::Dissection d = net::dissect(frame);
    auto v = [&](const char* l, const char* f) { return d.value(l, f).value_or(0); };
    if (!(v("tcp", "flags") & 0x02)) return;
    isns.emplace(std::tuple{static_cast<std::uint32_t>(v("ipv4", "src")), static_cast<std::uint16_t>(v("tcp", "sport")),
                            static_cast<std::uint32_t>(v("ipv4", "dst")), static_cast<std::uint16_t>(v("tcp", "dport"))},
                 static_cast<std::uint32_t>(v("tcp", "seq")));
}
}  // namespace

Timeline::Timeline(const sim::Scenario& sc, std::vector<sim::RecordedEvent> events)
    : sc_(sc), events_(std::move(events)), rx_times_(sc.nodes.size()), collision_times_(sc.nodes.size()),
      table_events_(sc.nodes.size()), stp_events_(sc.nodes.size()), dhcp_events_(sc.nodes.size()), proto_(events_.size(), Proto::None), about_(std::size(kFrameProtos) + 2) {
    // Which node hears a frame id's rx, and when; where a sender cut its frame short.
    std::unordered_map<std::uint64_t, std::size_t> rx_of;
    std::unordered_map<std::uint64_t, std::int64_t> cut_at;  // frame id -> when its sender stopped
    std::unordered_map<std::uint64_t, bool> damaged;
    std::string label;
    for (std::size_t i = 0; i < events_.size(); ++i) {
        const auto& e = events_[i];
        end_ = std::max(end_, e.t);
        const auto node = static_cast<std::size_t>(e.node);
        if (e.ev == sim::Ev::Rx) {
            if (e.frame) rx_of.emplace(e.frame, i);
            rx_times_[node].push_back(e.t);
        }
        if (e.ev == sim::Ev::Collision) {
            if (e.frame) damaged[e.frame] = true;
            collision_times_[node].push_back(e.t);
            if (e.frame && sc.nodes[node].kind != sim::NodeKind::Hub) cut_at.emplace(e.frame, e.t);
        }
        if ((e.ev == sim::Ev::Learn || e.ev == sim::Ev::Expire) && e.node >= 0) table_events_[node].push_back(static_cast<int>(i));
        if (e.ev == sim::Ev::State && e.conn == "stp" && e.node >= 0) stp_events_[node].push_back(static_cast<int>(i));
        if (e.ev == sim::Ev::State && e.conn == "dhcp" && e.node >= 0) dhcp_events_[node].push_back(static_cast<int>(i));
        if (!e.bytes.empty()) proto_[i] = classify(e.bytes, label);
        if (proto_[i] == Proto::Tcp && e.ev == sim::Ev::Tx) remember_isn(e.bytes, isns_);
        else if (e.table == sim::Table::Arp) proto_[i] = Proto::Arp;
        about_[static_cast<std::size_t>(proto_[i])].push_back(static_cast<int>(i));
        about_.back().push_back(static_cast<int>(i));
    }
    for (std::size_t i = 0; i < events_.size(); ++i) {
        const auto& e = events_[i];
        if (e.ev != sim::Ev::Tx || e.link < 0) continue;
        const sim::LinkSpec& link = sc.links[static_cast<std::size_t>(e.link)];
        Flight f;
        f.start = e.t;
        f.link = e.link;
        f.from = e.node;
        f.to = link.ends[0].node == e.node ? link.ends[1].node : link.ends[0].node;
        f.frame = e.frame;
        f.pkt = e.pkt;
        f.event = static_cast<int>(i);
        f.damaged = damaged.count(e.frame) > 0;
        f.full = e.t + e.wire_ns + link.delay.count();
        f.end = f.full;
        if (auto it = rx_of.find(e.frame); it != rx_of.end()) {
            f.end = f.full = events_[it->second].t;
            f.arrived = true;
        } else if (auto c = cut_at.find(e.frame); c != cut_at.end()) {
            // Stopped on detecting the collision, then 32 bits of jam: the tail of that reaches the far end.
            const std::int64_t jam = link.bandwidth_bps ? std::int64_t{32'000'000'000} / static_cast<std::int64_t>(link.bandwidth_bps) : 0;
            f.end = std::min(f.full, c->second + jam + link.delay.count());
            f.cut = f.end < f.full;
        }
        f.proto = classify(e.bytes, f.label, &isns_);
        longest_ = std::max(longest_, f.end - f.start);
        flights_.push_back(std::move(f));
    }
    std::stable_sort(flights_.begin(), flights_.end(), [](const Flight& a, const Flight& b) { return a.start < b.start; });
    // A packet is ready at a node when the node sends, forwards or floods it,
    // and waits until its transmission onto each link starts.
    std::map<std::pair<int, std::uint64_t>, std::int64_t> ready;
    for (const auto& e : events_) {
        if (!e.pkt || e.node < 0) continue;
        if (e.ev == sim::Ev::Send || e.ev == sim::Ev::Forward || e.ev == sim::Ev::Flood) ready[{e.node, e.pkt}] = e.t;
        if (e.ev != sim::Ev::Tx || e.link < 0) continue;
        const auto it = ready.find({e.node, e.pkt});
        if (it == ready.end() || e.t <= it->second) continue;
        waits_.push_back({it->second, e.t, e.node, e.link});
        longest_wait_ = std::max(longest_wait_, e.t - it->second);
    }
    std::stable_sort(waits_.begin(), waits_.end(), [](const Wait& a, const Wait& b) { return a.ready < b.ready; });
    // A hub repeats a frame while it is still arriving: when that frame is
    // damaged by a collision, so is every copy the hub started meanwhile, and
    // a copy ends where the incoming fragment ended.
    std::vector<Flight> damaged_in;
    for (const Flight& f : flights_)
        if (f.damaged) damaged_in.push_back(f);
    for (Flight& copy : flights_) {
        if (copy.damaged || sc.nodes[static_cast<std::size_t>(copy.from)].kind != sim::NodeKind::Hub) continue;
        for (const Flight& f : damaged_in) {
            if (f.pkt != copy.pkt || f.to != copy.from || copy.start < f.start || f.end < copy.start) continue;
            copy.damaged = true;
            if (f.cut) {
                copy.end = std::min(copy.full, copy.start + (f.end - f.start));
                copy.cut = copy.end < copy.full;
            }
        }
    }
}

std::vector<const Flight*> Timeline::in_flight(std::int64_t t) const {
    std::vector<const Flight*> out;
    auto it = std::lower_bound(flights_.begin(), flights_.end(), t - longest_,
                               [](const Flight& f, std::int64_t v) { return f.start < v; });
    for (; it != flights_.end() && it->start <= t; ++it)
        if (t < it->end) out.push_back(&*it);
    return out;
}

std::int64_t Timeline::next_event(std::int64_t t) const {
    auto it = std::upper_bound(events_.begin(), events_.end(), t, [](std::int64_t v, const sim::RecordedEvent& e) { return v < e.t; });
    return it == events_.end() ? end_ : it->t;
}

std::int64_t Timeline::prev_event(std::int64_t t) const {
    auto it = std::lower_bound(events_.begin(), events_.end(), t, [](const sim::RecordedEvent& e, std::int64_t v) { return e.t < v; });
    return it == events_.begin() ? 0 : std::prev(it)->t;
}

int Timeline::last_event_at(std::int64_t t) const {
    auto it = std::upper_bound(events_.begin(), events_.end(), t, [](std::int64_t v, const sim::RecordedEvent& e) { return v < e.t; });
    return static_cast<int>(it - events_.begin()) - 1;
}

std::string table_key(const sim::RecordedEvent& e) {
    return e.vlan ? fmt::format("{} vlan {}", e.key, e.vlan) : e.key;
}

std::vector<TableRow> Timeline::table_at(int node, sim::Table table, std::int64_t t) const {
    std::map<std::string, TableRow> rows;
    for (int i : table_events_[static_cast<std::size_t>(node)]) {
        const auto& e = events_[static_cast<std::size_t>(i)];
        if (e.t > t) break;
        if (e.table != table) continue;
        const std::string key = table_key(e);
        if (e.ev == sim::Ev::Learn) rows[key] = {key, e.value, e.t};
        else rows.erase(key);
    }
    std::vector<TableRow> out;
    for (auto& [k, r] : rows) out.push_back(std::move(r));
    return out;
}

const sim::RecordedEvent* Timeline::stp_state_at(int node, int port, std::int64_t t) const {
    const sim::RecordedEvent* last = nullptr;
    for (int i : stp_events_[static_cast<std::size_t>(node)]) {
        const auto& e = events_[static_cast<std::size_t>(i)];
        if (e.t > t) break;
        if (e.port == port) last = &e;
    }
    return last;
}

std::string Timeline::dhcp_at(int node, std::int64_t t) const {
    std::string state, address;
    for (int i : dhcp_events_[static_cast<std::size_t>(node)]) {
        const auto& e = events_[static_cast<std::size_t>(i)];
        if (e.t > t) break;
        state = e.to_state;
        // The client's "bound" detail starts with the address it took ("10.0.0.100/24 via ...").
        if (state == "bound" && e.from_state != "renewing" && e.from_state != "rebinding")
            address = e.detail.substr(0, e.detail.find_first_of("/ "));
    }
    if (state.empty()) return {};
    if (state == "bound" || state == "renewing" || state == "rebinding") return address + " (DHCP)";
    return "DHCP: " + state;
}

std::uint64_t Timeline::frames_received(int node, std::int64_t t) const {
    const auto& v = rx_times_[static_cast<std::size_t>(node)];
    return static_cast<std::uint64_t>(std::upper_bound(v.begin(), v.end(), t) - v.begin());
}

std::vector<Timeline::Queue> Timeline::queues_at(std::int64_t t) const {
    std::map<std::pair<int, int>, int> count;
    auto it = std::lower_bound(waits_.begin(), waits_.end(), t - longest_wait_, [](const Wait& w, std::int64_t v) { return w.ready < v; });
    for (; it != waits_.end() && it->ready <= t; ++it)
        if (t < it->leave) ++count[{it->node, it->link}];
    std::vector<Queue> out;
    for (const auto& [key, n] : count) out.push_back({key.first, key.second, n});
    return out;
}

bool Timeline::collision_near(int node, std::int64_t t, std::int64_t window) const {
    const auto& v = collision_times_[static_cast<std::size_t>(node)];
    const auto it = std::upper_bound(v.begin(), v.end(), t);
    return it != v.begin() && *std::prev(it) >= t - window;
}

const std::vector<int>& Timeline::events_about(std::optional<Proto> p) const {
    return p ? about_[static_cast<std::size_t>(*p)] : about_.back();
}

std::string Timeline::describe(int event) const {
    const auto& e = events_[static_cast<std::size_t>(event)];
    std::string s = e.node >= 0 ? sc_.nodes[static_cast<std::size_t>(e.node)].id : "-";
    s += ' ';
    s += sim::to_string(e.ev);
    std::string label;
    if (!e.bytes.empty()) classify(e.bytes, label, &isns_);
    if (e.ev == sim::Ev::Learn || e.ev == sim::Ev::Expire) label = fmt::format("{} {} {}", sim::to_string(e.table), e.key, e.value);
    else if (e.ev == sim::Ev::State) label = fmt::format("{} {}->{}", e.conn, e.from_state, e.to_state);
    else if (e.ev == sim::Ev::Retransmit) label = fmt::format("{} seq {} ({}, {} B)", e.conn, e.seq, e.cause, e.len);
    else if (e.ev == sim::Ev::Cwnd) label = fmt::format("{} cwnd {} ssthresh {}", e.conn, e.cwnd, sim::ssthresh_text(e.ssthresh));
    else if (e.ev == sim::Ev::Drop || e.ev == sim::Ev::Filter) label += " (" + e.reason + ")";
    if (!label.empty()) s += ' ' + label;
    return s;
}

}  // namespace hopsim::viz
