#include "hopsim/sim/rip.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::sim {

namespace {

// RFC 2453 3.9.2 and 4: a destination a router may be told of. The default
// route (0.0.0.0/0) may be; loopback, multicast and class E may not, nor a
// mask with holes or an address with host bits set.
bool valid_destination(const net::RipEntry& e) {
    const std::uint32_t mask = e.mask.to_u32();
    if ((~mask & (~mask + 1)) != 0) return false;  // the host part is not all ones from some bit down: a hole
    if ((e.address.to_u32() & ~mask) != 0) return false;
    if (e.address.is_loopback() || (e.address.to_u32() >> 28) >= 0xe) return false;
    return true;
}

std::uint8_t prefix_length(net::Ipv4Address mask) {
    std::uint8_t n = 0;
    for (std::uint32_t m = mask.to_u32(); m & 0x80000000u; m <<= 1) ++n;
    return n;
}

}  // namespace

RipProcess::RipProcess(RipHost& host, const RipSpec& spec, const RipTimers& timers, std::vector<Interface> interfaces,
                       Rng rng)
    : host_(host), spec_(spec), timers_(timers), ifaces_(std::move(interfaces)),
      connected_changed_(ifaces_.size(), false), rng_(std::move(rng)) {}

bool RipProcess::speaks_on(int port) const {
    return port >= 0 && static_cast<std::size_t>(port) < ifaces_.size() && ifaces_[static_cast<std::size_t>(port)].rip;
}

SimTime RipProcess::jitter(SimTime lo, SimTime hi) {
    return lo + SimTime::ns(static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>((hi - lo).count()) + 1)));
}

void RipProcess::start() {
    for (std::size_t p = 0; p < ifaces_.size(); ++p)
        if (ifaces_[p].rip && host_.rip_port_up(static_cast<int>(p))) send_request(static_cast<int>(p));
    const SimTime sixth = SimTime::ns(timers_.update.count() / 6);
    host_.rip_timer(now() + jitter(timers_.update - sixth, timers_.update + sixth), RipHost::kUpdate, 0);
}

void RipProcess::on_timer(RipHost::Timer t, std::uint64_t generation) {
    switch (t) {
        case RipHost::kUpdate: {
            send_update(false);
            const SimTime sixth = SimTime::ns(timers_.update.count() / 6);
            host_.rip_timer(now() + jitter(timers_.update - sixth, timers_.update + sixth), RipHost::kUpdate, 0);
            return;
        }
        case RipHost::kTriggered:
            holding_ = false;
            if (std::any_of(routes_.begin(), routes_.end(), [](const RipRoute& r) { return r.changed; }) ||
                std::find(connected_changed_.begin(), connected_changed_.end(), true) != connected_changed_.end())
                trigger();
            return;
        case RipHost::kDeadline:
            if (generation != deadline_generation_) return;  // an earlier deadline replaced this one
            deadline_at_ = SimTime::max();
            expire();
            arm_deadline();
            return;
    }
}

void RipProcess::send_request(int port) {
    net::RipMessage m;
    m.command = net::kRipRequest;
    m.entries[0].family = 0;  // 3.9.1: one entry, family 0, metric 16: "your whole table"
    m.entries[0].metric = net::kRipInfinity;
    m.entry_count = 1;
    ++counters_.requests_sent;
    host_.rip_send(port, net::kRipGroup, net::kRipPort, m, "request for the whole table");
}

void RipProcess::receive(int port, net::Ipv4Address src, std::uint16_t src_port, net::Bytes payload) {
    if (!speaks_on(port)) {
        ++counters_.rejected;
        return host_.rip_rejected(fmt::format("RIP does not run on {}", ifaces_[static_cast<std::size_t>(port)].name));
    }
    const auto v = net::RipView::parse(payload);
    if (!v) {
        ++counters_.rejected;
        return host_.rip_rejected(v.error().message());
    }
    if (v->version() != net::kRipVersion2) {
        ++counters_.rejected;
        return host_.rip_rejected(fmt::format("version {}: this router speaks RIP version 2 only", v->version()));
    }
    if (v->command() == net::kRipRequest) return answer_request(port, src, src_port, *v);
    if (v->command() != net::kRipResponse) {
        ++counters_.rejected;
        return host_.rip_rejected(fmt::format("command {} is neither request (1) nor response (2)", v->command()));
    }
    // 3.9.2: only a neighbour's routing process may tell us routes.
    const auto& mine = ifaces_[static_cast<std::size_t>(port)].ip;
    if (src_port != net::kRipPort) {
        ++counters_.rejected;
        return host_.rip_rejected(fmt::format("a response from port {}, not 520", src_port));
    }
    if (!mine || !mine->contains(src) || src == mine->address()) {
        ++counters_.rejected;
        return host_.rip_rejected(fmt::format("a response from {}, not a neighbour on {}", src.to_string(),
                                              ifaces_[static_cast<std::size_t>(port)].name));
    }
    ++counters_.responses_received;
    take_response(port, src, *v);
}

