// expect: the lesson's assertions over the run, each located when wrong
// ("expect[2].table: S9 is not a node").

#include <fmt/core.h>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

// The one key that says what an expectation is about.
constexpr std::string_view kSubjects[] = {"flow", "node", "table", "packet", "drop", "no_drop", "collisions"};
constexpr std::string_view kFlowCounters[] = {"sent_packets", "delivered_packets", "sent_bytes", "delivered_bytes",
                                              "retransmissions", "segments_sent", "echoed_bytes"};

// 3, or {"min": 1}, {"max": 4}, {"min": 1, "max": 4}.
std::optional<Count> count(LoadContext& c, const Json& j, const std::string& path) {
    Count n;
    if (j.is_number_integer()) {
        if (j.get<std::int64_t>() < 0) return c.error(path, "a count cannot be negative"), std::nullopt;
        n.exactly = j.get<std::int64_t>();
        return n;
    }
    if (!j.is_object()) return c.error(path, "expected a count: a number, or {\"min\": N} and/or {\"max\": N}"), std::nullopt;
    c.check_keys(j, path, {"min", "max"});
    n.min = c.integer(j, "min", path, 0, INT64_MAX);
    n.max = c.integer(j, "max", path, 0, INT64_MAX);
    if (!n.min && !n.max) return c.error(path, "give \"min\", \"max\" or both"), std::nullopt;
    if (n.min && n.max && *n.min > *n.max) return c.error(path, "min is more than max"), std::nullopt;
    return n;
}

// The same, from "count"/"min"/"max" keys inside an object ({"drop": {..., "min": 1}}).
Count inline_count(LoadContext& c, const Json& j, const std::string& path, Count fallback) {
    Count n;
    n.exactly = c.integer(j, "count", path, 0, INT64_MAX);
    n.min = c.integer(j, "min", path, 0, INT64_MAX);
    n.max = c.integer(j, "max", path, 0, INT64_MAX);
    if (n.exactly && (n.min || n.max)) c.error(path, "give \"count\" or \"min\"/\"max\", not both");
    return n.exactly || n.min || n.max ? n : fallback;
}

int node_named(LoadContext& c, const Json& obj, std::string_view key, const std::string& path, bool required) {
    auto id = c.string(obj, key, path, required);
    if (!id) return -1;
    const int n = c.sc.find_node(*id);
    if (n < 0) c.error(join(path, key), fmt::format("no node called \"{}\"", *id));
    return n;
}

int flow_named(LoadContext& c, const Json& obj, std::string_view key, const std::string& path) {
    auto id = c.string(obj, key, path, true);
    if (!id) return -1;
    for (std::size_t i = 0; i < c.sc.traffic.size(); ++i)
        if (c.sc.traffic[i].id == *id) return static_cast<int>(i);
    c.error(join(path, key), fmt::format("no flow called \"{}\" in traffic", *id));
    return -1;
}

std::string scalar_text(const Json& j) {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
    return j.dump();
}

void load_flow(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Flow;
    e.flow = flow_named(c, j, "flow", path);
    for (auto [key, slot] : {std::pair{"delivered", &e.delivered}, std::pair{"intact", &e.intact}, std::pair{"reached", &e.reached}})
        if (const Json* v = c.field(j, key)) {
            if (v->is_boolean()) *slot = v->get<bool>();
            else c.error(join(path, key), "expected true or false");
        }
    if (auto state = c.string(j, "state", path, false)) {
        if (*state == "ok" || *state == "refused" || *state == "reset" || *state == "timed-out") e.state = *state;
        else c.error(join(path, "state"), fmt::format("\"{}\" is not a state: ok, refused, reset or timed-out", *state));
    }
    for (std::string_view key : kFlowCounters)
        if (const Json* v = c.field(j, key))
            if (auto n = count(c, *v, join(path, key))) e.counters.emplace_back(std::string(key), *n);
    if (!e.delivered && !e.intact && !e.reached && !e.state && e.counters.empty())
        c.error(path, "says nothing about the flow: give delivered, intact, state, reached or a counter such as delivered_packets");
}

