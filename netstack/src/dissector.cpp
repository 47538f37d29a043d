#include "hopsim/netstack/dissector.hpp"

#include "digits.hpp"

#include <algorithm>
#include <cstdio>

#include "hopsim/netstack/addresses.hpp"
#include "hopsim/netstack/arp.hpp"
#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/protocols.hpp"
#include "hopsim/netstack/stp.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/netstack/dhcp.hpp"
#include "hopsim/netstack/dns.hpp"
#include "hopsim/netstack/rip.hpp"
#include "hopsim/netstack/udp.hpp"

namespace hopsim::net {

void Layer::add(const char* field, FieldFormat f, std::uint64_t v, std::size_t off, std::size_t len) {
    if (field_count == kMaxFields) return;  // a programmer error caught by the tests' field lists
    fields[field_count++] = Field{field, f, v, static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len)};
}

const Field* Layer::find(std::string_view field) const {
    for (std::size_t i = 0; i < field_count; ++i)
        if (field == fields[i].name) return &fields[i];
    return nullptr;
}

void Dissection::mark_unknown(std::string_view layer, std::string_view field) {
    for (std::size_t i = 0; i < layer_count; ++i)
        if (layer == layers[i].name)
            for (std::size_t k = 0; k < layers[i].field_count; ++k)
                if (field == layers[i].fields[k].name) layers[i].fields[k].format = FieldFormat::Unknown;
}

const Layer* Dissection::find(std::string_view layer) const {
    for (std::size_t i = 0; i < layer_count; ++i)
        if (layer == layers[i].name) return &layers[i];
    return nullptr;
}

std::optional<std::uint64_t> Dissection::value(std::string_view layer, std::string_view field) const {
    const Layer* l = find(layer);
    if (!l) return std::nullopt;
    const Field* f = l->find(field);
    if (!f) return std::nullopt;
    return f->value;
}

std::string Dissection::text(std::string_view layer, std::string_view field) const {
    const Layer* l = find(layer);
    const Field* f = l ? l->find(field) : nullptr;
    return f ? format_field(*f) : std::string();
}

namespace {

using F = FieldFormat;

class Dissector {
public:
    explicit Dissector(Bytes frame) : frame_(frame) {}

    Dissection run() {
        ethernet();
        return std::move(d_);
    }

private:
    Layer& begin(const char* name, std::size_t off, std::size_t len) {
        Layer& l = d_.layers[d_.layer_count++];
        l.name = name;
        l.offset = static_cast<std::uint32_t>(off);
        l.length = static_cast<std::uint32_t>(len);
        return l;
    }
    void fail(const ParseError& e, std::size_t base) {
        d_.error = e;
        d_.error->offset += base;
    }
    void app(std::size_t off, std::size_t len) {
        if (len > 0) begin("app", off, len).add("len", F::Unsigned, len, off, len);
    }

    void ethernet() {
        auto v = EthernetView::parse(frame_);
        if (!v) return fail(v.error(), 0);
        Layer& l = begin("eth", 0, v->header_len());
        l.add("src", F::Mac, v->src().to_u64(), eth_field::kSrc, 6);
        l.add("dst", F::Mac, v->dst().to_u64(), eth_field::kDst, 6);
        if (auto tag = v->vlan()) {
            l.add("vlan", F::Unsigned, tag->vid, eth_field::kVlanTci, 2);
            l.add("pcp", F::Unsigned, tag->pcp, eth_field::kVlanTci, 1);
        }
        const std::size_t type_at = v->has_vlan() ? eth_field::kVlanType : eth_field::kType;
        const std::size_t off = v->header_len();
        // IEEE 802.3: a value up to 1500 is the payload's length, and LLC follows.
        if (v->ethertype() <= kEthernetMaxLength) {
            l.add("len", F::Unsigned, v->ethertype(), type_at, 2);
            return llc(off, std::min<std::size_t>(v->ethertype(), frame_.size() - off));
        }
        l.add("type", F::Hex16, v->ethertype(), type_at, 2);
        switch (v->ethertype()) {
            case kEtherTypeArp: return arp(off);
            case kEtherTypeIpv4: return ipv4(off);
            default: return app(off, frame_.size() - off);
        }
    }

    void llc(std::size_t off, std::size_t len) {
        if (len < kLlcLen) return fail(ParseError{"llc", "header", 0, ParseReason::Truncated, kLlcLen, len}, off);
        Layer& l = begin("llc", off, kLlcLen);
        l.add("dsap", F::Unsigned, frame_[off], off, 1);
        l.add("ssap", F::Unsigned, frame_[off + 1], off + 1, 1);
        l.add("ctrl", F::Unsigned, frame_[off + 2], off + 2, 1);
        if (frame_[off] != kLlcStp) return app(off + kLlcLen, len - kLlcLen);
        stp(off, len);
    }

