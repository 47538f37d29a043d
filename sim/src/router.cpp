#include "hopsim/sim/router.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "hopsim/netstack/ipv4_fragment.hpp"
#include "hopsim/netstack/nat_rewrite.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/netstack/udp.hpp"
#include "hopsim/sim/apps/dhcp_server.hpp"
#include "hopsim/sim/network.hpp"
#include "router_socket.hpp"

namespace hopsim::sim {

Router::Router(Network& net, int node, const NodeSpec& spec) : IpNode(net, node, spec) {
    for (std::size_t p = 0; p < spec.interfaces.size(); ++p)
        if (spec.interfaces[p].ip) routes_.push_back({spec.interfaces[p].ip->network(), std::nullopt, static_cast<int>(p), true});
    for (const RouteSpec& r : spec.routes) {
        int port = r.dev;
        if (port < 0 && r.via) port = connected_port(*r.via);
        routes_.push_back({r.to, r.via, port, false});
    }
    port_up_.assign(ifaces_.size(), true);
    if (spec.nat.enabled) nat_.emplace(ifaces_[static_cast<std::size_t>(spec.nat.outside)].ip->address());
    for (const ServiceSpec& s : spec.services)
        if (s.kind == ServiceKind::DhcpServer) {
            socket_ = std::make_unique<RouterSocket>(*this);
            dhcp_server_ = std::make_unique<DhcpServer>(*socket_, s);
        }
    if (!spec.rip.enabled) return;
    std::vector<RipProcess::Interface> rip_ifaces;
    for (std::size_t p = 0; p < ifaces_.size(); ++p) {
        const bool on = std::find(spec.rip.interfaces.begin(), spec.rip.interfaces.end(), static_cast<int>(p)) !=
                        spec.rip.interfaces.end();
        if (on) ifaces_[p].groups.push_back(net::kRipGroup);
        rip_ifaces.push_back({ifaces_[p].name, ifaces_[p].ip, on});
    }
    rip_.emplace(static_cast<RipHost&>(*this), spec.rip, net.sc.rip_timers, std::move(rip_ifaces), net.stream("rip/" + spec.id));
}

std::string Router::route_value(const Route& r) const {
    std::string s = r.via ? "via " + r.via->to_string() + " " : std::string();
    s += "dev " + ifaces_[static_cast<std::size_t>(r.port)].name;
    if (r.rip_metric) s += fmt::format(" proto rip metric {}", r.rip_metric);  // as `ip route` shows a daemon's routes
    return s;
}

std::string Router::route_text(const Route& r) const { return r.to.to_string() + " " + route_value(r); }

void Router::trace_route(Ev ev, const Route& r, std::string_view old, std::string_view why) {
    if (!net_.tracer.enabled()) return;
    const std::string key = r.to.to_string(), value = route_value(r);
    TraceEvent e(net_.now(), ev, node_, r.port);
    e.table = Table::Route;
    e.key = key;
    e.value = value;
    e.old = old;
    e.detail = why;
    net_.tracer.emit(e);
}

Router::~Router() = default;

void Router::start() {
    for (const Route& r : routes_) trace_route(Ev::Learn, r, {}, {});  // the table as it starts, so a reader can rebuild it
    if (rip_) rip_->start();
    if (dhcp_server_) dhcp_server_->start();
}

void Router::link_changed(int port, bool up) {
    port_up_[static_cast<std::size_t>(port)] = up;
    if (rip_) rip_->link_changed(port, up);
}

void Router::on_timer(const Event& e) {
    if (e.kind == kRipTimer && rip_) rip_->on_timer(static_cast<RipHost::Timer>(e.a), e.b);
    if (e.kind == kNatExpiry && nat_ && e.b == nat_generation_) {
        nat_expiry_at_ = SimTime::max();
        nat_expire();
    }
}

SimTime Router::now() const { return net_.now(); }

void Router::rip_timer(SimTime at, RipHost::Timer t, std::uint64_t generation) {
    net_.engine.schedule(at, this, kRipTimer, t, generation);
}

void Router::rip_send(int port, net::Ipv4Address dst, std::uint16_t dst_port, const net::RipMessage& m,
                      std::string_view what) {
    std::array<std::uint8_t, net::kRipHeaderLen + net::kRipMaxEntries * net::kRipEntryLen> message{};
    m.emit(net::MutableBytes(message.data(), m.length()));
    // IP_MULTICAST_TTL's default for the group, as bird and FRR keep it; Linux's 64 for unicast.
    send_udp(port, ifaces_[static_cast<std::size_t>(port)].ip->address(), dst, net::kRipPort, dst_port,
             net::Bytes(message.data(), m.length()), {dst.is_multicast() ? 1 : 64}, -1, what);
}

void Router::send_udp(int port, net::Ipv4Address src, net::Ipv4Address dst, std::uint16_t sport, std::uint16_t dport,
                      net::Bytes payload, UdpSend how, int flow, std::string_view what) {
    const bool local_net = dst.is_multicast() || dst.is_broadcast();
    const Route* route = local_net ? nullptr : lookup(dst);
    if (!local_net && !route) return;  // nowhere to send it: a relay's server out of reach
    const int out = local_net ? port : route->port;
    if (src.is_unspecified()) src = ifaces_[static_cast<std::size_t>(out)].ip->address();
    net::FrameBuilder b(payload);
    b.udp({sport, dport, 0}, src, dst);
    net::Ipv4Header ih;
    ih.id = next_ip_id_++;
    ih.ttl = static_cast<std::uint8_t>(how.ttl);
    ih.protocol = net::kIpProtoUdp;
    ih.dont_fragment = how.df;
    ih.src = src;
    ih.dst = dst;
    const FrameRef g = build_ipv4(out, ih, b.bytes(), net_.new_pkt(), flow);
    if (g < rewrites_.size()) rewrites_[g].pending = false;  // a reused slot: this frame was not forwarded
    // A group's or broadcast MAC is known now; a neighbour's comes from ARP at output.
    if (local_net)
        (dst.is_multicast() ? net::MacAddress::for_group(dst) : net::MacAddress::broadcast())
            .store(net_.pool.mutable_bytes(g), net::eth_field::kDst);
    if (net_.tracer.enabled()) {
        TraceEvent e(net_.now(), Ev::Send, node_, out, 0, net_.pool.pkt(g), net_.pool.bytes(g));
        e.eth_dst_unresolved = !local_net;
        e.detail = what;
        e.flow = flow;
        net_.tracer.emit(e);
    }
    output(out, local_net ? dst : route->via.value_or(dst), g);
}

bool Router::relay_dhcp(int in_port, FrameRef f, const net::Ipv4View& ip, const net::UdpView& udp) {
    if (udp.dst_port() != net::kDhcpServerPort) return false;
    const auto v = net::DhcpView::parse(udp.payload());
    if (!v) return false;
    net::DhcpMessage m = v->to_message();
    const auto& in = ifaces_[static_cast<std::size_t>(in_port)];
    std::vector<std::uint8_t> bytes;
    if (m.op == net::kBootRequest && in.dhcp_relay_to) {
        if (m.hops >= 16) {  // RFC 1542 4.1.1: a loop of relays
            net_.drop(node_, in_port, f, Reason::NotModelled, "a DHCP request relayed 16 times");
            return true;
        }
        ++m.hops;
        if (m.giaddr.is_unspecified()) m.giaddr = in.ip->address();
        bytes.resize(m.length());
        m.emit(bytes);
        trace_local_delivery(in_port, f, udp.payload().size(), "DHCP request, relayed to the server");
        // From the address of the interface towards the server, as ISC dhcrelay's socket sends it.
        send_udp(in_port, {}, *in.dhcp_relay_to, net::kDhcpServerPort, net::kDhcpServerPort, bytes, {},
                 net_.pool.flow(f), "DHCP request, relayed");
        return true;
    }
    if (m.op == net::kBootReply && is_local(m.giaddr) && is_local(ip.dst())) {
        const int out = connected_port(m.giaddr);
        bytes.resize(m.length());
        m.emit(bytes);
        trace_local_delivery(in_port, f, udp.payload().size(), "DHCP answer, relayed to the client");
        // As dhcrelay builds it on its raw socket: TTL 128, DF clear.
        send_udp(out, m.giaddr, net::Ipv4Address(255, 255, 255, 255), net::kDhcpServerPort, net::kDhcpClientPort, bytes,
                 {128, false}, net_.pool.flow(f), "DHCP answer, relayed");
        return true;
    }
    return false;
}

void Router::rip_install(const RipRoute& r, std::string_view why) {
    const Route route{r.to, r.via, r.port, false, r.metric};
    const auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& x) { return x.rip_metric && x.to == r.to; });
    if (it == routes_.end()) {
        routes_.push_back(route);
        return trace_route(Ev::Learn, route, {}, why);
    }
    const std::string old = route_value(*it);
    *it = route;
    trace_route(Ev::Learn, route, old, why);
}