void load_frames(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Frames;
    e.node = node_named(c, j, "node", path, true);
    const Json* receives = c.field(j, "receives");
    const Json* sends = c.field(j, "sends");
    if (!!receives == !!sends) return c.error(path, "give \"receives\" or \"sends\" (a count of frames at the node)");
    e.sends = sends != nullptr;
    if (auto n = count(c, receives ? *receives : *sends, join(path, receives ? "receives" : "sends"))) e.count = *n;
    if (const Json* m = c.field(j, "match"); m && c.is_object(*m, join(path, "match"))) {
        for (const auto& [field, value] : m->items()) {
            if (field.find('.') == std::string::npos)
                c.error(join(join(path, "match"), field), "name a trace field as layer.field, e.g. \"ipv4.dst\" or \"arp.op\"");
            else if (value.is_object() || value.is_array() || value.is_null())
                c.error(join(join(path, "match"), field), "expected a string, number or true/false");
            else
                e.match.emplace_back(field, scalar_text(value));
        }
    }
}

void load_table(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Table;
    auto name = c.string(j, "table", path, true);
    if (!name) return;
    const auto dot = name->rfind('.');
    const std::string which = dot == std::string::npos ? "" : name->substr(dot + 1);
    e.node = dot == std::string::npos ? -1 : c.sc.find_node(name->substr(0, dot));
    e.table = which == "mac" ? Table::Mac : which == "arp" ? Table::Arp : which == "routes" ? Table::Route
            : which == "stp" ? Table::Stp : which == "nat" ? Table::Nat : Table::None;
    if (e.node < 0 || e.table == Table::None)
        return c.error(join(path, "table"), fmt::format("\"{}\" is not a table: give NODE.mac (a switch), NODE.stp (a switch "
                                                        "running STP), NODE.arp or NODE.routes (a host or router), NODE.nat (a router with \"nat\")", *name));
    const NodeSpec& node = c.sc.nodes[static_cast<std::size_t>(e.node)];
    const bool fits = e.table == Table::Mac ? node.kind == NodeKind::Switch
                      : e.table == Table::Stp ? node.kind == NodeKind::Switch && node.stp
                      : e.table == Table::Arp ? node.kind == NodeKind::Host || node.kind == NodeKind::Router
                      : e.table == Table::Nat ? node.kind == NodeKind::Router && node.nat.enabled
                                              : node.kind == NodeKind::Router;
    if (!fits)
        return c.error(join(path, "table"), fmt::format("{} has no {} table (switches have mac, and stp with \"stp\": true; "
                                                        "hosts and routers arp; routers routes, and nat with \"nat\")",
                                                        name->substr(0, dot), which));
    e.at = c.duration(j, "at", path, false);
    // Keys as the summary prints them: a MAC and its port, an address and its MAC, a prefix and its route.
    auto key_text = [&](const std::string& key, const std::string& where) -> std::optional<std::string> {
        if (e.table == Table::Mac) {
            const auto space = key.find(' ');  // "02:00:00:00:01:01 vlan 10"
            const std::string vlan = space == std::string::npos ? "" : key.substr(space);
            if (auto m = net::MacAddress::parse(key.substr(0, space)); m && (vlan.empty() || (vlan.rfind(" vlan ", 0) == 0 && parse_port(vlan.substr(6), 4094))))
                return m->to_string() + vlan;
            return c.error(where, fmt::format("\"{}\" is not a MAC address (or \"MAC vlan N\")", key)), std::nullopt;
        }
        if (e.table == Table::Stp) {
            if (key == "root" || key == "root_port" || key == "root_path_cost" || (key.rfind("port ", 0) == 0 && parse_port(key.substr(5), 4096)))
                return key;
            return c.error(where, fmt::format("\"{}\" is not in a spanning tree: root, root_port, root_path_cost or \"port N\"", key)),
                   std::nullopt;
        }
        if (e.table == Table::Arp) {
            if (auto a = net::Ipv4Address::parse(key)) return a->to_string();
            return c.error(where, fmt::format("\"{}\" is not an IPv4 address", key)), std::nullopt;
        }
        if (e.table == Table::Nat) return key;  // "udp 203.0.113.1:49152>198.51.100.80:7", as the trace prints it
        if (key == "default") return std::string("0.0.0.0/0");
        if (auto p = net::Ipv4Prefix::parse(key)) return p->to_string();
        return c.error(where, fmt::format("\"{}\" is not a prefix such as 10.1.0.0/24 (or \"default\")", key)), std::nullopt;
    };
    if (const Json* has = c.field(j, "contains"); has && c.is_object(*has, join(path, "contains"))) {
        for (const auto& [key, value] : has->items()) {
            const std::string where = join(join(path, "contains"), key);
            auto k = key_text(key, where);
            if (!k) continue;
            if (value.is_null()) {
                e.contains.emplace_back(*k, std::nullopt);
            } else if (e.table == Table::Arp && value.is_string()) {
                if (auto m = net::MacAddress::parse(value.get<std::string>())) e.contains.emplace_back(*k, m->to_string());
                else c.error(where, "expected the MAC address the entry maps to (or null for any)");
            } else if (value.is_string() || value.is_number_integer()) {
                e.contains.emplace_back(*k, scalar_text(value));
            } else {
                c.error(where, "expected the entry's value (a port, a MAC, \"via 10.0.0.2 dev eth1\") or null for any");
            }
        }
    }
    if (const Json* lacks = c.field(j, "lacks")) {
        if (!lacks->is_array()) c.error(join(path, "lacks"), "expected a list of keys");
        else
            for (std::size_t i = 0; i < lacks->size(); ++i) {
                if (!(*lacks)[i].is_string()) c.error(index(join(path, "lacks"), i), "expected a string");
                else if (auto k = key_text((*lacks)[i].get<std::string>(), index(join(path, "lacks"), i))) e.lacks.push_back(*k);
            }
    }
    if (e.contains.empty() && e.lacks.empty()) c.error(path, "give \"contains\" and/or \"lacks\"");
}