    void stp(std::size_t off, std::size_t len) {
        auto v = BpduView::parse(frame_.subspan(off, len));
        if (!v) return fail(v.error(), off);
        namespace f = bpdu_field;
        const std::size_t at = off + kLlcLen;
        Layer& l = begin("stp", at, v->is_config() ? kBpduConfigLen : kBpduTcnLen);
        l.add("type", F::Unsigned, v->type(), at + f::kType, 1);
        if (!v->is_config() && v->type() == kBpduTcn) return;
        l.add("tc", F::Bool, (v->flags() & kBpduFlagTc) != 0, at + f::kFlags, 1);
        l.add("tca", F::Bool, (v->flags() & kBpduFlagTca) != 0, at + f::kFlags, 1);
        l.add("root_prio", F::Unsigned, v->root().priority, at + f::kRoot, 2);
        l.add("root_mac", F::Mac, v->root().mac.to_u64(), at + f::kRoot + 2, 6);
        l.add("cost", F::Unsigned, v->root_cost(), at + f::kCost, 4);
        l.add("bridge_prio", F::Unsigned, v->bridge().priority, at + f::kBridge, 2);
        l.add("bridge_mac", F::Mac, v->bridge().mac.to_u64(), at + f::kBridge + 2, 6);
        l.add("port", F::Hex16, v->port(), at + f::kPort, 2);
        l.add("age", F::Time256, v->message_age(), at + f::kAge, 2);
        l.add("max_age", F::Time256, v->max_age(), at + f::kMaxAge, 2);
        l.add("hello", F::Time256, v->hello(), at + f::kHello, 2);
        l.add("fwd_delay", F::Time256, v->forward_delay(), at + f::kForwardDelay, 2);
    }

    void arp(std::size_t off) {
        auto v = ArpView::parse(frame_.subspan(off));
        if (!v) return fail(v.error(), off);
        Layer& l = begin("arp", off, kArpLen);
        l.add("op", F::Unsigned, v->oper(), off + arp_field::kOper, 2);
        l.add("sha", F::Mac, v->sha().to_u64(), off + arp_field::kSha, 6);
        l.add("spa", F::Ipv4, v->spa().to_u32(), off + arp_field::kSpa, 4);
        l.add("tha", F::Mac, v->tha().to_u64(), off + arp_field::kTha, 6);
        l.add("tpa", F::Ipv4, v->tpa().to_u32(), off + arp_field::kTpa, 4);
    }

    void ipv4(std::size_t off) {
        auto v = Ipv4View::parse(frame_.subspan(off));
        if (!v) return fail(v.error(), off);
        namespace f = ipv4_field;
        Layer& l = begin("ipv4", off, v->header_len());
        l.add("src", F::Ipv4, v->src().to_u32(), off + f::kSrc, 4);
        l.add("dst", F::Ipv4, v->dst().to_u32(), off + f::kDst, 4);
        l.add("ttl", F::Unsigned, v->ttl(), off + f::kTtl, 1);
        l.add("proto", F::Unsigned, v->protocol(), off + f::kProtocol, 1);
        l.add("checksum", F::Hex16, v->checksum(), off + f::kChecksum, 2);
        l.add("checksum_ok", F::Bool, v->checksum_ok(), off + f::kChecksum, 0);
        l.add("len", F::Unsigned, v->total_length(), off + f::kTotalLength, 2);
        l.add("id", F::Unsigned, v->id(), off + f::kId, 2);
        l.add("df", F::Bool, v->dont_fragment(), off + f::kFlagsFrag, 1);
        l.add("mf", F::Bool, v->more_fragments(), off + f::kFlagsFrag, 1);
        l.add("frag", F::Unsigned, v->fragment_offset() * 8u, off + f::kFlagsFrag, 2);
        l.add("dscp", F::Unsigned, v->dscp(), off + f::kTos, 1);
        l.add("ecn", F::Unsigned, v->ecn(), off + f::kTos, 1);
        l.add("ihl", F::Unsigned, v->header_len(), off + f::kVersionIhl, 1);

        const std::size_t l4 = off + v->header_len();
        const Bytes payload = v->payload();
        // A later fragment carries no transport header; a first fragment's
        // checksum covers bytes it does not hold, so it cannot be judged.
        if (v->fragment_offset() != 0) return app(l4, payload.size());
        const bool whole = !v->more_fragments();
        switch (v->protocol()) {
            case kIpProtoIcmp: return icmp(l4, payload, whole);
            case kIpProtoUdp: return udp(l4, payload, v->src(), v->dst(), whole);
            case kIpProtoTcp: return tcp(l4, payload, v->src(), v->dst(), whole);
            default: return app(l4, payload.size());
        }
    }

