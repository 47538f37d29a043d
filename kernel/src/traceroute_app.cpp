#include "hopsim/kernel/traceroute_app.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "app_io.hpp"

namespace hopsim::kernel {

namespace {

constexpr std::uint16_t kFirstPort = 33434;  // traceroute(8)'s, and the simulator's

struct Answer {
    std::uint32_t from = 0;
    bool reached = false;
};

// One message from the error queue: the ICMP error about a probe. Which
// probe: the UDP destination port (in the returned address) or the echo's
// sequence number (in the returned ICMP header).
bool read_error(int s, bool icmp, int probe, Answer& a) {
    std::array<std::uint8_t, 2048> data{};
    std::array<char, 512> control{};
    sockaddr_in to{};
    iovec iov{data.data(), data.size()};
    msghdr m{};
    m.msg_name = &to;
    m.msg_namelen = sizeof to;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control.data();
    m.msg_controllen = control.size();
    const ssize_t n = ::recvmsg(s, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
    if (n < 0) return false;
    const bool ours = icmp ? n >= 8 && ((data[6] << 8) | data[7]) == probe + 1 : ntohs(to.sin_port) == kFirstPort + probe;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_RECVERR) continue;
        sock_extended_err e{};
        std::memcpy(&e, CMSG_DATA(c), sizeof e);
        if (e.ee_origin != SO_EE_ORIGIN_ICMP || !ours) return false;
        sockaddr_in offender{};
        std::memcpy(&offender, reinterpret_cast<const std::uint8_t*>(CMSG_DATA(c)) + sizeof e, sizeof offender);
        a.from = ntohl(offender.sin_addr.s_addr);
        a.reached = e.ee_type == 3 && e.ee_code == 3;  // port unreachable: the destination itself
        return true;
    }
    return false;
}

// An echo reply to the probe (ICMP probes): the destination answered.
bool read_reply(int s, int probe, Answer& a) {
    std::array<std::uint8_t, 2048> data{};
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = ::recvfrom(s, data.data(), data.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 8 || data[0] != 0 || ((data[6] << 8) | data[7]) != probe + 1) return false;
    a.from = ntohl(from.sin_addr.s_addr);
    a.reached = true;
    return true;
}

}  // namespace

void traceroute(const sim::TrafficSpec& t, int out, bool (*stop)()) {
    // ICMP probes on a ping socket (the namespace's ping_group_range lets root
    // open one): the kernel fills in the identifier and checksum.
    const int s = t.icmp_probes ? ::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) : ::socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) {
        detail::write_all(out, fmt::format("error socket: {}\n", std::strerror(errno)));
        return;
    }
    const int on = 1, pmtu = t.df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
    ::setsockopt(s, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
    ::setsockopt(s, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(t.to_ip.to_u32());
    const auto payload = t.payload.bytes();
    std::vector<std::uint8_t> echo(8 + payload.size());
    std::copy(payload.begin(), payload.end(), echo.begin() + 8);
    echo[0] = 8;  // echo request

    std::string report;
    int probe = 0;
    bool reached = false;
    for (int ttl = 1; ttl <= t.max_ttl && !reached && !stop(); ++ttl) {
        ::setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
        for (int p = 0; p < t.probes && !stop(); ++p, ++probe) {
            const timespec sent = detail::monotonic_now();
            ssize_t r;
            if (t.icmp_probes) {
                echo[6] = static_cast<std::uint8_t>((probe + 1) >> 8);
                echo[7] = static_cast<std::uint8_t>(probe + 1);
                r = ::sendto(s, echo.data(), echo.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
            } else {
                to.sin_port = htons(static_cast<std::uint16_t>(kFirstPort + probe));
                r = ::sendto(s, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
            }
            Answer a;
            bool answered = false;
            const timespec deadline = detail::later(sent, t.wait.count());
            while (r >= 0 && !answered && !stop()) {
                const std::int64_t left = detail::ns_between(detail::monotonic_now(), deadline);
                if (left <= 0) break;
                pollfd pf{s, POLLIN, 0};
                if (::poll(&pf, 1, static_cast<int>(std::min<std::int64_t>(left / 1'000'000 + 1, 10))) <= 0) continue;
                if (pf.revents & POLLERR) answered = read_error(s, t.icmp_probes, probe, a);
                else if (pf.revents & POLLIN) answered = read_reply(s, probe, a) && t.icmp_probes;  // a UDP reply is read and ignored
            }
            if (!answered && stop()) break;  // cut at the end of the run: no answer was due yet
            const std::int64_t rtt = answered ? detail::ns_between(sent, detail::monotonic_now()) : 0;
            report += fmt::format("hop {} {} {} {}\n", ttl, answered ? a.from : 0, rtt, a.reached ? 1 : 0);
            reached |= a.reached;
        }
    }
    detail::write_all(out, report + "end\n");
}

}  // namespace hopsim::kernel
