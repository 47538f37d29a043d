#include "hopsim/netstack/socket/stream_service.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace hopsim::net::sock {

class TcpService::Peer final : public Handler {
public:
    Peer(TcpService& s, Fd fd, SocketAddress peer) : s_(s), fd_(std::move(fd)), peer_(peer), last_(Reactor::Clock::now()) {}
    int fd() const { return fd_.get(); }
    Reactor::Clock::time_point last_active() const { return last_; }
    void on_ready(std::uint32_t events) override {
        if (events & (EPOLLERR)) return finish(true);
        pump();
    }
    void close_idle() {
        s_.stats_.idle_closed++;
        finish(false);
    }

private:
    std::size_t queued() const { return queue_.size() - head_; }

    // Read while the queue has room, write while the socket takes bytes;
    // repeat until neither moves (edge-triggered: no event will say it again).
    void pump() {
        last_ = Reactor::Clock::now();
        std::array<std::uint8_t, 64 * 1024> buf;
        for (bool progress = true; progress;) {
            progress = false;
            while (!peer_closed_ && queued() < s_.options_.max_queue) {
                const std::size_t room = std::min(buf.size(), s_.options_.max_queue - queued());
                const ssize_t n = ::recv(fd_.get(), buf.data(), room, 0);
                if (n > 0) {
                    const Bytes data(buf.data(), static_cast<std::size_t>(n));
                    s_.stats_.bytes_in += data.size();
                    if (s_.observer_) s_.observer_(peer_, data);
                    if (s_.options_.mode == ServiceMode::Echo) queue_.insert(queue_.end(), data.begin(), data.end());
                    s_.stats_.peak_queue = std::max(s_.stats_.peak_queue, queued());
                    progress = true;
                } else if (n == 0) {
                    peer_closed_ = true;
                } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    break;
                } else if (errno != EINTR) {
                    return finish(true);  // ECONNRESET and friends
                }
            }
            while (queued() > 0) {
                const ssize_t n = ::send(fd_.get(), queue_.data() + head_, queued(), MSG_NOSIGNAL);
                if (n > 0) {
                    head_ += static_cast<std::size_t>(n);
                    s_.stats_.bytes_out += static_cast<std::size_t>(n);
                    progress = true;
                } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    break;  // EPOLLOUT will call again
                } else if (n < 0 && errno == EINTR) {
                    continue;
                } else {
                    return finish(true);  // EPIPE, ECONNRESET
                }
            }
            if (head_ == queue_.size()) queue_.clear(), head_ = 0;
            else if (head_ > queue_.size() / 2) queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(head_)), head_ = 0;
        }
        if (peer_closed_ && queued() == 0) finish(false);  // half-close honoured: all flushed
    }

    void finish(bool reset) {
        if (reset) s_.stats_.resets++;
        s_.retire(fd_.get());  // the last thing this object does
    }

    TcpService& s_;
    Fd fd_;
    SocketAddress peer_;
    std::vector<std::uint8_t> queue_;
    std::size_t head_ = 0;
    bool peer_closed_ = false;
    Reactor::Clock::time_point last_;
};

TcpService::TcpService(Reactor& r, Fd listener, Options o, DataObserver observer)
    : reactor_(r), listener_(std::move(listener)), options_(o), observer_(std::move(observer)) {
    (void)reactor_.add(listener_.get(), EPOLLIN, this);
}

TcpService::~TcpService() = default;

void TcpService::on_ready(std::uint32_t) {
    for (;;) {
        sockaddr_in sa{};
        socklen_t len = sizeof sa;
        Fd fd(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&sa), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            // Out of descriptors, the waiting connections stay queued and the
            // edge-triggered listener will not fire for them again: sweep()
            // retries once a descriptor may be free.
            accept_blocked_ = errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
            return;  // EAGAIN: all accepted
        }
        stats_.accepted++;
        const int raw = fd.get();
        auto peer = std::make_unique<Peer>(*this, std::move(fd), SocketAddress::from(sa));
        Peer* p = peer.get();
        peers_.emplace(raw, std::move(peer));
        (void)reactor_.add(raw, EPOLLIN | EPOLLOUT | EPOLLRDHUP, p);
        p->on_ready(EPOLLIN);  // data may already be there
    }
}

void TcpService::retire(int fd) {
    auto it = peers_.find(fd);
    if (it == peers_.end()) return;
    reactor_.remove(fd);
    stats_.closed++;
    retired_.push_back(std::move(it->second));
    peers_.erase(it);
}

void TcpService::sweep() {
    retired_.clear();
    if (accept_blocked_) on_ready(EPOLLIN);
    const auto now = Reactor::Clock::now();
    std::vector<Peer*> idle;
    for (auto& [fd, p] : peers_)
        if (now - p->last_active() > options_.idle_timeout) idle.push_back(p.get());
    for (Peer* p : idle) p->close_idle();
    retired_.clear();
}

UdpService::UdpService(Reactor& r, Fd socket, ServiceMode mode, DataObserver observer)
    : fd_(std::move(socket)), mode_(mode), observer_(std::move(observer)) {
    (void)r.add(fd_.get(), EPOLLIN, this);
}

void UdpService::on_ready(std::uint32_t) {
    std::array<std::uint8_t, 65536> buf;
    for (;;) {
        sockaddr_in sa{};
        socklen_t len = sizeof sa;
        const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&sa), &len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        stats_.datagrams++;
        stats_.bytes_in += static_cast<std::size_t>(n);
        if (observer_) observer_(SocketAddress::from(sa), Bytes(buf.data(), static_cast<std::size_t>(n)));
        if (mode_ != ServiceMode::Echo) continue;
        // UDP promises nothing: a reply the socket cannot take now is dropped and counted.
        if (::sendto(fd_.get(), buf.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&sa), len) < 0)
            stats_.dropped_datagrams++;
        else
            stats_.bytes_out += static_cast<std::size_t>(n);
    }
}

}  // namespace hopsim::net::sock
