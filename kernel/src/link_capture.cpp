#include "hopsim/kernel/link_capture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace hopsim::kernel {

namespace {

// Runs `f` with this thread in the named namespace, then comes back.
template <class F>
Result<int, std::string> in_netns(const std::string& netns, F f) {
    const int self = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target = ::open(("/var/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (self < 0 || target < 0 || ::setns(target, CLONE_NEWNET) != 0) {
        const std::string e = std::strerror(errno);
        if (self >= 0) ::close(self);
        if (target >= 0) ::close(target);
        return Unexpected<std::string>{fmt::format("enter network namespace {}: {}", netns, e)};
    }
    const auto r = f();
    ::setns(self, CLONE_NEWNET);
    ::close(self);
    ::close(target);
    return r;
}

}  // namespace

Result<std::unique_ptr<LinkCapture>, std::string> LinkCapture::open(const std::string& netns, const std::string& ifname,
                                                                    const std::string& path) {
    auto fd = in_netns(netns, [&]() -> Result<int, std::string> {
        const int s = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
        if (s < 0) return Unexpected<std::string>{fmt::format("packet socket in {}: {}", netns, std::strerror(errno))};
        sockaddr_ll at{};
        at.sll_family = AF_PACKET;
        at.sll_protocol = htons(ETH_P_ALL);
        at.sll_ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
        const int on = 1, buffer = 8 << 20;
        ::setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
        ::setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
        if (at.sll_ifindex == 0 || ::bind(s, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
            const std::string e = std::strerror(errno);
            ::close(s);
            return Unexpected<std::string>{fmt::format("capture {} in {}: {}", ifname, netns, e)};
        }
        return s;
    });
    if (!fd) return Unexpected<std::string>{fd.error()};
    auto w = net::PcapWriter::open(path);
    if (!w) {
        ::close(*fd);
        return Unexpected<std::string>{w.error()};
    }
    return std::unique_ptr<LinkCapture>(new LinkCapture(*fd, std::move(*w), path));
}

LinkCapture::~LinkCapture() {
    if (fd_ >= 0) ::close(fd_);
}

void LinkCapture::drain() {
    std::vector<std::uint8_t> frame(65536 + 64);
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    for (;;) {
        iovec iov{frame.data(), frame.size()};
        msghdr m{};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        const ssize_t n = ::recvmsg(fd_, &m, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        timespec ts{};
        for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        writer_.write(static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec,
                      net::Bytes(frame.data(), static_cast<std::size_t>(n)));
        ++frames_;
    }
}

bool LinkCapture::close() {
    drain();
    ::close(fd_);
    fd_ = -1;
    return writer_.close();
}

}  // namespace hopsim::kernel
