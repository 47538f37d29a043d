#include "fd_channel.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "sys_error.hpp"

namespace hopsim::ipc {

FdChannel::FdChannel(net::sock::Fd in, net::sock::Fd out, FinishBy finish, std::chrono::milliseconds idle, std::string what)
    : in_(std::move(in)), out_(std::move(out)), finish_(finish), idle_(idle), what_(std::move(what)),
      socket_(finish != FinishBy::CloseWrite) {}

Error FdChannel::wait(int fd, short events, const char* doing) {
    pollfd p{fd, events, 0};
    for (;;) {
        const int n = ::poll(&p, 1, static_cast<int>(idle_.count()));
        if (n > 0) return {};  // ready, or POLLHUP/POLLERR: the next call says which
        if (n == 0)
            return "nothing could be " + std::string(doing) + " " + what_ + " for " + std::to_string(idle_.count()) +
                   " ms: the other side stopped (idle timeout)";
        if (errno != EINTR) return sys_error("poll on " + what_);
    }
}

Error FdChannel::send(net::Bytes data) {
    const int fd = write_fd();
    std::size_t done = 0;
    // A datagram goes whole or not at all; a stream may take part of it.
    while (done < data.size()) {
        const ssize_t n = socket_ ? ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL)
                                  : ::write(fd, data.data() + done, data.size() - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return sys_error("write to " + what_);
        if (Error e = wait(fd, POLLOUT, "written to"); !e.empty()) return e;
    }
    return {};
}

Result<std::size_t, Error> FdChannel::recv(std::span<std::uint8_t> buf) {
    for (;;) {
        const ssize_t n = socket_ ? ::recv(in_.get(), buf.data(), buf.size(), 0) : ::read(in_.get(), buf.data(), buf.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EINTR) continue;
        if (errno != EAGAIN) return Unexpected{sys_error("read from " + what_)};
        if (Error e = wait(in_.get(), POLLIN, "read from"); !e.empty()) return Unexpected{e};
    }
}

Error FdChannel::finish() {
    switch (finish_) {
        case FinishBy::CloseWrite: out_.reset(); return {};
        case FinishBy::ShutdownWrite:
            if (::shutdown(in_.get(), SHUT_WR) != 0) return sys_error("shutdown of " + what_);
            return {};
        case FinishBy::EmptyMessage:
            for (;;) {
                if (::send(in_.get(), nullptr, 0, MSG_NOSIGNAL) == 0) return {};
                if (errno == EINTR) continue;
                if (errno != EAGAIN) return sys_error("send the end-of-stream datagram on " + what_);
                if (Error e = wait(in_.get(), POLLOUT, "written to"); !e.empty()) return e;
            }
    }
    return {};
}

Error set_nonblocking(int fd, const std::string& what) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) return sys_error("fcntl O_NONBLOCK on " + what);
    return {};
}

}  // namespace hopsim::ipc
