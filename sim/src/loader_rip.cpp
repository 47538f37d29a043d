// What routing lessons add to a router: RIP on some or all of its
// interfaces, with a choice of split horizon, and the scenario's RIP timers.

#include <fmt/core.h>

#include <algorithm>

#include "loader_context.hpp"

namespace hopsim::sim::detail {

namespace {

std::optional<SplitHorizon> split_horizon(std::string_view s) {
    if (s == "poisoned-reverse") return SplitHorizon::PoisonedReverse;
    if (s == "simple") return SplitHorizon::Simple;
    if (s == "off") return SplitHorizon::Off;
    return std::nullopt;
}

// RIP sends from an interface's address to its neighbours on that subnet, so
// every interface it runs on needs one.
void add_interface(LoadContext& c, NodeSpec& n, int k, const std::string& path) {
    const InterfaceSpec& i = n.interfaces[static_cast<std::size_t>(k)];
    if (!i.ip) return c.error(path, fmt::format("{} has no address for RIP to speak from", i.name));
    if (std::find(n.rip.interfaces.begin(), n.rip.interfaces.end(), k) == n.rip.interfaces.end())
        n.rip.interfaces.push_back(k);
}

}  // namespace

void load_rip(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n) {
    if (j.is_boolean()) {
        n.rip.enabled = j.get<bool>();
        if (n.rip.enabled)
            for (std::size_t k = 0; k < n.interfaces.size(); ++k)
                if (n.interfaces[k].ip) n.rip.interfaces.push_back(static_cast<int>(k));
        return;
    }
    if (!j.is_object())
        return c.error(path, "expected true, or {\"interfaces\": [\"eth0\", ...], \"split_horizon\": \"poisoned-reverse\", "
                             "\"triggered_updates\": true}");
    c.check_keys(j, path, {"interfaces", "split_horizon", "triggered_updates"});
    if (const Json* t = c.field(j, "triggered_updates")) {
        if (!t->is_boolean()) c.error(join(path, "triggered_updates"), "expected true or false");
        else n.rip.triggered_updates = t->get<bool>();
    }
    n.rip.enabled = true;
    if (auto sh = c.string(j, "split_horizon", path, false)) {
        if (auto v = split_horizon(*sh)) n.rip.split_horizon = *v;
        else c.error(join(path, "split_horizon"), fmt::format("\"{}\" is not poisoned-reverse, simple or off", *sh));
    }
    const Json* list = c.field(j, "interfaces");
    if (!list) {
        for (std::size_t k = 0; k < n.interfaces.size(); ++k)
            if (n.interfaces[k].ip) n.rip.interfaces.push_back(static_cast<int>(k));
        return;
    }
    const std::string lp = join(path, "interfaces");
    if (!list->is_array() || list->empty()) return c.error(lp, "expected a list of interface names, e.g. [\"eth0\", \"eth1\"]");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& name = (*list)[i];
        const std::string p = index(lp, i);
        if (!name.is_string()) {
            c.error(p, "expected an interface name");
            continue;
        }
        const auto it = std::find_if(n.interfaces.begin(), n.interfaces.end(),
                                     [&](const InterfaceSpec& s) { return s.name == name.get_ref<const std::string&>(); });
        if (it == n.interfaces.end()) c.error(p, fmt::format("{} has no interface \"{}\"", n.id, name.get<std::string>()));
        else add_interface(c, n, static_cast<int>(it - n.interfaces.begin()), p);
    }
    std::sort(n.rip.interfaces.begin(), n.rip.interfaces.end());
}

void load_rip_timers(LoadContext& c, const Json& j) {
    const std::string path = "rip_timers";
    if (!c.is_object(j, path)) return;
    c.check_keys(j, path, {"update", "timeout", "garbage"});
    RipTimers& t = c.sc.rip_timers;
    auto read = [&](const char* key, SimTime& out) {
        if (auto d = c.duration(j, key, path, false)) {
            if (*d < SimTime::ms(10) || *d > SimTime::s(3600)) c.error(join(path, key), "must be at least 10ms and at most 3600s");
            else out = *d;
        }
    };
    read("update", t.update);
    read("timeout", t.timeout);
    read("garbage", t.garbage);
    // RFC 2453 3.8: a route lives through several lost updates (180 s is six of 30 s).
    if (t.timeout <= t.update)
        c.error(path, fmt::format("timeout {} is not longer than update {}: every route would time out between updates",
                                  t.timeout.to_string(), t.update.to_string()));
}

}  // namespace hopsim::sim::detail