void Router::rip_withdraw(const RipRoute& r, std::string_view why) {
    const auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& x) { return x.rip_metric && x.to == r.to; });
    if (it == routes_.end()) return;
    const Route gone = *it;
    routes_.erase(it);
    trace_route(Ev::Expire, gone, {}, why);
}

void Router::trace_local_delivery(int port, FrameRef f, std::size_t n, std::string_view what) {
    if (!net_.tracer.enabled()) return;
    TraceEvent e(net_.now(), Ev::Deliver, node_, port, 0, net_.pool.pkt(f), net_.pool.bytes(f));
    e.nbytes = n;
    e.detail = what;
    e.flow = net_.pool.flow(f);
    net_.tracer.emit(e);
}

void Router::rip_rejected(std::string_view why) { net_.drop(node_, rip_port_, rip_frame_, Reason::RipRejected, why); }

const Router::Route* Router::lookup(net::Ipv4Address dst) const {
    const long i = net::longest_prefix_match(routes_.begin(), routes_.end(), dst,
                                             [](const Route& r) -> const net::Ipv4Prefix& { return r.to; });
    return i < 0 ? nullptr : &routes_[static_cast<std::size_t>(i)];
}

void Router::on_frame(int port, FrameRef f) {
    const auto eth = net::EthernetView::parse(net_.pool.bytes(f));
    if (!eth) return net_.drop_malformed(node_, port, f, eth.error());
    if (!accept(port, f, eth->dst())) return;
    if (eth->ethertype() == net::kEtherTypeArp) return handle_arp(port, f);
    if (eth->ethertype() != net::kEtherTypeIpv4)
        return net_.drop(node_, port, f, Reason::NotModelled, fmt::format("EtherType 0x{:04x}", eth->ethertype()));
    const auto ip = net::Ipv4View::parse(eth->payload());
    if (!ip) return net_.drop_malformed(node_, port, f, ip.error());
    if (!ip->checksum_ok()) return net_.drop(node_, port, f, Reason::BadChecksum, "IPv4 header checksum");
    const auto& mine = ifaces_[static_cast<std::size_t>(port)].ip;
    if (nat_ && port == net_.sc.nodes[static_cast<std::size_t>(node_)].nat.outside && ip->dst() == nat_->outside())
        return nat_inbound(port, f, *ip);
    if (is_local(ip->dst()) || ip->dst().is_broadcast() || (mine && ip->dst() == mine->broadcast_address()) ||
        (ip->dst().is_multicast() && joined(port, ip->dst())))
        return local(port, f, *ip);
    forward(port, f, *ip);
}

