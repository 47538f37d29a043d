#include "hopsim/kernel/tcp_apps.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cctype>
#include <cstring>
#include <string>

#include "app_io.hpp"
#include "hopsim/netstack/socket/sockets.hpp"

namespace hopsim::kernel {

using detail::write_all;

namespace {

// strerror's words as the simulator prints them ("connection refused").
std::string failure(int err) {
    std::string s = std::strerror(err);
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

void nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

void tcp_client(const sim::TrafficSpec& t, int out, bool (*stop)()) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    nonblocking(s);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(t.to_port);
    to.sin_addr.s_addr = htonl(t.to_ip.to_u32());
    ::connect(s, reinterpret_cast<sockaddr*>(&to), sizeof to);
    const std::size_t size = t.payload.size();
    std::size_t written = 0, echoed = 0;
    bool connected = false, mismatched = false, closing = false, peer_closed = false;
    int error = 0;
    std::array<std::uint8_t, 65536> buf{};
    while (!stop() && !peer_closed && error == 0) {
        pollfd p{s, static_cast<short>(POLLIN | (written < size || !connected ? POLLOUT : 0)), 0};
        ::poll(&p, 1, 5);
        if (!connected && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
            socklen_t len = sizeof error;
            ::getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &len);
            connected = error == 0;
        }
        if (!connected) continue;
        if (written < size) {
            const net::Bytes next = t.payload.slice(written, std::min(size - written, sim::Payload::kMaxSlice));
            const ssize_t n = ::send(s, next.data(), next.size(), MSG_NOSIGNAL);
            if (n > 0) written += static_cast<std::size_t>(n);
            else if (n < 0 && errno != EAGAIN) error = errno;
        }
        for (ssize_t n; (n = ::recv(s, buf.data(), buf.size(), 0)) != 0;) {
            if (n < 0) {
                if (errno != EAGAIN) error = errno;
                break;
            }
            mismatched |= !t.payload.matches(echoed, net::Bytes(buf.data(), static_cast<std::size_t>(n)));
            echoed += static_cast<std::size_t>(n);
        }
        if (p.revents & POLLIN && !error) {
            // A read of 0 above (the loop ended without an error or EAGAIN): the peer closed.
            const ssize_t n = ::recv(s, buf.data(), 1, MSG_PEEK);
            peer_closed = n == 0;
        }
        // Close (FIN) once every byte is acknowledged, or with echo once every byte came back.
        int unacked = 0;
        ::ioctl(s, SIOCOUTQ, &unacked);
        const bool done = written == size && (t.echo ? echoed >= size : unacked == 0);
        if (done && !closing) {
            closing = true;
            ::shutdown(s, SHUT_WR);
        }
    }
    ::usleep(2000);  // the ACK of the peer's FIN is out
    const net::sock::TcpCounters counted = net::sock::tcp_counters(s);
    sockaddr_in me{};
    socklen_t len = sizeof me;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&me), &len);
    while (!stop()) ::usleep(2000);  // the socket stays until the end: TIME_WAIT as in the simulation
    write_all(out, fmt::format("tcp {} {} {} {} {} {}{}\n", ntohs(me.sin_port), counted.segs_out, counted.data_segs_out,
                               counted.total_retrans, echoed, mismatched ? 1 : 0, error ? " " + failure(error) : ""));
    ::close(s);
}

void tcp_service(std::uint16_t port, bool echo, const std::vector<sim::TrafficSpec>& flows, int out, bool (*stop)()) {
    const int l = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    if (::bind(l, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(l, 64) != 0) {
        write_all(out, fmt::format("error listen TCP port {}: {}\n", port, std::strerror(errno)));
        return;
    }
    nonblocking(l);
    write_all(out, "ready\n");
    struct Connection {
        int fd;
        sockaddr_in peer;
        std::uint64_t bytes = 0;
        std::vector<bool> matches;  // per flow to this port: the bytes so far are its payload's
        std::string pending;        // echo: read, not yet written back
        bool open = true;
    };
    std::vector<Connection> conns;
    std::array<std::uint8_t, 65536> buf{};
    while (!stop()) {
        std::vector<pollfd> fds{{l, POLLIN, 0}};
        for (const Connection& c : conns)  // a closed one is left out (-1): it would report POLLHUP forever
            fds.push_back({c.open ? c.fd : -1, static_cast<short>(POLLIN | (c.pending.empty() ? 0 : POLLOUT)), 0});
        ::poll(fds.data(), fds.size(), 5);
        for (sockaddr_in peer{}; ; peer = {}) {
            socklen_t len = sizeof peer;
            const int fd = ::accept(l, reinterpret_cast<sockaddr*>(&peer), &len);
            if (fd < 0) break;
            nonblocking(fd);
            conns.push_back({fd, peer, 0, std::vector<bool>(flows.size(), true), {}, true});
        }
        for (Connection& c : conns) {
            if (!c.open) continue;
            for (ssize_t n; (n = ::recv(c.fd, buf.data(), buf.size(), 0)) != 0;) {
                if (n < 0) {
                    if (errno != EAGAIN) c.open = false;
                    break;
                }
                const net::Bytes data(buf.data(), static_cast<std::size_t>(n));
                for (std::size_t f = 0; f < flows.size(); ++f) c.matches[f] = c.matches[f] && flows[f].payload.matches(c.bytes, data);
                c.bytes += data.size();
                if (echo) c.pending.append(reinterpret_cast<const char*>(data.data()), data.size());
            }
            if (!c.pending.empty()) {
                const ssize_t n = ::send(c.fd, c.pending.data(), c.pending.size(), MSG_NOSIGNAL);
                if (n > 0) c.pending.erase(0, static_cast<std::size_t>(n));
            }
            // The peer closed (a read of 0) and everything echoed is handed over: close our side.
            if (c.open && c.pending.empty() && ::recv(c.fd, buf.data(), 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
                ::shutdown(c.fd, SHUT_WR);
                c.open = false;
            }
        }
    }
    std::string report;
    for (const Connection& c : conns) {
        bool any = false;
        for (std::size_t f = 0; f < flows.size(); ++f) any |= c.matches[f] && c.bytes <= flows[f].payload.size();
        report += fmt::format("conn {} {} 1 {} {}\n", net::Ipv4Address(ntohl(c.peer.sin_addr.s_addr)).to_string(),
                              ntohs(c.peer.sin_port), c.bytes, any ? 0 : 1);
        ::close(c.fd);
    }
    write_all(out, report);
}

}  // namespace hopsim::kernel
