// The top of the loader: parse (with line:column for broken JSON and a check
// for duplicate keys, which JSON parsers otherwise merge silently), read the
// sections, then the cross-checks that need the whole topology.

#include "hopsim/sim/loader.hpp"

#include <fmt/core.h>

#include <boost/graph/connected_components.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>

#include "hopsim/sim/quiz.hpp"
#include "hopsim/sim/topology_graph.hpp"
#include "loader_context.hpp"
#include "hopsim/sim/quiz.hpp"

namespace hopsim::sim {

using namespace detail;

namespace {

std::string line_column(std::string_view text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') ++line, col = 1;
        else ++col;
    }
    return fmt::format("line {}, column {}", line, col);
}

// nlohmann's message without its "[json.exception...] parse error at ...: " preamble.
std::string parse_reason(const std::string& what) {
    const auto colon = what.find(": ");
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// A SAX pass that builds nothing: it finds duplicate keys (which a DOM
// parser would merge silently), bounds the nesting depth (a value nested
// 100,000 deep must not reach any recursive code) and records the file order
// of keys under "nodes". nlohmann's DOM parser with a callback rescans an
// object at every member's end, which is quadratic for 100,000 nodes; two
// linear passes are not.
class KeyTracker : public nlohmann::json_sax<Json> {
public:
    static constexpr std::size_t kMaxDepth = 64;

    KeyTracker(std::string_view text, LoadContext& c) : text_(text), c_(c) {}
    ProblemList problems;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        Level& l = levels_.back();
        l.key = k;
        if (!l.keys.insert(k).second) {
            if (levels_.size() == 2 && l.path == "nodes") problems.add(fmt::format("nodes: duplicate node id \"{}\"", k));
            else problems.add(fmt::format("{}: duplicate key \"{}\"", l.path.empty() ? "scenario" : l.path, k));
        }
        if (levels_.size() >= 2 && levels_[1].key_path.size() == 1 && levels_[1].key_path[0] == "nodes")
            c_.key_order[l.key_path].push_back(k);  // file order under nodes
        return true;
    }
    bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& e) override {
        // Editors and other formats allow them; JSON does not, and the parser's
        // "invalid literal; last read: '/'" does not say so.
        const bool comment = !last_token.empty() && last_token.back() == '/';
        problems.add(line_column(text_, position) + ": " +
                     (comment ? std::string("comments are not allowed in JSON") : parse_reason(e.what())));
        return false;
    }

private:
    struct Level {
        bool array = false;
        std::size_t index = 0;       // arrays: the next element's
        std::string key;             // objects: the latest key
        std::set<std::string> keys;  // objects: every key so far
        std::string path;            // for messages: "traffic[1]"
        KeyPath key_path;            // for lookups: {"nodes", "R1"}
    };

    // Where the value about to start sits: its display path and key path.
    std::pair<std::string, KeyPath> child() const {
        if (levels_.empty()) return {"", {}};
        const Level& l = levels_.back();
        KeyPath kp = l.key_path;
        kp.push_back(l.array ? std::string() : l.key);  // list elements share one component
        return {l.array ? index(l.path, l.index) : join(l.path, l.key), std::move(kp)};
    }
    bool value() {
        if (!levels_.empty() && levels_.back().array) levels_.back().index++;
        return true;
    }
    bool open(bool array) {
        auto [path, key_path] = child();
        if (levels_.size() >= kMaxDepth) {
            problems.add(fmt::format("{}: nested deeper than {} levels", path.empty() ? "scenario" : path, kMaxDepth));
            return false;
        }
        Level l;
        l.array = array;
        l.path = std::move(path);
        l.key_path = std::move(key_path);
        levels_.push_back(std::move(l));
        return true;
    }
    bool close() {
        levels_.pop_back();
        return value();
    }

    std::string_view text_;
    LoadContext& c_;
    std::vector<Level> levels_;
};

Result<Json, Problems> parse_json(std::string_view text, LoadContext& c) {
    KeyTracker tracker(text, c);
    const bool ok = Json::sax_parse(text.begin(), text.end(), &tracker);
    if (!ok || !tracker.problems.empty()) {
        Problems p = tracker.problems.take();
        if (p.empty()) p.push_back("scenario: not valid JSON");
        return Unexpected<Problems>{std::move(p)};
    }
    return Json::parse(text.begin(), text.end());
}

}  // namespace