void Router::forward(int in_port, FrameRef f, const net::Ipv4View& ip, NatIn nat_in) {
    if (ip.ttl() <= 1) {
        net_.drop(node_, in_port, f, Reason::TtlExpired, fmt::format("TTL {} reached 0", ip.ttl()));
        return icmp_error(f, ip, net::kIcmpTimeExceeded, 0);
    }
    // Translated back first (Linux's PREROUTING): the route is the inside host's.
    const net::Ipv4Address dst = nat_in.mapping ? nat_in.mapping->inside_ip : ip.dst();
    const Route* route = lookup(dst);
    // RFC 2644 (and Linux's default): a broadcast to a subnet behind us is not forwarded.
    if (route && !route->via && route->to.length() < 31 && dst == route->to.broadcast_address())
        return net_.drop(node_, in_port, f, Reason::DirectedBroadcast,
                         fmt::format("{} is the broadcast address of {}: not forwarded (RFC 2644)",
                                     dst.to_string(), route->to.to_string()));
    if (!route) {
        net_.drop(node_, in_port, f, Reason::NoRoute, fmt::format("no route to {}", dst.to_string()));
        return icmp_error(f, ip, net::kIcmpDestUnreachable, net::kIcmpNetUnreachable);
    }
    const int out = route->port;
    const net::Ipv4Address next_hop = route->via.value_or(dst);
    // Leaving by the outside interface from inside: the outside address (POSTROUTING).
    NatMapping* nat_out = nullptr;
    if (nat_ && !nat_in.mapping && out == net_.sc.nodes[static_cast<std::size_t>(node_)].nat.outside && nat_inside(in_port)) {
        if (ip.fragment_offset() != 0)
            return net_.drop(node_, in_port, f, Reason::NotModelled,
                             "a later fragment through a NAT: Linux reassembles before translating, not modelled here");
        nat_out = nat_outbound(in_port, f, ip);
        if (!nat_out) return;
    }
    if (ip.total_length() > static_cast<std::size_t>(mtu(out)) && ip.dont_fragment()) {
        net_.drop(node_, in_port, f, Reason::TooBig,
                  fmt::format("{} bytes > MTU {} of {} and DF is set", ip.total_length(), mtu(out),
                              ifaces_[static_cast<std::size_t>(out)].name));
        return icmp_error(f, ip, net::kIcmpDestUnreachable, net::kIcmpFragNeeded,
                          static_cast<std::uint16_t>(mtu(out)));
    }

    // The forwarded copy: same datagram, TTL one less, checksum updated
    // incrementally, new Ethernet source (the destination comes from ARP).
    const net::Bytes in = net_.pool.bytes(f);
    const auto in_eth = net::EthernetView::parse(in);
    const std::size_t dgram_at = in_eth->header_len(), dgram_len = ip.total_length();
    const std::size_t size = std::max(net::kEthernetHeaderLen + dgram_len, net::kEthernetMinFrame);
    net::MutableBytes out_bytes;
    const FrameRef g = net_.pool.make_uninitialised(size, net_.pool.pkt(f), net_.pool.flow(f), out_bytes);
    std::fill(out_bytes.begin() + static_cast<long>(net::kEthernetHeaderLen + dgram_len), out_bytes.end(), 0);  // padding
    net::EthernetHeader{net::MacAddress(), ifaces_[static_cast<std::size_t>(out)].mac, std::nullopt,
                        net::kEtherTypeIpv4}
        .emit(out_bytes);
    std::copy_n(in.begin() + static_cast<long>(dgram_at), dgram_len, out_bytes.begin() + net::kEthernetHeaderLen);
    const net::MutableBytes hdr = out_bytes.subspan(net::kEthernetHeaderLen);
    const std::uint16_t old_word = net::load16(hdr, net::ipv4_field::kTtl);
    hdr[net::ipv4_field::kTtl] = static_cast<std::uint8_t>(ip.ttl() - 1);
    const std::uint16_t new_word = net::load16(hdr, net::ipv4_field::kTtl);
    net::store16(hdr, net::ipv4_field::kChecksum, net::checksum_update16(ip.checksum(), old_word, new_word));
    Rewrite rw;
    rw.old_src = in_eth->src();
    rw.old_dst = in_eth->dst();
    rw.old_ttl = ip.ttl();
    rw.old_checksum = ip.checksum();
    rw.pending = true;
    rw.old_vlan = ifaces_[static_cast<std::size_t>(in_port)].vlan;
    const net::MutableBytes dgram = hdr.first(dgram_len);
    rw.protocol = ip.protocol();
    if (nat_out || nat_in.mapping) {
        const NatMapping& m = nat_out ? *nat_out : *nat_in.mapping;
        net::EndpointChange c;
        if (nat_out) {
            c = net::rewrite_endpoint(dgram, net::Endpoint::Source, nat_->outside(), m.outside_port);
            rw.nat = 1;
            ++nat_counters_.out;
        } else if (nat_in.error) {
            c.old_addr = ip.dst();
            c.old_checksum = net::load16(dgram, ip.header_len() + net::icmp_field::kChecksum);
            net::rewrite_icmp_error_for_inside(dgram, m.inside_ip, m.inside_port);
            rw.nat = 3;
            ++nat_counters_.in;
        } else {
            c = net::rewrite_endpoint(dgram, net::Endpoint::Destination, m.inside_ip, m.inside_port);
            rw.nat = 2;
            ++nat_counters_.in;
        }
        rw.nat_old_addr = c.old_addr;
        rw.nat_old_port = c.old_port;
        rw.nat_old_checksum = c.old_checksum;
    }

    if (dgram_len <= static_cast<std::size_t>(mtu(out))) {
        remember(g, rw);
        return output(out, next_hop, g);
    }
    // Too big and DF clear: fragment the forwarded datagram.
    const auto whole = net::Ipv4View::parse(dgram);
    for (const auto& piece : net::fragment_ipv4(*whole, static_cast<std::size_t>(mtu(out)))) {
        net::FrameBuilder b(piece);
        b.ethernet({net::MacAddress(), ifaces_[static_cast<std::size_t>(out)].mac, std::nullopt, net::kEtherTypeIpv4});
        const FrameRef frag = net_.pool.make(b.bytes(), net_.pool.pkt(f), net_.pool.flow(f));
        remember(frag, rw);
        output(out, next_hop, frag);
    }
    net_.pool.release(g);
}

