#include "hopsim/sim/nat.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::sim {

namespace {

constexpr std::uint8_t kIcmp = 1, kTcp = 6;
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;

// net/netfilter/nf_conntrack_proto_{icmp,udp,tcp}.c, the defaults.
SimTime lifetime(const NatMapping& m, SimTime since_first) {
    if (m.protocol == kIcmp) return SimTime::s(30);
    if (m.protocol != kTcp) return m.replied && since_first > SimTime::s(2) ? SimTime::s(120) : SimTime::s(30);
    switch (m.tcp) {
        case NatMapping::Tcp::SynReceived: return SimTime::s(60);
        case NatMapping::Tcp::Established: return SimTime::s(5 * 24 * 3600);
        case NatMapping::Tcp::Reset: return SimTime::s(10);
        case NatMapping::Tcp::None:
        case NatMapping::Tcp::SynSent:
        case NatMapping::Tcp::Closing: break;
    }
    return SimTime::s(120);
}

}  // namespace

const char* protocol_name(std::uint8_t protocol) {
    return protocol == kIcmp ? "icmp" : protocol == kTcp ? "tcp" : "udp";
}

NatTable::Inside NatTable::inside_key(const NatMapping& m) const {
    return {m.protocol, m.inside_ip.to_u32(), m.inside_port, m.remote_ip.to_u32(), m.remote_port};
}

NatTable::Outside NatTable::outside_key(const NatMapping& m) const {
    return {m.protocol, m.outside_port, m.remote_ip.to_u32(), m.remote_port};
}

NatMapping* NatTable::outbound(std::uint8_t protocol, net::Ipv4Address src, std::uint16_t sport, net::Ipv4Address dst,
                               std::uint16_t dport, SimTime now, bool& made) {
    made = false;
    NatMapping m;
    m.protocol = protocol;
    m.inside_ip = src;
    m.inside_port = sport;
    m.remote_ip = dst;
    m.remote_port = protocol == kIcmp ? 0 : dport;
    if (const auto it = by_inside_.find(inside_key(m)); it != by_inside_.end()) return &mappings_[it->second];
    // The port it has, if free towards that remote end; else the next free
    // one in its range, Linux's (nf_nat_l4proto_unique_tuple): 1-511 below
    // 512, 600-1023 below 1024, else 1024-65535. Linux starts from a hash.
    // An echo identifier may become any other (0-65535).
    std::uint32_t lo = sport < 512 ? 1 : sport < 1024 ? 600 : 1024, hi = sport < 512 ? 511 : sport < 1024 ? 1023 : 65535;
    if (protocol == kIcmp) lo = 0, hi = 65535;
    std::uint32_t port = std::max<std::uint32_t>(sport, lo);
    for (std::uint32_t tries = 0; tries <= hi - lo; ++tries) {
        m.outside_port = static_cast<std::uint16_t>(port);
        if (!by_outside_.count(outside_key(m))) {
            m.created = m.last_seen = now;
            m.expires = now + lifetime(m, SimTime());
            made = true;
            return add(m);
        }
        port = port == hi ? lo : port + 1;
    }
    return nullptr;
}

NatMapping* NatTable::inbound(std::uint8_t protocol, net::Ipv4Address remote, std::uint16_t rport, std::uint16_t outside_port) {
    const auto it = by_outside_.find({protocol, outside_port, remote.to_u32(), protocol == kIcmp ? 0 : rport});
    return it == by_outside_.end() ? nullptr : &mappings_[it->second];
}

NatMapping* NatTable::forward(std::uint8_t protocol, net::Ipv4Address remote, std::uint16_t rport, std::uint16_t outside_port,
                              net::Ipv4Address to, std::uint16_t to_port, SimTime now) {
    NatMapping m;
    m.protocol = protocol;
    m.inside_ip = to;
    m.inside_port = to_port;
    m.outside_port = outside_port;
    m.remote_ip = remote;
    m.remote_port = rport;
    m.forwarded = true;
    m.created = m.last_seen = now;
    m.expires = now + lifetime(m, SimTime());
    if (by_inside_.count(inside_key(m))) return nullptr;  // that inside socket already talks to this remote end
    return add(m);
}

void NatTable::seen(NatMapping& m, bool reply, std::uint8_t flags, SimTime now) {
    // "Reply" is from the side that did not open the connection.
    const bool answer = reply != m.forwarded;
    if (answer) m.replied = true;
    if (m.protocol == kTcp) {
        using T = NatMapping::Tcp;
        if (flags & kRst) m.tcp = T::Reset;
        else if (flags & kFin) m.tcp = T::Closing;
        else if ((flags & kSyn) && !(flags & kAck)) m.tcp = m.tcp == T::None ? T::SynSent : m.tcp;
        else if ((flags & kSyn) && answer) m.tcp = T::SynReceived;
        else if ((flags & kAck) && (m.tcp == T::SynReceived || m.tcp == T::None)) m.tcp = T::Established;
    }
    m.last_seen = now;
    m.expires = now + lifetime(m, now - m.created);
}

SimTime NatTable::next_expiry() const {
    SimTime next = SimTime::max();
    for (const NatMapping& m : mappings_) next = std::min(next, m.expires);
    return next;
}

std::string NatTable::key(const NatMapping& m) const {
    if (m.protocol == kIcmp)
        return fmt::format("icmp {} id {}>{}", outside_.to_string(), m.outside_port, m.remote_ip.to_string());
    return fmt::format("{} {}:{}>{}:{}", protocol_name(m.protocol), outside_.to_string(), m.outside_port,
                       m.remote_ip.to_string(), m.remote_port);
}

std::string NatTable::value(const NatMapping& m) {
    if (m.protocol == kIcmp) return fmt::format("{} id {}", m.inside_ip.to_string(), m.inside_port);
    return fmt::format("{}:{}", m.inside_ip.to_string(), m.inside_port);
}

NatMapping* NatTable::add(NatMapping m) {
    mappings_.push_back(m);
    const std::size_t i = mappings_.size() - 1;
    by_inside_.emplace(inside_key(m), i);
    by_outside_.emplace(outside_key(m), i);
    return &mappings_[i];
}

void NatTable::erase(std::size_t i) {
    mappings_.erase(mappings_.begin() + static_cast<long>(i));
    by_inside_.clear();
    by_outside_.clear();
    for (std::size_t k = 0; k < mappings_.size(); ++k) {
        by_inside_.emplace(inside_key(mappings_[k]), k);
        by_outside_.emplace(outside_key(mappings_[k]), k);
    }
}

}  // namespace hopsim::sim