namespace detail {

constexpr int kLargeBurst = 100'000;

void check_addresses(LoadContext& c) {
    const Scenario& sc = c.sc;
    std::map<net::MacAddress, std::string> macs;
    std::map<net::Ipv4Address, std::string> ips;
    for (const NodeSpec& n : sc.nodes) {
        const bool single = n.kind == NodeKind::Host && n.interfaces.size() == 1 && n.interfaces[0].name == "eth0";
        for (const InterfaceSpec& i : n.interfaces) {
            const std::string where = n.id + ":" + i.name;
            const std::string path = "nodes." + n.id + (single ? "" : ".interfaces." + i.name);
            const bool parents_mac = i.parent >= 0 && i.mac == n.interfaces[static_cast<std::size_t>(i.parent)].mac;
            if (auto [it, fresh] = macs.emplace(i.mac, where); !fresh && !parents_mac)
                c.error(path + ".mac", fmt::format("duplicate MAC {} on {} and {}", i.mac.to_string(), it->second, where));
            if (!i.ip) continue;
            if (auto [it, fresh] = ips.emplace(i.ip->address(), where); !fresh && !sc.allow_duplicate_ip)
                c.error(path + ".ip", fmt::format("duplicate IP {} on {} and {} (a lab about address conflicts "
                                                  "says \"allow_duplicate_ip\": true)",
                                                  i.ip->address().to_string(), it->second, where));
        }
        // A gateway must be another node (a host routing through itself would ARP for
        // itself for ever) and reachable without a router: inside one of our subnets.
        bool own_gateway = false;
        for (const InterfaceSpec& i : n.interfaces) own_gateway |= n.gateway && i.ip && i.ip->address() == *n.gateway;
        if (own_gateway)
            c.error(fmt::format("nodes.{}.gateway", n.id),
                    fmt::format("gateway {} is {}'s own address; give the router's address on this subnet",
                                n.gateway->to_string(), n.id));
        else if (n.gateway) {
            bool inside = false;
            for (const InterfaceSpec& i : n.interfaces) inside |= i.ip && i.ip->contains(*n.gateway);
            if (!inside) {
                const bool one = n.interfaces.size() == 1 && n.interfaces[0].ip;
                c.error(fmt::format("nodes.{}.gateway", n.id),
                        one ? fmt::format("gateway {} is outside {}'s subnet {}", n.gateway->to_string(), n.id,
                                          n.interfaces[0].ip->network().to_string())
                            : fmt::format("gateway {} is outside {}'s subnets", n.gateway->to_string(), n.id));
            }
        }
        if (n.kind != NodeKind::Router) continue;
        for (std::size_t a = 0; a < n.interfaces.size(); ++a)
            for (std::size_t b = a + 1; b < n.interfaces.size(); ++b)
                if (n.interfaces[a].ip && n.interfaces[b].ip && n.interfaces[a].ip->network().overlaps(n.interfaces[b].ip->network()))
                    c.error("nodes." + n.id + ".interfaces",
                            fmt::format("{} and {} have overlapping prefixes {} and {}", n.interfaces[a].name,
                                        n.interfaces[b].name, n.interfaces[a].ip->network().to_string(),
                                        n.interfaces[b].ip->network().to_string()));
        for (std::size_t r = 0; r < n.routes.size(); ++r) {
            const RouteSpec& route = n.routes[r];
            if (!route.via) continue;
            bool on_link = false;
            for (std::size_t k = 0; k < n.interfaces.size(); ++k)
                if (n.interfaces[k].ip && n.interfaces[k].ip->contains(*route.via) &&
                    (route.dev < 0 || route.dev == static_cast<int>(k)))
                    on_link = true;
            if (!on_link)
                c.error(fmt::format("nodes.{}.routes[{}].via", n.id, r),
                        fmt::format("next hop {} is not on any of {}'s subnets{}", route.via->to_string(), n.id,
                                    route.dev >= 0 ? " through " + n.interfaces[static_cast<std::size_t>(route.dev)].name : ""));
        }
    }
}

}  // namespace detail

namespace {

void warn_switch_loops(LoadContext& c) {
    for (int i : switching_loops(c.sc))
        c.sc.warnings.push_back(fmt::format(
            "links[{}] closes a loop of switches ({}) and hopsim has no spanning tree protocol: broadcasts will "
            "circulate until run.until (a broadcast storm)",
            i, c.sc.link_name(i)));
}

}  // namespace