void RipProcess::answer_request(int port, net::Ipv4Address src, std::uint16_t src_port, const net::RipView& v) {
    ++counters_.requests_received;
    if (v.entry_count() == 1 && v.entry(0).family == 0 && v.entry(0).metric == net::kRipInfinity)
        return output(port, src, src_port, false, "the whole table, asked for");
    // Particular entries (a diagnostic's question): each answered with our metric, 16 if unknown.
    net::RipMessage m;
    m.command = net::kRipResponse;
    for (std::size_t i = 0; i < v.entry_count(); ++i) {
        net::RipEntry e = v.entry(i);
        e.metric = net::kRipInfinity;
        const net::Ipv4Prefix to(e.address, prefix_length(e.mask));
        if (const RipRoute* r = find(to)) e.metric = r->metric;
        for (std::size_t p = 0; p < ifaces_.size(); ++p)
            if (ifaces_[p].rip && ifaces_[p].ip && ifaces_[p].ip->network() == to) e.metric = 1;
        m.entries[m.entry_count++] = e;
    }
    ++counters_.responses_sent;
    host_.rip_send(port, src, src_port, m, "the entries asked for");
}

void RipProcess::take_response(int port, net::Ipv4Address src, const net::RipView& v) {
    bool changed = false;
    for (std::size_t i = 0; i < v.entry_count(); ++i) {
        const net::RipEntry e = v.entry(i);
        if (e.family == net::kRipFamilyAuth) continue;  // authentication is not modelled
        if (e.family != net::kRipFamilyIp || e.metric < 1 || e.metric > net::kRipInfinity || !valid_destination(e)) {
            ++counters_.bad_entries;
            continue;
        }
        changed |= take_entry(port, src, e);
    }
    if (changed) trigger();
}

bool RipProcess::take_entry(int port, net::Ipv4Address src, const net::RipEntry& e) {
    const net::Ipv4Prefix to(e.address, prefix_length(e.mask));
    if (is_connected(to)) return false;  // ours: nothing is closer than 1
    const std::uint32_t metric = std::min(e.metric + 1, net::kRipInfinity);
    // 4.4: a next hop on the subnet it came from may be named; otherwise the sender.
    net::Ipv4Address via = src;
    const auto& mine = ifaces_[static_cast<std::size_t>(port)].ip;
    if (!e.next_hop.is_unspecified() && mine->contains(e.next_hop) && e.next_hop != mine->address()) via = e.next_hop;
    const std::string from = fmt::format("from {}", src.to_string());

    RipRoute* r = find(to);
    if (!r || r->metric >= net::kRipInfinity) {
        if (metric >= net::kRipInfinity) return false;  // news of nothing
        if (!r) r = &routes_.emplace_back();
        *r = RipRoute{to, via, port, metric, now() + timers_.timeout, SimTime::max(), true};
        host_.rip_install(*r, from);
        counters_.last_change = now();
        arm_deadline();
        return true;
    }
    if (r->via == via && r->port == port) {  // the router we route through: believed in all it says
        if (metric < net::kRipInfinity) r->timeout_at = now() + timers_.timeout;
        if (metric == r->metric) return false;
        if (metric >= net::kRipInfinity) {
            withdraw(*r, fmt::format("{} says metric 16", src.to_string()));
            return true;
        }
        r->metric = metric;
        r->changed = true;
        host_.rip_install(*r, from);
        counters_.last_change = now();
        return true;
    }
    if (metric >= r->metric) return false;
    *r = RipRoute{to, via, port, metric, now() + timers_.timeout, SimTime::max(), true};
    host_.rip_install(*r, fmt::format("{}, shorter", from));
    counters_.last_change = now();
    arm_deadline();
    return true;
}

void RipProcess::withdraw(RipRoute& r, std::string_view why) {
    r.metric = net::kRipInfinity;
    r.timeout_at = SimTime::max();
    r.garbage_at = now() + timers_.garbage;
    r.changed = true;
    host_.rip_withdraw(r, why);
    counters_.last_change = now();
    arm_deadline();
}