    void icmp(std::size_t off, Bytes b, bool whole) {
        auto v = IcmpView::parse(b);
        if (!v) return fail(v.error(), off);
        namespace f = icmp_field;
        Layer& l = begin("icmp", off, kIcmpHeaderLen);
        l.add("type", F::Unsigned, v->type(), off + f::kType, 1);
        l.add("code", F::Unsigned, v->code(), off + f::kCode, 1);
        l.add("checksum", F::Hex16, v->checksum(), off + f::kChecksum, 2);
        if (whole) l.add("checksum_ok", F::Bool, v->checksum_ok(), off + f::kChecksum, 0);
        if (v->is_echo()) {
            l.add("id", F::Unsigned, v->id(), off + f::kId, 2);
            l.add("seq", F::Unsigned, v->seq(), off + f::kSeq, 2);
            return app(off + kIcmpHeaderLen, v->body().size());
        }
        if (v->type() == kIcmpDestUnreachable && v->code() == kIcmpFragNeeded)
            l.add("mtu", F::Unsigned, v->next_hop_mtu(), off + f::kNextHopMtu, 2);
        if (!v->is_error()) return app(off + kIcmpHeaderLen, v->body().size());
        // The quoted datagram may be cut short on purpose (header + 8 bytes),
        // so only its IPv4 header is read, not its total length.
        const Bytes q = v->body();
        const std::size_t qoff = off + kIcmpHeaderLen;
        if (q.size() >= kIpv4MinHeaderLen && (q[0] >> 4) == 4) {
            namespace g = ipv4_field;
            l.add("orig_src", F::Ipv4, load32(q, g::kSrc), qoff + g::kSrc, 4);
            l.add("orig_dst", F::Ipv4, load32(q, g::kDst), qoff + g::kDst, 4);
            l.add("orig_proto", F::Unsigned, q[g::kProtocol], qoff + g::kProtocol, 1);
            l.add("orig_ttl", F::Unsigned, q[g::kTtl], qoff + g::kTtl, 1);
        }
        l.length = static_cast<std::uint32_t>(b.size());
    }

    void udp(std::size_t off, Bytes b, Ipv4Address src, Ipv4Address dst, bool whole) {
        namespace f = udp_field;
        if (!whole && b.size() >= kUdpHeaderLen) {
            // A first fragment: the length field counts bytes that follow in
            // later fragments, so it is not held against this one (as tshark).
            Layer& l = begin("udp", off, kUdpHeaderLen);
            l.add("sport", F::Unsigned, load16(b, f::kSrcPort), off + f::kSrcPort, 2);
            l.add("dport", F::Unsigned, load16(b, f::kDstPort), off + f::kDstPort, 2);
            l.add("len", F::Unsigned, load16(b, f::kLength), off + f::kLength, 2);
            l.add("checksum", F::Hex16, load16(b, f::kChecksum), off + f::kChecksum, 2);
            return app(off + kUdpHeaderLen, b.size() - kUdpHeaderLen);
        }
        auto v = UdpView::parse(b);
        if (!v) return fail(v.error(), off);
        Layer& l = begin("udp", off, kUdpHeaderLen);
        l.add("sport", F::Unsigned, v->src_port(), off + f::kSrcPort, 2);
        l.add("dport", F::Unsigned, v->dst_port(), off + f::kDstPort, 2);
        l.add("len", F::Unsigned, v->length(), off + f::kLength, 2);
        l.add("checksum", F::Hex16, v->checksum(), off + f::kChecksum, 2);
        if (whole)
            l.add("checksum_ok", F::Bool, transport_checksum_ok(v->segment(), src, dst, kIpProtoUdp),
                  off + f::kChecksum, 0);
        if (whole && (v->src_port() == kRipPort || v->dst_port() == kRipPort) && !v->payload().empty())
            return rip(off + kUdpHeaderLen, v->payload());
        if (whole && (v->src_port() == kDnsPort || v->dst_port() == kDnsPort) && !v->payload().empty())
            return dns(off + kUdpHeaderLen, v->payload());
        const auto dhcp_port = [](std::uint16_t p) { return p == kDhcpServerPort || p == kDhcpClientPort; };
        if (whole && dhcp_port(v->src_port()) && dhcp_port(v->dst_port()))
            return dhcp(off + kUdpHeaderLen, v->payload());
        app(off + kUdpHeaderLen, v->payload().size());
    }