bool Router::nat_inside(int port) const {
    const auto& inside = net_.sc.nodes[static_cast<std::size_t>(node_)].nat.inside;
    return std::find(inside.begin(), inside.end(), port) != inside.end();
}

NatMapping* Router::nat_outbound(int in_port, FrameRef f, const net::Ipv4View& ip) {
    const net::Bytes dgram(ip.header().data(), ip.total_length());
    const auto sport = net::endpoint_port(dgram, net::Endpoint::Source);
    const auto dport = net::endpoint_port(dgram, net::Endpoint::Destination);
    if (!sport) {
        // Neither UDP, TCP nor an echo: conntrack would relate it to a
        // connection (an ICMP error) or track it by address; not modelled.
        net_.drop(node_, in_port, f, Reason::NotModelled,
                  fmt::format("IP protocol {} without ports through a NAT", ip.protocol()));
        return nullptr;
    }
    bool made = false;
    NatMapping* m = nat_->outbound(ip.protocol(), ip.src(), *sport, ip.dst(), dport.value_or(0), net_.now(), made);
    if (!m) {
        net_.drop(node_, in_port, f, Reason::NatNoMapping,
                  fmt::format("every outside port towards {} is taken", ip.dst().to_string()));
        return nullptr;
    }
    if (made) nat_learned(*m, fmt::format("{} opened it", net_.node_name(ip.src())));
    nat_seen(*m, false, ip);
    return m;
}

