#include "hopsim/netstack/frame_builder.hpp"

#include <algorithm>
#include <functional>

#include "hopsim/netstack/checksum.hpp"
#include "hopsim/netstack/protocols.hpp"

namespace hopsim::net {

FrameBuilder::FrameBuilder(Bytes payload) : FrameBuilder(own_, payload) {}

FrameBuilder::FrameBuilder(std::vector<std::uint8_t>& storage, Bytes payload) : buf_(&storage), head_(kHeadroom) {
    const std::uint8_t* begin = storage.data();
    const std::less<const std::uint8_t*> before;
    if (!payload.empty() && !before(payload.data(), begin) && before(payload.data(), begin + storage.capacity())) buf_ = &own_;
    buf_->resize(kHeadroom + payload.size());
    std::copy(payload.begin(), payload.end(), buf_->begin() + static_cast<long>(kHeadroom));
}

MutableBytes FrameBuilder::prepend(std::size_t n) {
    if (n > head_) {  // rare: more headers than the headroom planned for
        buf_->insert(buf_->begin(), n - head_ + kHeadroom, 0);
        head_ += n - head_ + kHeadroom;
    }
    head_ -= n;
    return MutableBytes(*buf_).subspan(head_, n);
}

FrameBuilder& FrameBuilder::udp(UdpHeader h, Ipv4Address src, Ipv4Address dst) {
    if (h.length == 0) h.length = static_cast<std::uint16_t>(kUdpHeaderLen + size());
    h.emit(prepend(kUdpHeaderLen));
    fill_transport_checksum(whole(), src, dst, kIpProtoUdp);
    return *this;
}

FrameBuilder& FrameBuilder::tcp(const TcpHeader& h, Ipv4Address src, Ipv4Address dst) {
    h.emit(prepend(h.header_len()));
    fill_transport_checksum(whole(), src, dst, kIpProtoTcp);
    return *this;
}

FrameBuilder& FrameBuilder::icmp(const IcmpHeader& h) {
    h.emit(prepend(kIcmpHeaderLen));
    fill_icmp_checksum(whole());
    return *this;
}

FrameBuilder& FrameBuilder::ipv4(Ipv4Header h) {
    if (h.total_length == 0) h.total_length = static_cast<std::uint16_t>(h.header_len() + size());
    h.emit(prepend(h.header_len()));
    return *this;
}

FrameBuilder& FrameBuilder::arp(const ArpPacket& p) {
    p.emit(prepend(kArpLen));
    return *this;
}

FrameBuilder& FrameBuilder::ethernet(const EthernetHeader& h, bool pad) {
    h.emit(prepend(h.header_len()));
    if (pad && size() < kEthernetMinFrame) buf_->resize(buf_->size() + kEthernetMinFrame - size(), 0);
    return *this;
}

}  // namespace hopsim::net
