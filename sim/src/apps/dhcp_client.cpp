#include "hopsim/sim/apps/dhcp_client.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/sim/apps/resolver.hpp"
#include "hopsim/sim/host.hpp"

namespace hopsim::sim {

namespace {
const net::Ipv4Address kEveryone(255, 255, 255, 255);
constexpr std::uint8_t kAsk[] = {net::dhcp_option::kSubnetMask, net::dhcp_option::kRouter, net::dhcp_option::kDnsServer,
                                 net::dhcp_option::kLeaseTime};
// Timer tokens: the timer kind in the low byte, the state generation above it.
std::uint64_t token(std::uint64_t kind, std::uint64_t generation) { return generation << 8 | kind; }
}  // namespace

const char* to_string(DhcpClient::State s) {
    switch (s) {
        case DhcpClient::State::Init: return "init";
        case DhcpClient::State::Selecting: return "selecting";
        case DhcpClient::State::Requesting: return "requesting";
        case DhcpClient::State::Bound: return "bound";
        case DhcpClient::State::Renewing: return "renewing";
        case DhcpClient::State::Rebinding: return "rebinding";
    }
    return "?";
}

void DhcpClient::start() {
    socket_ = host_.udp_bind(*this, net::kDhcpClientPort);
    discover();
}

void DhcpClient::when_bound(std::function<void()> then) {
    if (bound()) return then();
    waiting_.push_back(std::move(then));
}

net::Ipv4Address DhcpClient::address() const {
    return host_.lease() ? host_.lease()->address.address() : net::Ipv4Address();
}

void DhcpClient::to(State s, std::string_view detail) {
    if (s != state_) host_.trace_state("dhcp", to_string(state_), to_string(s), detail);
    state_ = s;
    ++generation_;
    tries_ = 0;
}

net::DhcpMessage DhcpClient::message(net::DhcpType type) const {
    net::DhcpMessage m;
    m.op = net::kBootRequest;
    m.xid = xid_;
    m.chaddr = mac_;
    m.type = type;
    std::copy(std::begin(kAsk), std::end(kAsk), m.parameter_list.begin());
    m.parameter_count = static_cast<std::uint8_t>(std::size(kAsk));
    return m;
}

void DhcpClient::send(const net::DhcpMessage& m, net::Ipv4Address to_addr) {
    std::vector<std::uint8_t> bytes(m.length());
    m.emit(bytes);
    // Broadcasts as ISC dhclient builds them on its raw socket (TTL 128, DF
    // clear); a renewal from a bound address as the kernel sends it (64, DF).
    const bool raw = to_addr.is_broadcast();
    host_.udp_send(socket_, to_addr, net::kDhcpServerPort, bytes, {raw ? 128 : 64, !raw, -1});
}

void DhcpClient::retransmit_later() {
    // RFC 2131 4.1: 4 s, doubling to 64 s, each randomised by -1 to +1 s.
    const std::int64_t base = std::min<std::int64_t>(4 << std::min(tries_, 4), 64);
    const SimTime jitter = SimTime::ms(static_cast<std::int64_t>(rng_.below(2001)) - 1000);
    host_.set_timer(*this, host_.now() + SimTime::s(base) + jitter, token(kRetransmit, generation_));
    ++tries_;
}

void DhcpClient::rerequest_later() {
    // RFC 2131 4.4.5: wait half the time left until T2 (renewing) or until
    // the lease ends (rebinding), but at least 60 s; T2 or the end, when they
    // come first, take over.
    const SimTime until = state_ == State::Renewing ? t2_ : host_.lease()->expires;
    const SimTime wait = std::max(SimTime::s(60), SimTime::ns((until - host_.now()).count() / 2));
    if (host_.now() + wait < until) host_.set_timer(*this, host_.now() + wait, token(kRetransmit, generation_));
}

void DhcpClient::discover() {
    to(State::Selecting);
    xid_ = static_cast<std::uint32_t>(rng_.next());
    net::DhcpMessage m = message(net::DhcpType::Discover);
    m.flags = net::kDhcpFlagBroadcast;
    send(m, kEveryone);
    retransmit_later();
}

void DhcpClient::request(std::uint32_t xid, bool broadcast) {
    net::DhcpMessage m = message(net::DhcpType::Request);
    m.xid = xid;
    if (state_ == State::Requesting) {  // selecting an offer: name it and its server
        m.flags = net::kDhcpFlagBroadcast;
        m.requested_ip = offered_;
        m.server_id = server_;
    } else {  // renewing or rebinding: from the address we hold (RFC 2131 4.3.2)
        m.ciaddr = host_.lease()->address.address();
    }
    send(m, broadcast ? kEveryone : server_);
}

void DhcpClient::on_timer(std::uint64_t t) {
    const std::uint64_t kind = t & 0xff, generation = t >> 8;
    if (kind == kRetransmit) {
        if (generation != generation_) return;  // a state since left
        if (state_ == State::Selecting) {
            net::DhcpMessage m = message(net::DhcpType::Discover);
            m.flags = net::kDhcpFlagBroadcast;
            send(m, kEveryone);
            return retransmit_later();
        }
        if (state_ == State::Requesting) {
            if (tries_ >= 4) {  // RFC 2131 4.4.1: give up on that offer
                to(State::Init, "no ACK for the offer");
                return discover();
            }
            request(xid_, true);
            return retransmit_later();
        }
        if (state_ == State::Renewing || state_ == State::Rebinding) {
            request(xid_, state_ == State::Rebinding);
            return rerequest_later();
        }
        return;
    }
    if (generation != lease_generation_ || !bound()) return;  // an earlier lease's
    if (kind == kT1 && state_ == State::Bound) {
        to(State::Renewing, "T1: renewing with the server");
        xid_ = static_cast<std::uint32_t>(rng_.next());
        request(xid_, false);
        return rerequest_later();
    }
    if (kind == kT2 && state_ != State::Rebinding) {
        to(State::Rebinding, "T2: asking any server");
        xid_ = static_cast<std::uint32_t>(rng_.next());
        request(xid_, true);
        return rerequest_later();
    }
    if (kind == kExpiry) {
        host_.end_lease(0);
        to(State::Init, "the lease ended: address given up");
        return discover();
    }
}

void DhcpClient::on_datagram(SocketId, const Received& r) {
    const auto v = net::DhcpView::parse(r.data);
    if (!v || v->op() != net::kBootReply || v->xid() != xid_) {
        host_.trace_delivery(r, r.data.size(), v ? "not an answer to our request: ignored" : "not a DHCP message: ignored");
        return;
    }
    const net::DhcpMessage m = v->to_message();
    if (m.chaddr != mac_) return host_.trace_delivery(r, r.data.size(), "for another client: ignored");
    if (m.type == net::DhcpType::Offer && state_ == State::Selecting && m.server_id) {
        offered_ = m.yiaddr;
        server_ = *m.server_id;
        host_.trace_delivery(r, r.data.size(), fmt::format("OFFER {} from {}: requesting it", m.yiaddr.to_string(), server_.to_string()));
        to(State::Requesting, fmt::format("offered {} by {}", offered_.to_string(), server_.to_string()));
        request(xid_, true);
        return retransmit_later();
    }
    if (m.type == net::DhcpType::Ack && (state_ == State::Requesting || state_ == State::Renewing || state_ == State::Rebinding)) {
        host_.trace_delivery(r, r.data.size(), fmt::format("ACK {}", m.yiaddr.to_string()));
        return bound_by(m);
    }
    if (m.type == net::DhcpType::Nak && state_ != State::Selecting) {
        host_.trace_delivery(r, r.data.size(), "NAK: starting again");
        if (host_.lease()) host_.end_lease(0);
        to(State::Init, "NAK");
        return discover();
    }
    host_.trace_delivery(r, r.data.size(), fmt::format("{} in state {}: ignored", net::to_string(m.type), to_string(state_)));
}

void DhcpClient::bound_by(const net::DhcpMessage& ack) {
    const std::uint32_t lease = ack.lease_seconds.value_or(3600);
    const std::uint32_t t1 = ack.renewal_seconds.value_or(lease / 2), t2 = ack.rebinding_seconds.value_or(static_cast<std::uint32_t>(std::uint64_t{lease} * 7 / 8));
    std::uint8_t len = 0;
    if (ack.subnet_mask)
        for (std::uint32_t m = ack.subnet_mask->to_u32(); m & 0x80000000u; m <<= 1) ++len;
    else len = 24;  // RFC 2131 leaves it to the client; dhclient's fallback is the class's, this is a lab's
    Host::Lease l;
    l.address = net::Ipv4Prefix(ack.yiaddr, len);
    l.gateway = ack.router;
    l.dns = ack.dns_server;
    l.server = ack.server_id ? *ack.server_id : server_;
    l.bound_at = host_.now();
    l.expires = host_.now() + SimTime::s(lease);
    const bool renewed = state_ != State::Requesting;
    host_.apply_lease(0, l);
    if (resolver_ && l.dns) resolver_->set_server(*l.dns);
    server_ = *l.server;
    to(State::Bound, fmt::format("{} via {}, DNS {}, lease {}s", l.address.to_string(),
                                 l.gateway ? l.gateway->to_string() : "none", l.dns ? l.dns->to_string() : "none", lease));
    ++lease_generation_;
    host_.set_timer(*this, host_.now() + SimTime::s(t1), token(kT1, lease_generation_));
    t2_ = host_.now() + SimTime::s(t2);
    host_.set_timer(*this, t2_, token(kT2, lease_generation_));
    host_.set_timer(*this, l.expires, token(kExpiry, lease_generation_));
    if (renewed) return;
    std::vector<std::function<void()>> waiting = std::move(waiting_);
    for (auto& then : waiting) then();
}

}  // namespace hopsim::sim
