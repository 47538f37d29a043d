#include "hopsim/sim/apps/dhcp_server.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::sim {

namespace {
const net::Ipv4Address kEveryone(255, 255, 255, 255);
constexpr SimTime kOfferHeld = SimTime::s(60);  // how long an offered address waits for its REQUEST
}  // namespace

void DhcpServer::start() { socket_ = stack_.udp_bind(*this, net::kDhcpServerPort); }

std::optional<net::Ipv4Address> DhcpServer::free_address(const DhcpPool& pool, const net::MacAddress& client) {
    if (const auto it = bindings_.find(client); it != bindings_.end() && pool.subnet.contains(it->second.address))
        return it->second.address;
    const SimTime now = stack_.now();
    for (std::uint32_t a = pool.first.to_u32(); a <= pool.last.to_u32(); ++a) {
        bool taken = false;
        for (const auto& [mac, b] : bindings_) taken |= b.address.to_u32() == a && b.expires > now;
        if (!taken) return net::Ipv4Address(a);
    }
    return std::nullopt;
}

void DhcpServer::on_datagram(SocketId, const Received& r) {
    const auto v = net::DhcpView::parse(r.data);
    if (!v || v->op() != net::kBootRequest) {
        stack_.trace_delivery(r, r.data.size(), v ? "not a request: ignored" : "not a DHCP message: ignored");
        return;
    }
    const net::DhcpMessage m = v->to_message();
    const bool relayed = !m.giaddr.is_unspecified();
    const net::Ipv4Address me = stack_.source_for(r.src.is_unspecified() ? kEveryone : r.src);
    // Which subnet the client is on: the relay's, the address it holds (renewing), else the server's own.
    const net::Ipv4Address on = relayed ? m.giaddr : !m.ciaddr.is_unspecified() ? m.ciaddr : me;
    const auto pool = std::find_if(pools_.begin(), pools_.end(), [&](const DhcpPool& p) { return p.subnet.contains(on); });
    if (pool == pools_.end()) {
        stack_.trace_delivery(r, r.data.size(), fmt::format("for a subnet this server has no pool for ({}): ignored", on.to_string()));
        return;
    }
    const SimTime now = stack_.now();
    for (auto it = bindings_.begin(); it != bindings_.end();)  // lapsed offers and ended leases
        it = it->second.expires <= now ? bindings_.erase(it) : std::next(it);
    switch (m.type) {
        case net::DhcpType::Discover: {
            const auto a = free_address(*pool, m.chaddr);
            if (!a) return stack_.trace_delivery(r, r.data.size(), "DISCOVER: the pool is used up");
            auto& b = bindings_[m.chaddr];
            if (!b.leased) b = {*a, now + kOfferHeld, false};
            stack_.trace_delivery(r, r.data.size(), fmt::format("DISCOVER from {}: offering {}", m.chaddr.to_string(), a->to_string()));
            return answer(*pool, m, net::DhcpType::Offer, *a, r);
        }
        case net::DhcpType::Request: {
            const auto it = bindings_.find(m.chaddr);
            if (m.server_id && *m.server_id != me) {  // it chose another server's offer
                if (it != bindings_.end() && !it->second.leased) bindings_.erase(it);
                return stack_.trace_delivery(r, r.data.size(), "REQUEST for another server's offer: withdrawn");
            }
            const net::Ipv4Address wanted = !m.ciaddr.is_unspecified() ? m.ciaddr : m.requested_ip.value_or(net::Ipv4Address());
            if (it == bindings_.end() || it->second.address != wanted) {
                stack_.trace_delivery(r, r.data.size(), fmt::format("REQUEST for {}: not this client's: NAK", wanted.to_string()));
                return answer(*pool, m, net::DhcpType::Nak, net::Ipv4Address(), r);
            }
            it->second.leased = true;
            it->second.expires = now + pool->lease;
            stack_.trace_delivery(r, r.data.size(), fmt::format("REQUEST {}: leased to {} until {}", wanted.to_string(),
                                                                m.chaddr.to_string(), it->second.expires.to_string()));
            return answer(*pool, m, net::DhcpType::Ack, wanted, r);
        }
        case net::DhcpType::Release:
            if (const auto it = bindings_.find(m.chaddr); it != bindings_.end() && it->second.address == m.ciaddr) bindings_.erase(it);
            return stack_.trace_delivery(r, r.data.size(), "RELEASE");
        case net::DhcpType::Decline:  // (hopsim's client never declines: it does not probe with ARP)
            bindings_.erase(m.chaddr);
            return stack_.trace_delivery(r, r.data.size(), "DECLINE: the binding is dropped");
        default:
            return stack_.trace_delivery(r, r.data.size(), fmt::format("{}: not handled", net::to_string(m.type)));
    }
}

void DhcpServer::answer(const DhcpPool& pool, const net::DhcpMessage& q, net::DhcpType type, net::Ipv4Address yiaddr,
                        const Received& r) {
    const net::Ipv4Address me = stack_.source_for(r.src.is_unspecified() ? kEveryone : r.src);
    net::DhcpMessage a;
    a.op = net::kBootReply;
    a.xid = q.xid;
    a.flags = q.flags;
    a.giaddr = q.giaddr;
    a.chaddr = q.chaddr;
    a.type = type;
    a.server_id = me;
    if (type != net::DhcpType::Nak) {
        a.yiaddr = yiaddr;
        a.ciaddr = q.ciaddr;
        const auto secs = static_cast<std::uint32_t>(pool.lease.count() / 1'000'000'000);
        a.lease_seconds = secs;
        a.renewal_seconds = secs / 2;
        a.rebinding_seconds = static_cast<std::uint32_t>(std::uint64_t{secs} * 7 / 8);  // RFC 2131 4.4.5: 0.875, as dnsmasq
        a.subnet_mask = net::Ipv4Address(pool.subnet.mask());
        a.router = pool.gateway;
        a.dns_server = pool.dns;
    }
    std::vector<std::uint8_t> bytes(a.length());
    a.emit(bytes);
    // RFC 2131 4.1: to the relay; to a client with an address, unicast; else broadcast.
    const SendOptions o{64, false, r.flow};
    if (!q.giaddr.is_unspecified()) return stack_.udp_send(socket_, q.giaddr, net::kDhcpServerPort, bytes, o);
    if (!q.ciaddr.is_unspecified() && type != net::DhcpType::Nak) return stack_.udp_send(socket_, q.ciaddr, net::kDhcpClientPort, bytes, o);
    stack_.udp_send(socket_, kEveryone, net::kDhcpClientPort, bytes, o);
}

}  // namespace hopsim::sim
