#pragma once
// Builds a frame inside-out in one buffer with headroom (lwIP's pbuf idea):
// the payload goes in first, then each layer prepends its header in place.
// A lower layer's inputs (pseudo-header addresses) are passed as arguments.
//
//   FrameBuilder f(payload);
//   f.udp({.src_port = 5000, .dst_port = 9}, src_ip, dst_ip);
//   f.ipv4(ip_header);        // total_length filled in when left 0
//   f.ethernet(eth_header);   // padded to the 60-byte Ethernet minimum
//   std::vector<std::uint8_t> frame = f.take();

#include <cstdint>
#include <vector>

#include "hopsim/netstack/arp.hpp"
#include "hopsim/netstack/ethernet.hpp"
#include "hopsim/netstack/icmp.hpp"
#include "hopsim/netstack/ipv4.hpp"
#include "hopsim/netstack/tcp.hpp"
#include "hopsim/netstack/udp.hpp"

namespace hopsim::net {

class FrameBuilder {
public:
    // Room for Ethernet + VLAN + IPv4 with options + TCP with options.
    static constexpr std::size_t kHeadroom = 18 + 60 + 60;

    explicit FrameBuilder(Bytes payload = {});
    // Builds in `storage`, keeping its capacity from one frame to the next: a
    // node that keeps one such buffer allocates nothing per frame once it has
    // grown. (A payload that lies inside `storage` is built in a fresh buffer.)
    FrameBuilder(std::vector<std::uint8_t>& storage, Bytes payload);
    FrameBuilder(const FrameBuilder&) = delete;
    FrameBuilder& operator=(const FrameBuilder&) = delete;

    FrameBuilder& udp(UdpHeader h, Ipv4Address src, Ipv4Address dst);  // length filled when 0
    FrameBuilder& tcp(const TcpHeader& h, Ipv4Address src, Ipv4Address dst);
    FrameBuilder& icmp(const IcmpHeader& h);
    FrameBuilder& ipv4(Ipv4Header h);  // total_length filled when 0
    FrameBuilder& arp(const ArpPacket& p);
    // pad: append zeros up to the 60-byte minimum, as a NIC does before the FCS.
    FrameBuilder& ethernet(const EthernetHeader& h, bool pad = true);

    Bytes bytes() const { return Bytes(*buf_).subspan(head_); }
    std::size_t size() const { return buf_->size() - head_; }
    std::vector<std::uint8_t> take() const { return {buf_->begin() + static_cast<long>(head_), buf_->end()}; }

private:
    MutableBytes prepend(std::size_t n);
    MutableBytes whole() { return MutableBytes(*buf_).subspan(head_); }
    std::vector<std::uint8_t> own_;
    std::vector<std::uint8_t>* buf_;  // own_, or the caller's storage
    std::size_t head_;
};

}  // namespace hopsim::net