namespace detail {

void check_topology(LoadContext& c) {
    Scenario& sc = c.sc;
    const TopologyGraph graph = topology_graph(sc);
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const LinkSpec& l = sc.links[i];
        const NodeKind ka = sc.nodes[static_cast<std::size_t>(l.ends[0].node)].kind;
        const NodeKind kb = sc.nodes[static_cast<std::size_t>(l.ends[1].node)].kind;
        if (ka == NodeKind::Hub && kb == NodeKind::Hub)
            c.error(index("links", i), "a hub linked to a hub is not modelled (one collision domain per hub); "
                                       "join hubs through a switch");
    }
    for (std::size_t n = 0; n < sc.nodes.size(); ++n)
        if (sc.nodes[n].kind == NodeKind::Host && boost::degree(n, graph) == 0)
            c.error("nodes." + sc.nodes[n].id, fmt::format("host {} has no link", sc.nodes[n].id));
    // A hub is one medium: every station on it must talk at one speed.
    for (std::size_t n = 0; n < sc.nodes.size(); ++n) {
        if (sc.nodes[n].kind != NodeKind::Hub) continue;
        std::int64_t speed = 0;
        for (std::size_t i = 0; i < sc.links.size(); ++i) {
            const LinkSpec& l = sc.links[i];
            if (l.ends[0].node != static_cast<int>(n) && l.ends[1].node != static_cast<int>(n)) continue;
            if (speed == 0) speed = l.bandwidth_bps;
            else if (l.bandwidth_bps != speed)
                c.error(index("links", i) + ".bandwidth",
                        fmt::format("hub {} is one collision domain at one speed; this link differs from its others",
                                    sc.nodes[n].id));
        }
    }
    warn_switch_loops(c);
    check_vlans(c);

    std::vector<int> component(sc.nodes.size());
    if (!sc.nodes.empty()) boost::connected_components(graph, component.data());
    for (std::size_t i = 0; i < sc.traffic.size(); ++i) {
        const TrafficSpec& t = sc.traffic[i];
        if (t.at > sc.until)
            sc.warnings.push_back(fmt::format("traffic[{}] starts at {}, after run.until {}: it never runs", i,
                                              t.at.to_string(), sc.until.to_string()));
        // RFC 1122 3.2.2.1: a closed UDP port answers port unreachable.
        if (t.kind == TrafficKind::Udp && t.to_node >= 0) {
            const NodeSpec& to = sc.nodes[static_cast<std::size_t>(t.to_node)];
            const bool open = std::any_of(to.services.begin(), to.services.end(), [&](const ServiceSpec& s) {
                return is_udp(s.kind) && s.port == t.to_port;
            });
            // A NAT's outside address: a port forward takes it on, otherwise the NAT drops it.
            const bool nat_outside = to.nat.enabled && to.interfaces[static_cast<std::size_t>(to.nat.outside)].ip->address() == t.to_ip;
            if (!open && !nat_outside)
                sc.warnings.push_back(fmt::format("traffic[{}]: nothing listens on UDP port {} at {}: it will answer ICMP "
                                                  "port unreachable (add a udp-sink or udp-echo service there)",
                                                  i, t.to_port, to.id));
        }
        // --until cannot shorten work that all happens at one instant.
        if (t.count > kLargeBurst && t.interval == SimTime())
            sc.warnings.push_back(fmt::format("traffic[{}]: {} packets with interval 0 all leave at {}: the run does "
                                              "all of that work however short run.until is",
                                              i, t.count, t.at.to_string()));
        if (t.from >= 0 && t.to_node >= 0 &&
            component[static_cast<std::size_t>(t.from)] != component[static_cast<std::size_t>(t.to_node)])
            sc.warnings.push_back(fmt::format("traffic[{}]: no path of links joins {} and {}", i,
                                              sc.nodes[static_cast<std::size_t>(t.from)].id,
                                              sc.nodes[static_cast<std::size_t>(t.to_node)].id));
    }
}

}  // namespace detail