void load_packet(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Packet;
    const Json& p = j["packet"];
    const std::string ppath = join(path, "packet");
    if (!c.is_object(p, ppath)) return;
    c.check_keys(p, ppath, {"flow", "n"});
    e.flow = flow_named(c, p, "flow", ppath);
    e.packet_n = static_cast<int>(c.integer(p, "n", ppath, 1, 1'000'000).value_or(1));
    if (const Json* path_j = c.field(j, "path")) {
        if (!path_j->is_array() || path_j->empty()) c.error(join(path, "path"), "expected a list of node ids, the sender first");
        else
            for (std::size_t i = 0; i < path_j->size(); ++i) {
                const std::string where = index(join(path, "path"), i);
                if (!(*path_j)[i].is_string()) {
                    c.error(where, "expected a node id");
                    continue;
                }
                const int n = c.sc.find_node((*path_j)[i].get<std::string>());
                if (n < 0) c.error(where, fmt::format("no node called \"{}\"", (*path_j)[i].get<std::string>()));
                e.path.push_back(n);
            }
    }
    if (const Json* ttl = c.field(j, "ttl_at"); ttl && c.is_object(*ttl, join(path, "ttl_at"))) {
        for (const auto& [id, value] : ttl->items()) {
            const int n = c.sc.find_node(id);
            if (n < 0) c.error(join(join(path, "ttl_at"), id), fmt::format("no node called \"{}\"", id));
            else if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 255)
                c.error(join(join(path, "ttl_at"), id), "expected a TTL, 0-255");
            else e.ttl_at.emplace_back(n, value.get<int>());
        }
    }
    if (e.path.empty() && e.ttl_at.empty()) c.error(path, "give \"path\" and/or \"ttl_at\"");
}