void Router::nat_inbound(int port, FrameRef f, const net::Ipv4View& ip) {
    const auto& spec = net_.sc.nodes[static_cast<std::size_t>(node_)].nat;
    const net::Bytes dgram(ip.header().data(), ip.total_length());
    if (ip.fragment_offset() != 0 || ip.more_fragments())
        return net_.drop(node_, port, f, Reason::NotModelled,
                         "a fragment to a NAT's outside address: Linux reassembles before translating, not modelled here");
    if (ip.protocol() == net::kIpProtoIcmp) {
        const auto icmp = net::IcmpView::parse(ip.payload());
        if (!icmp || icmp->type() == net::kIcmpEchoRequest) return local(port, f, ip);  // the router answers for itself
        if (icmp->type() == net::kIcmpEchoReply) {
            if (NatMapping* m = nat_->inbound(net::kIpProtoIcmp, ip.src(), 0, icmp->id())) {
                nat_seen(*m, true, ip);
                return forward(port, f, ip, {m, false});
            }
            return net_.drop(node_, port, f, Reason::NatNoMapping, fmt::format("no echo with id {} went out", icmp->id()));
        }
        // An error about a datagram we translated on its way out: its quote says which.
        const net::Bytes q = icmp->body();  // the quoted datagram, perhaps cut short
        if (icmp->is_error() && q.size() >= net::kIpv4MinHeaderLen && (q[0] & 0x0f) >= 5 &&
            net::Ipv4Address::load(q, net::ipv4_field::kSrc) == nat_->outside()) {
            const auto qs = net::endpoint_port(q, net::Endpoint::Source);
            const auto qd = net::endpoint_port(q, net::Endpoint::Destination);
            if (qs)
                if (NatMapping* m = nat_->inbound(q[net::ipv4_field::kProtocol], net::Ipv4Address::load(q, net::ipv4_field::kDst),
                                                  qd.value_or(0), *qs))
                    return forward(port, f, ip, {m, true});
        }
        return local(port, f, ip);
    }
    const auto sport = net::endpoint_port(dgram, net::Endpoint::Source);
    const auto dport = net::endpoint_port(dgram, net::Endpoint::Destination);
    if (!sport || !dport) return local(port, f, ip);
    NatMapping* m = nat_->inbound(ip.protocol(), ip.src(), *sport, *dport);
    if (!m) {
        for (const PortForward& fw : spec.forwards)
            if (fw.protocol == ip.protocol() && fw.outside_port == *dport) {
                m = nat_->forward(ip.protocol(), ip.src(), *sport, *dport, fw.to, fw.to_port, net_.now());
                if (m) nat_learned(*m, fmt::format("port forward {}:{}", fw.to.to_string(), fw.to_port));
                break;
            }
    }
    if (m) {
        nat_seen(*m, true, ip);
        return forward(port, f, ip, {m, false});
    }
    if (rip_ && ip.protocol() == net::kIpProtoUdp && *dport == net::kRipPort) return local(port, f, ip);
    net_.drop(node_, port, f, Reason::NatNoMapping,
              fmt::format("nothing inside opened {} port {} to {}:{}", protocol_name(ip.protocol()), *dport,
                          ip.src().to_string(), *sport));
}