void RipProcess::expire() {
    const SimTime t = now();
    const std::string why = fmt::format("timed out: no update for {}", timers_.timeout.to_string());
    bool changed = false;
    for (RipRoute& r : routes_)
        if (r.metric < net::kRipInfinity && r.timeout_at <= t) {
            withdraw(r, why);
            changed = true;
        }
    routes_.erase(std::remove_if(routes_.begin(), routes_.end(), [&](const RipRoute& r) { return r.garbage_at <= t; }),
                  routes_.end());
    if (changed) trigger();
}

void RipProcess::arm_deadline() {
    SimTime next = SimTime::max();
    for (const RipRoute& r : routes_) next = std::min({next, r.timeout_at, r.garbage_at});
    if (next >= deadline_at_) return;
    deadline_at_ = next;
    host_.rip_timer(next, RipHost::kDeadline, ++deadline_generation_);
}

void RipProcess::link_changed(int port, bool up) {
    if (!speaks_on(port)) return;
    connected_changed_[static_cast<std::size_t>(port)] = true;
    const std::string why = fmt::format("{} went down", ifaces_[static_cast<std::size_t>(port)].name);
    if (!up)
        for (RipRoute& r : routes_)
            if (r.port == port && r.metric < net::kRipInfinity) withdraw(r, why);
    trigger();
    if (up) send_request(port);
}

void RipProcess::trigger() {
    if (!spec_.triggered_updates) return;  // the next regular update carries the change
    if (holding_) return;                  // the update after the hold carries these changes too
    send_update(true);
    ++counters_.triggered_updates;
    holding_ = true;
    host_.rip_timer(now() + jitter(SimTime::ns(timers_.update.count() / 30), SimTime::ns(timers_.update.count() / 6)),
                    RipHost::kTriggered, 0);
}

void RipProcess::send_update(bool changed_only) {
    for (std::size_t p = 0; p < ifaces_.size(); ++p)
        if (ifaces_[p].rip && host_.rip_port_up(static_cast<int>(p)))
            output(static_cast<int>(p), net::kRipGroup, net::kRipPort, changed_only,
                   changed_only ? "triggered update" : "regular update");
    for (RipRoute& r : routes_) r.changed = false;
    std::fill(connected_changed_.begin(), connected_changed_.end(), false);
}

void RipProcess::output(int port, net::Ipv4Address dst, std::uint16_t dst_port, bool changed_only, std::string_view what) {
    net::RipMessage m;
    m.command = net::kRipResponse;
    auto flush = [&] {
        if (m.entry_count == 0) return;
        ++counters_.responses_sent;
        host_.rip_send(port, dst, dst_port, m, what);
        m.entry_count = 0;
    };
    auto add = [&](const net::Ipv4Prefix& to, std::uint32_t metric, int learned_on) {
        if (learned_on == port) {  // 3.4.3: what goes back where it came from
            if (spec_.split_horizon == SplitHorizon::Simple) return;
            if (spec_.split_horizon == SplitHorizon::PoisonedReverse) metric = net::kRipInfinity;
        }
        net::RipEntry& e = m.entries[m.entry_count++];
        e = net::RipEntry{};
        e.address = to.network().address();
        e.mask = net::Ipv4Address(to.mask());
        e.metric = metric;
        if (m.entry_count == net::kRipMaxEntries) flush();
    };
    for (std::size_t q = 0; q < ifaces_.size(); ++q) {
        if (!ifaces_[q].rip || !ifaces_[q].ip || (changed_only && !connected_changed_[q])) continue;
        const bool up = host_.rip_port_up(static_cast<int>(q));
        if (!up && find(ifaces_[q].ip->network())) continue;  // a way round was learned: that entry says it
        add(ifaces_[q].ip->network(), up ? 1 : net::kRipInfinity, static_cast<int>(q));
    }
    for (const RipRoute& r : routes_)
        if (!changed_only || r.changed) add(r.to, r.metric, r.port);
    flush();
}

RipRoute* RipProcess::find(const net::Ipv4Prefix& to) {
    const auto it = std::find_if(routes_.begin(), routes_.end(), [&](const RipRoute& r) { return r.to == to; });
    return it == routes_.end() ? nullptr : &*it;
}

// A network on an interface whose link is down is not connected any more, as
// for bird's direct protocol with "check link": a neighbour may offer a way round.
bool RipProcess::is_connected(const net::Ipv4Prefix& to) const {
    for (std::size_t p = 0; p < ifaces_.size(); ++p)
        if (ifaces_[p].ip && ifaces_[p].ip->network() == to && host_.rip_port_up(static_cast<int>(p))) return true;
    return false;
}

}  // namespace hopsim::sim
