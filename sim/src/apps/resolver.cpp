#include "hopsim/sim/apps/resolver.hpp"

#include <algorithm>

#include "hopsim/netstack/dns.hpp"
#include "hopsim/netstack/icmp.hpp"

namespace hopsim::sim {

void Resolver::resolve(const std::string& name, int flow, Callback done) {
    if (const auto hit = cache_.find(name); hit != cache_.end()) {
        if (hit->second.expires > stack_.now()) {
            Resolution r;
            r.ok = r.cached = true;
            r.address = hit->second.address;
            r.ttl = static_cast<std::uint32_t>((hit->second.expires - stack_.now()).count() / 1'000'000'000);
            return done(r);
        }
        cache_.erase(hit);
    }
    if (server_.is_unspecified()) {
        Resolution r;
        r.why = "no DNS server (the DHCP lease named none)";
        return done(r);
    }
    for (auto& [id, q] : pending_)  // already being asked: wait for the same answer
        if (q.name == name) return q.waiting.push_back(std::move(done));
    if (socket_ == kNoSocket) socket_ = stack_.udp_bind(*this, 0);
    std::uint16_t id = static_cast<std::uint16_t>(rng_.below(65536));
    while (pending_.count(id)) ++id;  // glibc draws ids at random; two in flight must differ
    Query& q = pending_[id];
    q.name = name;
    q.flow = flow;
    q.waiting.push_back(std::move(done));
    send(id, q);
}

void Resolver::send(std::uint16_t id, Query& q) {
    ++q.attempts;
    q.sent_at = stack_.now();
    net::DnsMessage m;
    m.id = id;
    m.questions.push_back({q.name, net::kDnsTypeA, net::kDnsClassIn});
    std::vector<std::uint8_t> bytes(m.length());
    m.emit(bytes);
    stack_.udp_send(socket_, server_, net::kDnsPort, bytes, {64, true, q.flow});
    stack_.set_timer(*this, stack_.now() + kTimeout, (static_cast<std::uint64_t>(q.attempts) << 16) | id);
}

void Resolver::on_timer(std::uint64_t token) {
    const auto id = static_cast<std::uint16_t>(token & 0xffff);
    const int attempt = static_cast<int>(token >> 16);
    const auto it = pending_.find(id);
    if (it == pending_.end() || it->second.attempts != attempt) return;  // answered, or asked again since
    attempt_failed(id, "no answer from the DNS server");
}

void Resolver::attempt_failed(std::uint16_t id, const char* why) {
    Query& q = pending_.at(id);
    if (q.attempts < kAttempts) return send(id, q);
    Resolution r;
    r.why = why;
    finish(id, r);
}

bool Resolver::on_icmp_error(SocketId, const IcmpError& e) {
    if (e.type != net::kIcmpDestUnreachable || e.quoted_dst_port != net::kDnsPort) return false;
    // The error names the ports, not the DNS id: it answers the attempt that
    // went out first of those still waiting (each gets its own error).
    auto oldest = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
        if (oldest == pending_.end() || it->second.sent_at < oldest->second.sent_at) oldest = it;
    if (oldest == pending_.end()) return false;
    attempt_failed(oldest->first, e.code == net::kIcmpPortUnreachable
                                      ? "the DNS server's port 53 is closed (ICMP port unreachable)"
                                      : "the DNS server is unreachable (ICMP)");
    return true;
}

void Resolver::on_datagram(SocketId, const Received& r) {
    const auto v = net::DnsView::parse(r.data);
    const auto it = v && r.src == server_ && r.src_port == net::kDnsPort ? pending_.find(v->id()) : pending_.end();
    if (it == pending_.end() || !v->response()) {
        stack_.trace_delivery(r, r.data.size(), "not an answer to a question asked: ignored");
        return;
    }
    const net::DnsMessage m = v->to_message();
    Resolution res;
    if (m.rcode == net::kDnsNxDomain) res.why = "NXDOMAIN";
    else if (m.rcode != net::kDnsNoError) res.why = m.rcode == net::kDnsServFail ? "SERVFAIL" : "the DNS server refused";
    else if (m.answers.empty()) res.why = "no A record";
    else {
        res.ok = true;
        res.address = m.answers.front().address;
        res.ttl = m.answers.front().ttl;
        cache_[it->second.name] = {res.address, stack_.now() + SimTime::s(res.ttl)};
    }
    stack_.trace_delivery(r, r.data.size(), res.ok ? "the resolver's answer" : res.why);
    finish(it->first, res);
}

void Resolver::finish(std::uint16_t id, const Resolution& r) {
    const auto it = pending_.find(id);
    std::vector<Callback> waiting = std::move(it->second.waiting);
    pending_.erase(it);
    for (Callback& done : waiting) done(r);
}

}  // namespace hopsim::sim