void Router::nat_seen(NatMapping& m, bool reply, const net::Ipv4View& ip) {
    std::uint8_t flags = 0;
    if (ip.protocol() == net::kIpProtoTcp && ip.payload().size() > net::tcp_field::kFlags)
        flags = ip.payload()[net::tcp_field::kFlags];
    nat_->seen(m, reply, flags, net_.now());
    if (m.expires < nat_expiry_at_) {
        nat_expiry_at_ = m.expires;
        net_.engine.schedule(m.expires, this, kNatExpiry, 0, ++nat_generation_);
    }
}

void Router::nat_learned(const NatMapping& m, std::string_view why) {
    if (!net_.tracer.enabled()) return;
    const std::string key = nat_->key(m), value = NatTable::value(m);
    TraceEvent e(net_.now(), Ev::Learn, node_, net_.sc.nodes[static_cast<std::size_t>(node_)].nat.outside);
    e.table = Table::Nat;
    e.key = key;
    e.value = value;
    e.detail = why;
    net_.tracer.emit(e);
}

void Router::nat_expire() {
    const SimTime now = net_.now();
    nat_->expire(now, [&](const NatMapping& m) {
        if (!net_.tracer.enabled()) return;
        const std::string key = nat_->key(m), value = NatTable::value(m);
        const std::string why = fmt::format("no packet for {}", (m.expires - m.last_seen).to_string());
        TraceEvent e(now, Ev::Expire, node_, net_.sc.nodes[static_cast<std::size_t>(node_)].nat.outside);
        e.table = Table::Nat;
        e.key = key;
        e.value = value;
        e.detail = why;
        net_.tracer.emit(e);
    });
    const SimTime next = nat_->next_expiry();
    if (next != SimTime::max()) {
        nat_expiry_at_ = next;
        net_.engine.schedule(next, this, kNatExpiry, 0, ++nat_generation_);
    }
}

void Router::remember(FrameRef f, const Rewrite& rw) {
    if (f >= rewrites_.size()) rewrites_.resize(f + 1);
    rewrites_[f] = rw;
}

void Router::before_send(int port, FrameRef f) {
    if (f >= rewrites_.size() || !rewrites_[f].pending) return;  // the router's own ICMP or ARP
    const Rewrite rw = rewrites_[f];
    rewrites_[f].pending = false;
    if (!net_.tracer.enabled()) return;
    const auto eth = net::EthernetView::parse(net_.pool.bytes(f));
    const auto ip = net::Ipv4View::parse(eth->payload());
    std::array<char, 17> mac[4];
    // A router on a stick also moves the packet from one VLAN to another:
    // the tag its subinterface adds as the frame leaves.
    const std::uint16_t new_vlan = ifaces_[static_cast<std::size_t>(port)].vlan;
    auto vlan_text = [](std::uint16_t v) { return v ? std::to_string(v) : std::string("untagged"); };
    std::vector<FieldChange>& changes = changes_;  // reused: no allocation per hop once grown
    changes.clear();
    changes.push_back({"eth.src", rw.old_src.format(mac[0]), eth->src().format(mac[1]), false});
    changes.push_back({"eth.dst", rw.old_dst.format(mac[2]), eth->dst().format(mac[3]), false});
    changes.push_back({"ipv4.ttl", std::to_string(rw.old_ttl), std::to_string(ip->ttl()), true});
    changes.push_back({"ipv4.checksum", fmt::format("0x{:04x}", rw.old_checksum), fmt::format("0x{:04x}", ip->checksum()), false});
    if (rw.old_vlan != new_vlan) changes.push_back({"eth.vlan", vlan_text(rw.old_vlan), vlan_text(new_vlan), false});
    if (rw.nat) add_nat_changes(rw, *ip, changes);
    TraceEvent e(net_.now(), Ev::Rewrite, node_, port, 0, net_.pool.pkt(f), net_.pool.bytes(f));
    e.changes = changes;
    net_.tracer.emit(e);
}

