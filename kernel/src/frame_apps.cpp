#include "hopsim/kernel/frame_apps.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <map>
#include <tuple>

#include "app_io.hpp"

namespace hopsim::kernel {

using detail::write_all;

namespace {

std::string mac_at(const std::uint8_t* p) {
    std::array<std::uint8_t, 6> b{};
    std::copy(p, p + 6, b.begin());
    return net::MacAddress(b).to_string();
}

}  // namespace

void frame_sender(const sim::TrafficSpec& t, const std::string& device, int out, bool (*stop)()) {
    const int s = ::socket(AF_PACKET, SOCK_RAW, 0);  // protocol 0: sends only, receives nothing
    sockaddr_ll at{};
    at.sll_family = AF_PACKET;
    at.sll_ifindex = static_cast<int>(::if_nametoindex(device.c_str()));
    if (s < 0 || at.sll_ifindex == 0 || ::bind(s, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
        write_all(out, fmt::format("error packet socket on {}: {}\n", device, std::strerror(errno)));
        return;
    }
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, device.c_str(), IFNAMSIZ - 1);
    ::ioctl(s, SIOCGIFHWADDR, &ifr);
    // A network card pads a frame to the Ethernet minimum of 60 bytes (the
    // simulator's hosts do); a veth sends what it is given, so pad here.
    const auto payload = t.payload.bytes();
    std::vector<std::uint8_t> frame(std::max<std::size_t>(60, 14 + payload.size()), 0);
    const auto dst = t.dst_mac.bytes();
    std::copy(dst.begin(), dst.end(), frame.begin());
    std::memcpy(frame.data() + 6, ifr.ifr_hwaddr.sa_data, 6);
    frame[12] = static_cast<std::uint8_t>(t.ethertype >> 8);
    frame[13] = static_cast<std::uint8_t>(t.ethertype);
    std::copy(payload.begin(), payload.end(), frame.begin() + 14);
    timespec next = detail::monotonic_now();
    int sent = 0;
    for (int i = 0; i < t.count && !stop(); ++i) {
        if (::send(s, frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size())) ++sent;
        next = detail::later(next, t.interval.count());
        if (i + 1 < t.count) detail::sleep_until(next);
    }
    write_all(out, fmt::format("sent {}\n", sent));
}

void frame_sink(const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)()) {
    const int s = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (s < 0) {
        write_all(out, fmt::format("error packet socket: {}\n", std::strerror(errno)));
        return;
    }
    write_all(out, "ready\n");
    using Key = std::tuple<std::string, std::string, unsigned>;
    std::map<Key, std::tuple<std::uint64_t, std::uint64_t, bool>> seen;
    std::array<std::uint8_t, 65536> buf{};
    while (!stop()) {
        pollfd p{s, POLLIN, 0};
        if (::poll(&p, 1, 5) <= 0) continue;
        sockaddr_ll from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(s, buf.data(), buf.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &len);
        // What the card accepts: not the host's own frames, not others' unicast.
        if (n < 14 || from.sll_pkttype == PACKET_OUTGOING || from.sll_pkttype == PACKET_OTHERHOST) continue;
        const unsigned type = (buf[12] << 8) | buf[13];
        const net::Bytes data(buf.data() + 14, static_cast<std::size_t>(n) - 14);
        bool ours = false, matches = false;
        std::size_t bytes = 0;
        for (const sim::TrafficSpec& t : flows) {
            if (t.ethertype != type) continue;
            ours = true;
            if (data.size() >= t.payload.size() && t.payload.matches(0, data.first(t.payload.size()))) {
                matches = true;
                bytes = t.payload.size();  // padding is not the flow's
            }
        }
        if (!ours) continue;
        auto& [frames, total, mismatched] =
            seen[{mac_at(buf.data() + 6), mac_at(buf.data()), type}];
        ++frames;
        total += matches ? bytes : data.size();
        mismatched |= !matches;
    }
    std::string report;
    for (const auto& [k, v] : seen)
        report += fmt::format("from {} {} {} {} {} {}\n", std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<0>(v),
                              std::get<1>(v), std::get<2>(v) ? 1 : 0);
    write_all(out, report);
}

}  // namespace hopsim::kernel
