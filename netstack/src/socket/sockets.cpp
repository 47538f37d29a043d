#include "hopsim/netstack/socket/sockets.hpp"

#include <linux/tcp.h>  // its tcp_info has segs_out/segs_in; glibc's does not
#include <sys/resource.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/socket.h>

#include <cerrno>

namespace hopsim::net::sock {

namespace {
SysResult<Fd> make_socket(int type, const std::string& what) {
    Fd fd(::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return Unexpected<SysError>{sys_error("socket for " + what)};
    return fd;
}
SysResult<bool> bind_to(int fd, const SocketAddress& at) {
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const sockaddr_in sa = at.to_sockaddr();
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
        return Unexpected<SysError>{sys_error("bind " + at.to_string())};
    return true;
}
}  // namespace

SysResult<Fd> tcp_listen(const SocketAddress& at, int backlog) {
    auto fd = make_socket(SOCK_STREAM, at.to_string());
    if (!fd) return fd;
    if (auto b = bind_to(fd->get(), at); !b) return Unexpected<SysError>{b.error()};
    if (::listen(fd->get(), backlog) != 0) return Unexpected<SysError>{sys_error("listen " + at.to_string())};
    return fd;
}

SysResult<Fd> udp_bind(const SocketAddress& at) {
    auto fd = make_socket(SOCK_DGRAM, at.to_string());
    if (!fd) return fd;
    if (auto b = bind_to(fd->get(), at); !b) return Unexpected<SysError>{b.error()};
    return fd;
}

SysResult<Fd> tcp_connect(const SocketAddress& from, const SocketAddress& to) {
    auto fd = make_socket(SOCK_STREAM, to.to_string());
    if (!fd) return fd;
    if (!from.ip.is_unspecified()) {
        const sockaddr_in sa = from.to_sockaddr();
        if (::bind(fd->get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
            return Unexpected<SysError>{sys_error("bind " + from.to_string())};
    }
    const sockaddr_in sa = to.to_sockaddr();
    if (::connect(fd->get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 && errno != EINPROGRESS)
        return Unexpected<SysError>{sys_error("connect " + to.to_string())};
    return fd;
}

SocketAddress local_address(int fd) {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    return SocketAddress::from(sa);
}

int set_receive_buffer(int fd, int bytes) {
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    int granted = 0;
    socklen_t len = sizeof granted;
    ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &len);
    return granted;
}

long long udp_receive_buffer_errors() {
    // Two "Udp:" lines: the field names, then the values.
    std::ifstream snmp("/proc/net/snmp");
    std::string line, names;
    while (std::getline(snmp, line)) {
        if (line.rfind("Udp: ", 0) != 0) continue;
        if (names.empty()) {
            names = line;
            continue;
        }
        std::istringstream n(names), v(line);
        std::string name, value;
        while (n >> name && v >> value)
            if (name == "RcvbufErrors") {
                long long count = -1;
                std::from_chars(value.data(), value.data() + value.size(), count);
                return count;
            }
        return -1;
    }
    return -1;
}

void raise_fd_limit() {
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &r);
    }
}

TcpCounters tcp_counters(int fd) {
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return {};
    return {info.tcpi_segs_out, info.tcpi_segs_in, info.tcpi_total_retrans, info.tcpi_data_segs_out};
}

}  // namespace hopsim::net::sock
