#include "hopsim/netstack/stp.hpp"

#include <algorithm>

#include "hopsim/netstack/ethernet.hpp"

namespace hopsim::net {

namespace {
constexpr std::uint8_t kBpduRst = 0x02;  // RSTP's BPDU: an 802.1D bridge reads it as a config BPDU (9.3.4)
}

std::string BridgeId::to_string() const { return std::to_string(priority) + "/" + mac.to_string(); }

void Bpdu::emit(MutableBytes out) const {
    store16(out, bpdu_field::kProtocol, 0);
    out[bpdu_field::kVersion] = 0;
    out[bpdu_field::kType] = type;
    if (type == kBpduTcn) return;
    out[bpdu_field::kFlags] = flags;
    store16(out, bpdu_field::kRoot, root.priority);
    root.mac.store(out, bpdu_field::kRoot + 2);
    store32(out, bpdu_field::kCost, root_cost);
    store16(out, bpdu_field::kBridge, bridge.priority);
    bridge.mac.store(out, bpdu_field::kBridge + 2);
    store16(out, bpdu_field::kPort, port);
    store16(out, bpdu_field::kAge, message_age);
    store16(out, bpdu_field::kMaxAge, max_age);
    store16(out, bpdu_field::kHello, hello);
    store16(out, bpdu_field::kForwardDelay, forward_delay);
}

ParseResult<BpduView> BpduView::parse(Bytes b) {
    constexpr std::size_t kTypeEnd = kLlcLen + bpdu_field::kType + 1;
    if (b.size() < kTypeEnd) return parse_error("stp", "header", 0, ParseReason::Truncated, kTypeEnd, b.size());
    if (b[0] != kLlcStp || b[1] != kLlcStp || b[2] != kLlcUnnumbered)
        return parse_error("llc", "dsap", 0, ParseReason::Unsupported, b[0]);
    if (load16(b, kLlcLen + bpdu_field::kProtocol) != 0)
        return parse_error("stp", "protocol", kLlcLen + bpdu_field::kProtocol, ParseReason::Unsupported,
                           load16(b, kLlcLen + bpdu_field::kProtocol));
    const std::uint8_t type = b[kLlcLen + bpdu_field::kType];
    if (type == kBpduTcn) return BpduView(b.first(kLlcLen + kBpduTcnLen));
    if (type != kBpduConfig && type != kBpduRst)
        return parse_error("stp", "type", kLlcLen + bpdu_field::kType, ParseReason::Unsupported, type);
    if (b.size() < kLlcLen + kBpduConfigLen)
        return parse_error("stp", "header", 0, ParseReason::Truncated, kLlcLen + kBpduConfigLen, b.size());
    return BpduView(b.first(kLlcLen + kBpduConfigLen));
}

Bpdu BpduView::to_bpdu() const {
    Bpdu v;
    v.type = is_config() || type() == kBpduRst ? kBpduConfig : kBpduTcn;
    if (v.type == kBpduTcn) return v;
    v.flags = flags();
    v.root = root();
    v.root_cost = root_cost();
    v.bridge = bridge();
    v.port = port();
    v.message_age = message_age();
    v.max_age = max_age();
    v.hello = hello();
    v.forward_delay = forward_delay();
    return v;
}

std::size_t bpdu_frame_size() { return kEthernetMinFrame; }  // 14 + 3 + 35 = 52, padded

void emit_bpdu_frame(const Bpdu& b, MacAddress src, MutableBytes out) {
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    const auto length = static_cast<std::uint16_t>(kLlcLen + b.length());
    EthernetHeader{MacAddress::from_u64(kStpGroupMac), src, std::nullopt, length}.emit(out);
    out[kEthernetHeaderLen] = kLlcStp;
    out[kEthernetHeaderLen + 1] = kLlcStp;
    out[kEthernetHeaderLen + 2] = kLlcUnnumbered;
    b.emit(out.subspan(kEthernetHeaderLen + kLlcLen));
}

}  // namespace hopsim::net
