#include "hopsim/netstack/socket/stream_client.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace hopsim::net::sock {

TcpClient::TcpClient(Reactor& r, SocketAddress from, SocketAddress to, const ByteSource& payload,
                     std::function<void()> on_done)
    : reactor_(r), to_(to), payload_(payload), on_done_(std::move(on_done)) {
    out_.started = Reactor::Clock::now();
    auto fd = tcp_connect(from, to);
    if (!fd) {
        fail(fd.error().message);
        return;
    }
    fd_ = std::move(*fd);
    local_ = local_address(fd_.get());
    if (auto added = reactor_.add(fd_.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP, this); !added) fail(added.error().message);
    constructed_ = true;
}

void TcpClient::fail(std::string message) {
    if (out_.done || !out_.error.empty()) return;
    out_.error = std::move(message);
    out_.finished = Reactor::Clock::now();
    if (fd_) reactor_.remove(fd_.get());
    fd_.reset();
    if (on_done_ && constructed_) on_done_();
}

void TcpClient::complete() {
    out_.done = true;
    out_.finished = Reactor::Clock::now();
    out_.counters = tcp_counters(fd_.get());
    reactor_.remove(fd_.get());
    fd_.reset();
    if (on_done_) on_done_();
}

// The k bytes just received equal the payload's bytes at that offset.
bool TcpClient::echoed(const std::uint8_t* data, std::size_t k) const {
    const std::size_t at = out_.received;
    if (at + k > payload_.size()) return false;
    for (std::size_t done = 0; done < k;) {
        const Bytes w = payload_.window(at + done, k - done);
        if (std::memcmp(data + done, w.data(), w.size()) != 0) return false;
        done += w.size();
    }
    return true;
}

void TcpClient::on_ready(std::uint32_t events) {
    if (!fd_) return;
    if (!out_.connected) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) return fail("connect " + to_.to_string() + ": " + std::strerror(err));
        if (!(events & EPOLLOUT) && !(events & EPOLLIN)) return;
        out_.connected = true;
    }
    while (out_.sent < payload_.size()) {
        const Bytes w = payload_.window(out_.sent, 1 << 20);
        const ssize_t n = ::send(fd_.get(), w.data(), w.size(), MSG_NOSIGNAL);
        if (n > 0) out_.sent += static_cast<std::size_t>(n);
        else if (n < 0 && errno == EINTR) continue;
        else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        else return fail("send to " + to_.to_string() + ": " + std::strerror(errno));
    }
    if (out_.sent == payload_.size() && !shut_) {
        ::shutdown(fd_.get(), SHUT_WR);  // the server sees end-of-stream, flushes, closes
        shut_ = true;
    }
    std::array<std::uint8_t, 64 * 1024> buf;
    for (;;) {
        const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
        if (n > 0) {
            const std::size_t k = static_cast<std::size_t>(n);
            if (out_.echo_matches) out_.echo_matches = echoed(buf.data(), k);
            out_.received += k;
        } else if (n == 0) {
            return shut_ ? complete() : fail("connection to " + to_.to_string() + " closed before all bytes were sent");
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        } else {
            return fail("recv from " + to_.to_string() + ": " + std::strerror(errno));
        }
    }
}

}  // namespace hopsim::net::sock