    // The header, the first question's type and the first A answer. (Names
    // are text, which a field's number cannot hold; tshark shows them.)
    void dns(std::size_t off, Bytes b) {
        auto v = DnsView::parse(b);
        if (!v) return fail(v.error(), off);
        namespace f = dns_field;
        Layer& l = begin("dns", off, b.size());
        l.add("id", F::Hex16, v->id(), off + f::kId, 2);
        l.add("response", F::Bool, v->response(), off + f::kFlags, 2);
        l.add("opcode", F::Unsigned, v->opcode(), off + f::kFlags, 2);
        l.add("rcode", F::Unsigned, v->rcode(), off + f::kFlags, 2);
        l.add("questions", F::Unsigned, v->question_count(), off + f::kQdCount, 2);
        l.add("answers", F::Unsigned, v->answer_count(), off + f::kAnCount, 2);
        if (const std::size_t q = v->first_qtype_at()) l.add("qtype", F::Unsigned, load16(b, q), off + q, 2);
        if (const std::size_t a = v->first_a_at()) {
            l.add("a", F::Ipv4, load32(b, a), off + a, 4);
            l.add("ttl", F::Unsigned, load32(b, a - 6), off + a - 6, 4);
        }
    }

    void dhcp(std::size_t off, Bytes b) {
        auto v = DhcpView::parse(b);
        if (!v) return fail(v.error(), off);
        namespace f = dhcp_field;
        namespace o = dhcp_option;
        Layer& l = begin("dhcp", off, b.size());
        l.add("op", F::Unsigned, v->op(), off + f::kOp, 1);
        l.add("xid", F::Unsigned, v->xid(), off + f::kXid, 4);
        l.add("msg_type", F::Unsigned, static_cast<std::uint8_t>(v->type()), off + v->type_offset(), 1);
        for (auto [name, at] : {std::pair{"ciaddr", f::kCiaddr}, {"yiaddr", f::kYiaddr}, {"siaddr", f::kSiaddr}, {"giaddr", f::kGiaddr}})
            l.add(name, F::Ipv4, load32(b, at), off + at, 4);
        l.add("chaddr", F::Mac, MacAddress::load(b, f::kChaddr).to_u64(), off + f::kChaddr, 6);
        // The options a lesson reads, where present and long enough.
        struct Shown {
            const char* name;
            std::uint8_t code;
            FieldFormat format;
        };
        static constexpr Shown kShown[] = {{"requested_ip", o::kRequestedIp, F::Ipv4}, {"server_id", o::kServerId, F::Ipv4},
                                           {"lease", o::kLeaseTime, F::Unsigned},      {"mask", o::kSubnetMask, F::Ipv4},
                                           {"router", o::kRouter, F::Ipv4},            {"dns", o::kDnsServer, F::Ipv4}};
        for (auto [name, code, format] : kShown) {
            const auto at = v->option_at(code);
            if (at && v->option_len(*at) >= 4) l.add(name, format, load32(b, *at), off + *at, 4);
        }
    }

    // The header and the first four routes (a layer holds 16 fields; the
    // entry count says how many there are).
    void rip(std::size_t off, Bytes b) {
        auto v = RipView::parse(b);
        if (!v) return fail(v.error(), off);
        namespace f = rip_field;
        Layer& l = begin("rip", off, b.size());
        l.add("command", F::Unsigned, v->command(), off + f::kCommand, 1);
        l.add("version", F::Unsigned, v->version(), off + f::kVersion, 1);
        l.add("entries", F::Unsigned, v->entry_count(), off + kRipHeaderLen, b.size() - kRipHeaderLen);
        static constexpr const char* kNames[4][3] = {{"route1", "mask1", "metric1"}, {"route2", "mask2", "metric2"},
                                                     {"route3", "mask3", "metric3"}, {"route4", "mask4", "metric4"}};
        for (std::size_t i = 0; i < std::min<std::size_t>(v->entry_count(), 4); ++i) {
            const RipEntry e = v->entry(i);
            const std::size_t at = off + kRipHeaderLen + i * kRipEntryLen;
            l.add(kNames[i][0], F::Ipv4, e.address.to_u32(), at + f::kAddress, 4);
            l.add(kNames[i][1], F::Ipv4, e.mask.to_u32(), at + f::kMask, 4);
            l.add(kNames[i][2], F::Unsigned, e.metric, at + f::kMetric, 4);
        }
    }