// The NAT's part of a rewrite event: the address, the port (or echo id) and
// the transport checksum it changed, old and new.
void Router::add_nat_changes(const Rewrite& rw, const net::Ipv4View& ip, std::vector<FieldChange>& changes) const {
    const bool source = rw.nat == 1;
    const net::Ipv4Address now_addr = source ? ip.src() : ip.dst();
    std::array<char, 16> a, b;
    auto addr_text = [](net::Ipv4Address x, std::array<char, 16>& buf) {
        const std::string t = x.to_string();
        std::copy(t.begin(), t.end(), buf.begin());
        return std::string_view(buf.data(), t.size());
    };
    changes.push_back({source ? "ipv4.src" : "ipv4.dst", addr_text(rw.nat_old_addr, a), addr_text(now_addr, b), false});
    const bool icmp = rw.protocol == net::kIpProtoIcmp, tcp = rw.protocol == net::kIpProtoTcp;
    const net::Bytes dgram(ip.header().data(), ip.total_length());
    if (rw.nat != 3 && rw.nat_old_port) {
        const auto port = net::endpoint_port(dgram, source ? net::Endpoint::Source : net::Endpoint::Destination);
        const char* field = icmp ? "icmp.id" : tcp ? (source ? "tcp.sport" : "tcp.dport") : (source ? "udp.sport" : "udp.dport");
        changes.push_back({field, std::to_string(*rw.nat_old_port), std::to_string(port.value_or(0)), true});
    }
    if (rw.nat_old_checksum) {
        const std::size_t at = ip.header_len() + (icmp ? net::icmp_field::kChecksum : tcp ? net::tcp_field::kChecksum : net::udp_field::kChecksum);
        const char* field = icmp ? "icmp.checksum" : tcp ? "tcp.checksum" : "udp.checksum";
        changes.push_back({field, fmt::format("0x{:04x}", *rw.nat_old_checksum), fmt::format("0x{:04x}", net::load16(dgram, at)), false});
    }
}

void Router::local(int in_port, FrameRef f, const net::Ipv4View& ip) {
    const int flow = net_.pool.flow(f);
    if (ip.protocol() == net::kIpProtoIcmp) {
        const auto icmp = net::IcmpView::parse(ip.payload());
        if (!icmp) return net_.drop_malformed(node_, in_port, f, icmp.error());
        if (icmp->type() == net::kIcmpEchoRequest && is_broadcast_for(ip.dst()))
            return net_.drop(node_, in_port, f, Reason::BroadcastIgnored,
                             "echo request to a broadcast address (Linux: icmp_echo_ignore_broadcasts = 1)");
        if (icmp->type() == net::kIcmpEchoRequest && icmp->checksum_ok())
            return send_icmp(ip.dst(), ip.src(), net::IcmpHeader::echo(net::kIcmpEchoReply, icmp->id(), icmp->seq()),
                             icmp->body(), flow, static_cast<std::uint8_t>(ip.dscp() << 2 | ip.ecn()));
        return;  // replies and errors addressed to a router end here
    }
    if (ip.protocol() == net::kIpProtoUdp) {
        const auto udp = net::UdpView::parse(ip.payload());
        if (!udp) return net_.drop_malformed(node_, in_port, f, udp.error());
        const bool dhcp = udp->dst_port() == net::kDhcpServerPort, rip = rip_ && udp->dst_port() == net::kRipPort;
        // (RIP's socket and dhcrelay's packet socket both check the checksum first.)
        if ((dhcp || rip) && !net::transport_checksum_ok(udp->segment(), ip.src(), ip.dst(), net::kIpProtoUdp))
            return net_.drop(node_, in_port, f, Reason::BadChecksum, "UDP checksum");
        if (dhcp && relay_dhcp(in_port, f, ip, *udp)) return;
        if (dhcp && socket_ && socket_->bound(net::kDhcpServerPort)) return socket_->deliver(in_port, f, ip, *udp);
        if (rip) {
            trace_local_delivery(in_port, f, udp->payload().size(), "to the RIP process");
            rip_frame_ = f;
            rip_port_ = in_port;
            return rip_->receive(in_port, ip.src(), udp->src_port(), udp->payload());
        }
    }
    if (ip.protocol() == net::kIpProtoUdp || ip.protocol() == net::kIpProtoTcp) {
        net_.drop(node_, in_port, f, Reason::PortUnreachable,
                  rip_ ? "a router runs no services but RIP (UDP 520)" : "a router runs no services");
        if (is_broadcast_for(ip.dst())) return;  // RFC 1122 3.2.2: no error about a broadcast
        return icmp_error(f, ip, net::kIcmpDestUnreachable, net::kIcmpPortUnreachable);
    }
    net_.drop(node_, in_port, f, Reason::NotModelled, fmt::format("IP protocol {}", ip.protocol()));
}

