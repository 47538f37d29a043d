#include "hopsim/sim/apps/dns_server.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/dns.hpp"

namespace hopsim::sim {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}
}  // namespace

void DnsServer::start() { socket_ = stack_.udp_bind(*this, spec_.port); }

void DnsServer::on_datagram(SocketId, const Received& r) {
    const auto v = net::DnsView::parse(r.data);
    if (!v) {
        stack_.trace_delivery(r, r.data.size(), fmt::format("not a DNS message ({}): ignored", v.error().message()));
        return;
    }
    const net::DnsMessage m = v->to_message();
    if (m.response) return relay(r, m);
    if (m.questions.size() != 1 || v->opcode() != 0) {
        stack_.trace_delivery(r, r.data.size(), "not one standard question: FORMERR");
        net::DnsMessage e;
        e.id = m.id;
        e.response = true;
        e.rcode = net::kDnsFormErr;
        return reply(e, r.src, r.src_port, r.flow);
    }
    question(r, m);
}

void DnsServer::question(const Received& r, const net::DnsMessage& q) {
    const net::DnsQuestion& ask = q.questions.front();
    const std::string name = lower(ask.name);
    net::DnsMessage a;
    a.id = q.id;
    a.response = true;
    a.recursion_desired = q.recursion_desired;
    a.recursion_available = spec_.forwarder.has_value();
    a.questions = q.questions;
    const auto rec = std::find_if(spec_.records.begin(), spec_.records.end(), [&](const auto& e) { return e.first == name; });
    if (rec != spec_.records.end()) {
        a.authoritative = true;
        if (ask.type == net::kDnsTypeA && ask.cls == net::kDnsClassIn)
            a.answers.push_back({ask.name, static_cast<std::uint32_t>(spec_.ttl.count() / 1'000'000'000), rec->second});
        stack_.trace_delivery(r, r.data.size(), fmt::format("{}: {}", ask.name, a.answers.empty() ? "no record of that type" : rec->second.to_string()));
        return reply(a, r.src, r.src_port, r.flow);
    }
    if (spec_.forwarder) {
        std::uint16_t id = static_cast<std::uint16_t>(rng_.below(65536));
        while (forwarded_.count(id)) ++id;
        forwarded_[id] = {r.src, r.src_port, q.id, r.flow};
        net::DnsMessage fwd = q;
        fwd.id = id;
        fwd.recursion_desired = true;
        stack_.trace_delivery(r, r.data.size(), fmt::format("{}: not ours, asking {}", ask.name, spec_.forwarder->to_string()));
        return reply(fwd, *spec_.forwarder, net::kDnsPort, r.flow);
    }
    a.authoritative = true;
    a.rcode = net::kDnsNxDomain;
    stack_.trace_delivery(r, r.data.size(), fmt::format("{}: no such name", ask.name));
    reply(a, r.src, r.src_port, r.flow);
}

void DnsServer::relay(const Received& r, const net::DnsMessage& answer) {
    const auto it = forwarded_.find(answer.id);
    if (it == forwarded_.end() || !spec_.forwarder || r.src != *spec_.forwarder) {
        stack_.trace_delivery(r, r.data.size(), "an answer to nothing asked: ignored");
        return;
    }
    const Forwarded f = it->second;
    forwarded_.erase(it);
    net::DnsMessage back = answer;
    back.id = f.client_id;
    back.authoritative = false;  // ours second hand
    back.recursion_available = true;
    stack_.trace_delivery(r, r.data.size(), "the forwarder's answer, relayed");
    reply(back, f.client, f.client_port, f.flow);
}

void DnsServer::reply(const net::DnsMessage& m, net::Ipv4Address to, std::uint16_t port, int flow) {
    std::vector<std::uint8_t> bytes(m.length());
    m.emit(bytes);
    stack_.udp_send(socket_, to, port, bytes, {64, true, flow});
}

}  // namespace hopsim::sim
