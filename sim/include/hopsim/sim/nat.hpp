#pragma once
// A NAT router's translation table (RFC 3022 NAPT, with Linux conntrack's
// choices). A connection from inside keeps its source port (or echo id) when
// no other mapping uses that outside port towards the same remote end, as
// Linux's MASQUERADE does; otherwise the next free one counting up within
// Linux's range for that port (Linux starts from a hash; counting keeps runs
// readable). Entries live as long as conntrack
// keeps them by default: ICMP 30 s; UDP 30 s, or 120 s once replies come more
// than 2 s after the first packet (a stream); TCP 120 s after a SYN, 60 s
// after a SYN-ACK, 5 days established, 120 s after a FIN, 10 s after a reset.
// Each packet seen renews its entry.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/sim/time.hpp"

namespace hopsim::sim {

struct NatMapping {
    std::uint8_t protocol = 0;  // 1 ICMP (ports are the echo id), 6 TCP, 17 UDP
    net::Ipv4Address inside_ip;
    std::uint16_t inside_port = 0;
    std::uint16_t outside_port = 0;
    net::Ipv4Address remote_ip;
    std::uint16_t remote_port = 0;  // 0 for ICMP
    SimTime created;
    SimTime last_seen;
    SimTime expires;
    bool replied = false;
    bool forwarded = false;  // made by a port forward: the remote end spoke first
    enum class Tcp : std::uint8_t { None, SynSent, SynReceived, Established, Closing, Reset } tcp = Tcp::None;
};

const char* protocol_name(std::uint8_t protocol);  // "icmp", "tcp", "udp"

class NatTable {
public:
    explicit NatTable(net::Ipv4Address outside) : outside_(outside) {}
    net::Ipv4Address outside() const { return outside_; }

    // The mapping for a packet leaving from inside: found, or made (`made`
    // set). Null when every outside port towards that remote end is taken.
    NatMapping* outbound(std::uint8_t protocol, net::Ipv4Address src, std::uint16_t sport, net::Ipv4Address dst,
                         std::uint16_t dport, SimTime now, bool& made);
    // The mapping a packet arriving at the outside address belongs to, or null.
    NatMapping* inbound(std::uint8_t protocol, net::Ipv4Address remote, std::uint16_t rport, std::uint16_t outside_port);
    // A mapping for a port forward, made by the remote end's first packet.
    NatMapping* forward(std::uint8_t protocol, net::Ipv4Address remote, std::uint16_t rport, std::uint16_t outside_port,
                        net::Ipv4Address to, std::uint16_t to_port, SimTime now);
    // A packet of the mapping's connection went by: renews its lifetime.
    // `reply`: it came from the remote end; `tcp_flags` for TCP segments.
    void seen(NatMapping& m, bool reply, std::uint8_t tcp_flags, SimTime now);

    // Removes the mappings whose time is up at `now`, each passed to `gone` first.
    template <class F>
    void expire(SimTime now, F gone) {
        for (std::size_t i = 0; i < mappings_.size();) {
            if (mappings_[i].expires > now) {
                ++i;
                continue;
            }
            gone(mappings_[i]);
            erase(i);
        }
    }
    SimTime next_expiry() const;
    const std::vector<NatMapping>& mappings() const { return mappings_; }

    // "udp 203.0.113.1:5000>10.9.0.80:53": the outside view, as the table's key.
    std::string key(const NatMapping& m) const;
    // "10.0.0.5:5000": what it stands for inside.
    static std::string value(const NatMapping& m);

private:
    using Inside = std::tuple<std::uint8_t, std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
    using Outside = std::tuple<std::uint8_t, std::uint16_t, std::uint32_t, std::uint16_t>;
    Inside inside_key(const NatMapping& m) const;
    Outside outside_key(const NatMapping& m) const;
    NatMapping* add(NatMapping m);
    void erase(std::size_t i);

    net::Ipv4Address outside_;
    std::vector<NatMapping> mappings_;
    std::map<Inside, std::size_t> by_inside_;
    std::map<Outside, std::size_t> by_outside_;
};

}  // namespace hopsim::sim