Result<Scenario, Problems> load_scenario(std::string_view text) {
    LoadContext c;
    auto parsed = parse_json(text, c);
    if (!parsed) return Unexpected<Problems>{parsed.error()};
    const Json& root = *parsed;
    if (!c.is_object(root, "scenario")) return Unexpected<Problems>{c.problems.take()};
    c.check_keys(root, "", {"name", "description", "seed", "run", "defaults", "nodes", "links", "traffic", "expect", "quiz", "$schema",
                            "allow_duplicate_ip", "events", "stp_timers", "rip_timers"});
    if (const Json* dup = c.field(root, "allow_duplicate_ip")) {
        if (!dup->is_boolean()) c.error("allow_duplicate_ip", "expected true or false");
        else c.sc.allow_duplicate_ip = dup->get<bool>();
    }
    c.sc.name = c.string(root, "name", "", false).value_or("");
    c.sc.description = c.string(root, "description", "", false).value_or("");
    if (auto seed = c.integer(root, "seed", "", 0, INT64_MAX)) c.sc.seed = static_cast<std::uint64_t>(*seed);
    if (const Json* run = c.field(root, "run"); run && c.is_object(*run, "run")) {
        c.check_keys(*run, "run", {"until"});
        if (auto until = c.duration(*run, "until", "run", false)) {
            if (*until > SimTime::s(86400)) c.error("run.until", "more than a day of simulated time is absurd");
            else c.sc.until = *until;
        }
    }
    if (const Json* d = c.field(root, "defaults"); d && c.is_object(*d, "defaults")) {
        c.check_keys(*d, "defaults", {"link"});
        if (const Json* l = c.field(*d, "link"); l && c.is_object(*l, "defaults.link")) {
            c.check_keys(*l, "defaults.link", {"bandwidth", "delay", "loss", "queue", "mtu"});
            load_link_properties(c, *l, "defaults.link", c.link_defaults);
        }
    }
    const Json* nodes = c.field(root, "nodes");
    if (!nodes) c.error("nodes", "missing");
    else load_nodes(c, *nodes);
    c.sc.index_nodes();
    if (const Json* links = c.field(root, "links")) load_links(c, *links);
    if (const Json* events = c.field(root, "events")) load_events(c, *events);
    if (const Json* timers = c.field(root, "stp_timers")) load_stp_timers(c, *timers);
    if (const Json* timers = c.field(root, "rip_timers")) load_rip_timers(c, *timers);
    if (const Json* traffic = c.field(root, "traffic")) load_traffic(c, *traffic);
    if (const Json* expect = c.field(root, "expect")) load_expect(c, *expect);
    if (const Json* quiz = c.field(root, "quiz"); quiz && c.is_object(*quiz, "quiz")) {
        c.check_keys(*quiz, "quiz", {"kinds", "max", "after"});
        if (const Json* kinds = c.field(*quiz, "kinds")) {
            if (!kinds->is_array()) c.error("quiz.kinds", "expected a list: switch, ttl, mac, arp, collision, stp");
            else
                for (std::size_t i = 0; i < kinds->size(); ++i) {
                    const Json& k = (*kinds)[i];
                    if (k.is_string() && quiz_kind(k.get<std::string>())) c.sc.quiz.kinds.push_back(k.get<std::string>());
                    else c.error(index("quiz.kinds", i), fmt::format("{} is not a kind of question: switch, ttl, mac, arp, collision or stp", k.dump()));
                }
        }
        if (auto max = c.integer(*quiz, "max", "quiz", 1, 1000)) c.sc.quiz.max = static_cast<int>(*max);
        if (auto after = c.duration(*quiz, "after", "quiz", false)) c.sc.quiz.after = *after;
    }
    check_addresses(c);
    if (c.problems.empty()) check_topology(c);
    if (!c.problems.empty()) return Unexpected<Problems>{c.problems.take()};
    ProblemList warnings;  // capped like problems: 100,000 flows after run.until are one line and a count
    for (std::string& w : c.sc.warnings) warnings.add(std::move(w));
    c.sc.warnings = warnings.take();
    return std::move(c.sc);
}

Result<std::string, Problems> read_scenario_text(const std::string& path) {
    auto fail = [](std::string why) { return Unexpected<Problems>{Problems{std::move(why)}}; };
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail(fmt::format("cannot read: {}", std::strerror(errno)));
    if (S_ISDIR(st.st_mode)) return fail("is a directory, not a scenario file");
    // A pipe (/dev/stdin, <(...)) is read up to the limit; a device or socket is refused.
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
        return fail("is not a regular file (a device or a socket); give a scenario .json file");
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > kMaxScenarioBytes)
        return fail(fmt::format("is {} MiB; scenarios are limited to {} MiB", st.st_size >> 20, kMaxScenarioBytes >> 20));
    std::ifstream f(path, std::ios::binary);
    if (!f) return fail(fmt::format("cannot read: {}", std::strerror(errno)));
    std::string text;
    char buffer[1 << 16];
    while (f.read(buffer, sizeof buffer) || f.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(f.gcount()));
        if (text.size() > kMaxScenarioBytes)
            return fail(fmt::format("is more than {} MiB; scenarios are limited to that", kMaxScenarioBytes >> 20));
    }
    if (f.bad()) return fail(fmt::format("cannot read: {}", std::strerror(errno)));
    return text;
}

Result<Scenario, Problems> load_scenario_file(const std::string& path) {
    auto text = read_scenario_text(path);
    if (!text) return Unexpected<Problems>{text.error()};
    return load_scenario(*text);
}

}  // namespace hopsim::sim
