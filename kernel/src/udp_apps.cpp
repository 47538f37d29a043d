#include "hopsim/kernel/udp_apps.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <map>
#include <string>
#include <tuple>

#include "app_io.hpp"

namespace hopsim::kernel {

using detail::write_all;

void udp_sender(const sim::TrafficSpec& t, int out, bool (*stop)()) {
    const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    const int ttl = t.ttl;
    ::setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    // As the simulator: DF on what fits (Linux's default, IP_PMTUDISC_WANT), or never.
    const int pmtu = t.df ? IP_PMTUDISC_WANT : IP_PMTUDISC_DONT;
    ::setsockopt(s, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    ::bind(s, reinterpret_cast<sockaddr*>(&any), sizeof any);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(t.to_port);
    to.sin_addr.s_addr = htonl(t.to_ip.to_u32());
    timespec next = detail::monotonic_now();
    const auto payload = t.payload.bytes();
    int sent = 0;
    for (int i = 0; i < t.count && !stop(); ++i) {
        if (::sendto(s, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) >= 0) ++sent;
        next = detail::later(next, t.interval.count());
        if (i + 1 < t.count) detail::sleep_until(next);
    }
    sockaddr_in me{};
    socklen_t len = sizeof me;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&me), &len);
    while (!stop()) ::usleep(2000);  // the socket stays open: an echo finds it
    write_all(out, fmt::format("sent {} {}\n", ntohs(me.sin_port), sent));
}

void udp_service(std::uint16_t port, bool echo, const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)()) {
    const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    if (::bind(s, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
        write_all(out, fmt::format("error bind UDP port {}\n", port));
        return;
    }
    write_all(out, "ready\n");
    std::map<std::tuple<std::uint32_t, std::uint16_t>, std::tuple<std::uint64_t, std::uint64_t, bool>> from;
    std::vector<std::uint8_t> buf(65536);
    while (!stop()) {
        pollfd p{s, POLLIN, 0};
        if (::poll(&p, 1, 5) <= 0) continue;
        sockaddr_in peer{};
        socklen_t len = sizeof peer;
        const ssize_t n = ::recvfrom(s, buf.data(), buf.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&peer), &len);
        if (n < 0) continue;
        const net::Bytes data(buf.data(), static_cast<std::size_t>(n));
        bool matches = false;
        for (const sim::TrafficSpec& t : flows) matches |= data.size() == t.payload.size() && t.payload.matches(0, data);
        auto& [count, bytes, mismatched] = from[{ntohl(peer.sin_addr.s_addr), ntohs(peer.sin_port)}];
        ++count;
        bytes += data.size();
        mismatched |= !matches;
        if (echo) ::sendto(s, buf.data(), static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&peer), len);
    }
    std::string report;
    for (const auto& [who, c] : from)
        report += fmt::format("from {} {} {} {} {}\n", net::Ipv4Address(std::get<0>(who)).to_string(), std::get<1>(who),
                              std::get<0>(c), std::get<1>(c), std::get<2>(c) ? 1 : 0);
    write_all(out, report);
}

}  // namespace hopsim::kernel