    void tcp(std::size_t off, Bytes b, Ipv4Address src, Ipv4Address dst, bool whole) {
        auto v = TcpView::parse(b);
        if (!v) return fail(v.error(), off);
        namespace f = tcp_field;
        Layer& l = begin("tcp", off, v->header_len());
        l.add("sport", F::Unsigned, v->src_port(), off + f::kSrcPort, 2);
        l.add("dport", F::Unsigned, v->dst_port(), off + f::kDstPort, 2);
        l.add("seq", F::Unsigned, v->seq(), off + f::kSeq, 4);
        l.add("ack", F::Unsigned, v->ack(), off + f::kAck, 4);
        l.add("flags", F::TcpFlags, v->flags(), off + f::kFlags, 1);
        l.add("win", F::Unsigned, v->window(), off + f::kWindow, 2);
        l.add("checksum", F::Hex16, v->checksum(), off + f::kChecksum, 2);
        if (whole)
            l.add("checksum_ok", F::Bool, transport_checksum_ok(v->segment(), src, dst, kIpProtoTcp),
                  off + f::kChecksum, 0);
        l.add("hlen", F::Unsigned, v->header_len(), off + f::kDataOffset, 1);
        const TcpOptions& o = v->options();
        const std::size_t opts = off + f::kOptions, olen = v->header_len() - kTcpMinHeaderLen;
        if (o.mss) l.add("mss", F::Unsigned, *o.mss, opts, olen);
        if (o.window_scale) l.add("wscale", F::Unsigned, *o.window_scale, opts, olen);
        if (o.sack_permitted) l.add("sack_ok", F::Bool, 1, opts, olen);
        if (o.timestamps) {
            l.add("tsval", F::Unsigned, o.timestamps->value, opts, olen);
            l.add("tsecr", F::Unsigned, o.timestamps->echo_reply, opts, olen);
        }
        app(off + v->header_len(), v->payload().size());
    }

    Bytes frame_;
    Dissection d_;
};

}  // namespace

Dissection dissect(Bytes frame) { return Dissector(frame).run(); }

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}


void append_field_value(const Field& f, std::string& out) {
    char buf[24];
    char* end = buf;
    const std::uint64_t v = f.value;
    switch (f.format) {
        case F::Unsigned: end = digits::decimal(buf, v); break;
        case F::Hex16: end = digits::hex16(buf, static_cast<unsigned>(v & 0xffff)); break;
        case F::Mac: end = digits::mac(buf, v); break;
        case F::Ipv4: end = digits::ipv4(buf, static_cast<std::uint32_t>(v)); break;
        case F::TcpFlags: out += tcp_flags_string(static_cast<std::uint8_t>(v)); return;
        case F::Bool: out += v ? "true" : "false"; return;
        case F::Unknown: out += "unresolved"; return;
        case F::Time256: {
            // Whole seconds, then up to three decimals without trailing zeros.
            end = digits::decimal(buf, v / 256);
            const std::uint64_t ms = (v % 256) * 1000 / 256;
            if (ms) {
                *end++ = '.';
                *end++ = static_cast<char>('0' + ms / 100);
                *end++ = static_cast<char>('0' + ms / 10 % 10);
                *end++ = static_cast<char>('0' + ms % 10);
                while (end[-1] == '0') --end;
            }
            *end++ = 's';
            break;
        }
    }
    out.append(buf, end);
}

std::string format_field(const Field& f) {
    std::string s;
    append_field_value(f, s);
    return s;
}

void append_layers_json(const Dissection& d, std::string& out) {
    out += '[';
    for (std::size_t i = 0; i < d.layer_count; ++i) {
        const Layer& l = d.layers[i];
        if (i) out += ',';
        out += "{\"layer\":\"";
        out += l.name;
        out += '"';
        for (std::size_t k = 0; k < l.field_count; ++k) {
            const Field& f = l.fields[k];
            out += ",\"";
            out += f.name;
            out += "\":";
            if (f.format == F::Unknown) {
                out += "null";
                continue;
            }
            const bool quoted = f.format != F::Unsigned && f.format != F::Bool;
            if (quoted) out += '"';
            append_field_value(f, out);
            if (quoted) out += '"';
        }
        out += '}';
    }
    if (d.error) {
        if (d.layer_count) out += ',';
        out += "{\"layer\":\"error\",\"message\":";
        append_json_string(out, d.error->message());
        out += '}';
    }
    out += ']';
}

}  // namespace hopsim::net