void Router::send_icmp(net::Ipv4Address src, net::Ipv4Address dst, const net::IcmpHeader& h, net::Bytes body, int flow,
                       std::uint8_t tos) {
    const Route* route = lookup(dst);
    // No source given (an error): the primary address of the interface it
    // leaves by (RFC 1812 4.3.2.4; Linux with icmp_errors_use_inbound_ifaddr=0),
    // so traceroute over an asymmetric path shows the way back, as Linux's does.
    if (src.is_unspecified() && route) {
        if (const auto& out = ifaces_[static_cast<std::size_t>(route->port)].ip) src = out->address();
    }
    net::FrameBuilder b(body);
    b.icmp(h);
    net::Ipv4Header ih;
    ih.id = next_ip_id_++;
    ih.ttl = 64;
    ih.protocol = net::kIpProtoIcmp;
    ih.dscp = static_cast<std::uint8_t>(tos >> 2);
    ih.ecn = static_cast<std::uint8_t>(tos & 3);
    ih.src = src;
    ih.dst = dst;
    const FrameRef g = build_ipv4(route ? route->port : 0, ih, b.bytes(), net_.new_pkt(), flow);
    if (g < rewrites_.size()) rewrites_[g].pending = false;  // a reused slot: this frame was not forwarded
    if (net_.tracer.enabled()) {
        TraceEvent e(net_.now(), Ev::Send, node_, route ? route->port : -1, 0, net_.pool.pkt(g), net_.pool.bytes(g));
        e.flow = flow;
        net_.tracer.emit(e);
    }
    if (!route) {
        net_.drop(node_, -1, g, Reason::NoRoute, fmt::format("no route back to {}", dst.to_string()));
        return net_.pool.release(g);
    }
    output(route->port, route->via.value_or(dst), g);
}

// Linux (ipv4_link_failure, RFC 1812 4.3.3.1): a forwarded datagram whose
// next hop never answered ARP is answered with host unreachable, quoting it
// as it waited (its TTL already decremented).
void Router::unresolved(FrameRef f) {
    const auto ip = net::Ipv4View::parse(net_.pool.bytes(f).subspan(net::kEthernetHeaderLen));
    // About a datagram of its own, Linux tells itself; nothing goes on a wire.
    if (ip && !is_local(ip->src())) icmp_error(f, *ip, net::kIcmpDestUnreachable, net::kIcmpHostUnreachable);
}

void Router::icmp_error(FrameRef f, const net::Ipv4View& ip, std::uint8_t type, std::uint8_t code,
                        std::uint16_t mtu) {
    // RFC 1122 3.2.2: never about an ICMP error, a later fragment, or a broadcast.
    if (ip.fragment_offset() != 0 || is_broadcast_for(ip.dst()) || ip.src().is_unspecified() ||
        ip.src().is_broadcast())
        return;
    if (ip.protocol() == net::kIpProtoIcmp) {
        const auto inner = net::IcmpView::parse(ip.payload());
        if (!inner || inner->is_error()) return;
    }
    const std::size_t n = std::min<std::size_t>(net::kIcmpErrorMaxQuote, ip.total_length());
    send_icmp(net::Ipv4Address(), ip.src(), {type, code, mtu}, net::Bytes(ip.header().data(), n), net_.pool.flow(f),
              net::icmp_error_tos(static_cast<std::uint8_t>(ip.dscp() << 2 | ip.ecn())));
}

}  // namespace hopsim::sim