void load_drop(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Drop;
    if (const Json* none = c.field(j, "no_drop")) {
        if (!none->is_boolean() || !none->get<bool>()) c.error(join(path, "no_drop"), "expected true");
        if (c.field(j, "drop")) c.error(path, "give \"drop\" or \"no_drop\", not both");
        e.count.exactly = 0;
        return;
    }
    const Json& d = j["drop"];
    const std::string dpath = join(path, "drop");
    if (!c.is_object(d, dpath)) return;
    c.check_keys(d, dpath, {"node", "reason", "count", "min", "max"});
    e.node = c.field(d, "node") ? node_named(c, d, "node", dpath, false) : -1;
    if (auto why = c.string(d, "reason", dpath, false)) {
        for (std::size_t r = 0; r < static_cast<std::size_t>(Reason::kCount); ++r)
            if (*why == to_string(static_cast<Reason>(r))) e.reason = static_cast<Reason>(r);
        if (!e.reason) c.error(join(dpath, "reason"), fmt::format("\"{}\" is not a drop reason (the trace's, e.g. ttl-expired, no-route, loss)", *why));
    }
    Count at_least_one;
    at_least_one.min = 1;
    e.count = inline_count(c, d, dpath, at_least_one);
}

void load_collisions(LoadContext& c, const Json& j, const std::string& path, Expectation& e) {
    e.kind = ExpectKind::Collisions;
    const Json& k = j["collisions"];
    const std::string kpath = join(path, "collisions");
    if (!c.is_object(k, kpath)) return;
    c.check_keys(k, kpath, {"at", "count", "min", "max"});
    e.node = c.field(k, "at") ? node_named(c, k, "at", kpath, false) : -1;
    Count at_least_one;
    at_least_one.min = 1;
    e.count = inline_count(c, k, kpath, at_least_one);
}

}  // namespace

void load_expect(LoadContext& c, const Json& list) {
    if (!list.is_array()) return c.error("expect", "expected a list of expectations");
    std::vector<std::string> paths;  // of each loaded expectation, for the duplicate check
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json& j = list[i];
        const std::string path = index("expect", i);
        if (!c.is_object(j, path)) continue;
        Expectation e;
        e.id = c.string(j, "id", path, false).value_or(path);
        e.text = c.string(j, "text", path, false).value_or("");
        e.points = static_cast<int>(c.integer(j, "points", path, 0, 1000).value_or(1));
        std::string_view subject;
        for (std::string_view s : kSubjects)
            if (c.field(j, s)) {
                if (!subject.empty() && !(subject == "drop" && s == "no_drop"))
                    c.error(path, fmt::format("one subject per expectation: \"{}\" and \"{}\" are both given", subject, s));
                if (subject.empty()) subject = s;
            }
        if (subject.empty()) {
            c.error(path, "say what it is about: flow, node, table, packet, drop, no_drop or collisions");
            continue;
        }
        if (subject == "flow") {
            c.check_keys(j, path, {"id", "text", "points", "flow", "delivered", "intact", "reached", "state", "sent_packets",
                                   "delivered_packets", "sent_bytes", "delivered_bytes", "retransmissions", "segments_sent", "echoed_bytes"});
            load_flow(c, j, path, e);
        } else if (subject == "node") {
            c.check_keys(j, path, {"id", "text", "points", "node", "receives", "sends", "match", "after", "before"});
            load_frames(c, j, path, e);
        } else if (subject == "table") {
            c.check_keys(j, path, {"id", "text", "points", "table", "contains", "lacks", "at"});
            load_table(c, j, path, e);
        } else if (subject == "packet") {
            c.check_keys(j, path, {"id", "text", "points", "packet", "path", "ttl_at"});
            load_packet(c, j, path, e);
        } else if (subject == "drop" || subject == "no_drop") {
            c.check_keys(j, path, {"id", "text", "points", "drop", "no_drop", "after", "before"});
            load_drop(c, j, path, e);
        } else {
            c.check_keys(j, path, {"id", "text", "points", "collisions", "after", "before"});
            load_collisions(c, j, path, e);
        }
        if (auto after = c.duration(j, "after", path, false)) e.after = *after;
        if (auto before = c.duration(j, "before", path, false)) e.before = *before;
        c.sc.expect.push_back(std::move(e));
        paths.push_back(path);
    }
    for (std::size_t i = 0; i < c.sc.expect.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (c.sc.expect[i].id == c.sc.expect[k].id)
                c.error(paths[i] + ".id", fmt::format("\"{}\" is given twice", c.sc.expect[i].id));
}

}  // namespace hopsim::sim::detail
