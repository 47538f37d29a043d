// What switching lessons add to a scenario: spanning-tree timers, events that
// take links down and up during the run, and the VLAN checks that need the
// links in place (a subinterface whose VLAN the switch port never carries).

#include <fmt/core.h>

#include <algorithm>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

void load_stp_timers(LoadContext& c, const Json& j) {
    const std::string path = "stp_timers";
    if (!c.is_object(j, path)) return;
    c.check_keys(j, path, {"hello", "max_age", "forward_delay"});
    StpTimers& t = c.sc.stp_timers;
    auto read = [&](const char* key, SimTime& out) {
        if (auto d = c.duration(j, key, path, false)) {
            if (*d <= SimTime() || *d > SimTime::s(600)) c.error(join(path, key), "must be above 0 and at most 600s");
            else out = *d;
        }
    };
    read("hello", t.hello);
    read("max_age", t.max_age);
    read("forward_delay", t.forward_delay);
    // IEEE 802.1D-2004 17.14's relation, scaled: a root's information must
    // outlive a hello or two, or ports flap between roles.
    if (t.max_age < t.hello * 2)
        c.error(path, fmt::format("max_age {} is less than twice hello {}: information would age out between hellos",
                                  t.max_age.to_string(), t.hello.to_string()));
}

namespace {

// "S1:2" or "S1": the link end it names, matched against the loaded links.
struct EndText {
    int node = -1;
    std::string port;  // empty: any
};

std::optional<EndText> end_text(LoadContext& c, const Json& j, const std::string& path) {
    if (!j.is_string()) return c.error(path, "expected \"node\" or \"node:port\""), std::nullopt;
    const std::string& text = j.get_ref<const std::string&>();
    const auto colon = text.find(':');
    EndText e{c.sc.find_node(text.substr(0, colon)), colon == std::string::npos ? "" : text.substr(colon + 1)};
    if (e.node < 0) return c.error(path, fmt::format("unknown node \"{}\"", text.substr(0, colon))), std::nullopt;
    return e;
}

bool matches(const Scenario& sc, const EndText& t, const Endpoint& e) {
    return t.node == e.node && (t.port.empty() || sc.port_name(e.node, e.port) == t.port);
}

}  // namespace

void load_events(LoadContext& c, const Json& events) {
    if (!events.is_array()) return c.error("events", "expected a list, e.g. [{\"at\": \"40s\", \"link_down\": [\"S1:2\", \"S3:1\"]}]");
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string path = index("events", i);
        const Json& e = events[i];
        if (!c.is_object(e, path)) continue;
        c.check_keys(e, path, {"at", "link_down", "link_up"});
        TopologyEvent ev;
        const auto at = c.duration(e, "at", path, true);
        const Json* down = c.field(e, "link_down");
        const Json* up = c.field(e, "link_up");
        if (!down == !up) {
            c.error(path, "give one of \"link_down\" or \"link_up\", with the link's two ends");
            continue;
        }
        const Json& which = down ? *down : *up;
        const std::string wp = join(path, down ? "link_down" : "link_up");
        if (!which.is_array() || which.size() != 2) {
            c.error(wp, "expected the link's two ends, e.g. [\"S1:2\", \"S3:1\"]");
            continue;
        }
        const auto a = end_text(c, which[0], index(wp, 0));
        const auto b = end_text(c, which[1], index(wp, 1));
        if (!at || !a || !b) continue;
        std::vector<int> found;
        for (std::size_t l = 0; l < c.sc.links.size(); ++l) {
            const auto& ends = c.sc.links[l].ends;
            if ((matches(c.sc, *a, ends[0]) && matches(c.sc, *b, ends[1])) ||
                (matches(c.sc, *a, ends[1]) && matches(c.sc, *b, ends[0])))
                found.push_back(static_cast<int>(l));
        }
        if (found.empty()) {
            c.error(wp, fmt::format("no link joins {} and {}", which[0].get<std::string>(), which[1].get<std::string>()));
            continue;
        }
        if (found.size() > 1) {
            c.error(wp, fmt::format("{} links join these ends ({} and {}); name the ports, e.g. \"{}\"", found.size(),
                                    c.sc.link_name(found[0]), c.sc.link_name(found[1]),
                                    c.sc.link_name(found[0]).substr(0, c.sc.link_name(found[0]).find('-'))));
            continue;
        }
        const auto& ends = c.sc.links[static_cast<std::size_t>(found[0])].ends;
        if (c.sc.nodes[static_cast<std::size_t>(ends[0].node)].kind == NodeKind::Hub ||
            c.sc.nodes[static_cast<std::size_t>(ends[1].node)].kind == NodeKind::Hub) {
            c.error(wp, "taking a hub's link down is not modelled (a hub is one shared medium)");
            continue;
        }
        ev.at = *at;
        ev.link = found[0];
        ev.up = up != nullptr;
        c.sc.events.push_back(ev);
    }
    std::stable_sort(c.sc.events.begin(), c.sc.events.end(),
                     [](const TopologyEvent& x, const TopologyEvent& y) { return x.at < y.at; });
}

void check_vlans(LoadContext& c) {
    Scenario& sc = c.sc;
    for (const LinkSpec& l : sc.links) {
        for (std::size_t side = 0; side < 2; ++side) {
            const Endpoint& me = l.ends[side];
            const Endpoint& peer = l.ends[1 - side];
            const NodeSpec& node = sc.nodes[static_cast<std::size_t>(me.node)];
            const NodeSpec& sw = sc.nodes[static_cast<std::size_t>(peer.node)];
            if (sw.kind != NodeKind::Switch) continue;
            for (const InterfaceSpec& sub : node.interfaces) {
                if (sub.parent != me.port) continue;
                const std::string where = fmt::format("{}:{}", node.id, sub.name);
                if (!sw.vlan_aware())
                    sc.warnings.push_back(fmt::format(
                        "{} sends VLAN {} tagged to switch {}, which has no VLAN settings: it passes tags through "
                        "and floods them as one LAN (give {} \"ports\" with a trunk)",
                        where, sub.vlan, sw.id, sw.id));
                else if (const SwitchPortSpec& p = sw.port_spec(peer.port); !p.is_trunk() || !p.carries(sub.vlan))
                    sc.warnings.push_back(fmt::format("{} sends VLAN {} tagged, but {} port {} is {}: those frames are dropped",
                                                      where, sub.vlan, sw.id, peer.port + 1,
                                                      p.is_trunk() ? "a trunk without that VLAN"
                                                                   : fmt::format("an access port of VLAN {}", p.access)));
            }
        }
    }
}

}  // namespace hopsim::sim::detail
