#pragma once
// RAII for file descriptors and errors that say what was attempted
// (fmt's `file` and `system_error` spirit): "bind 127.0.1.2:7: Address already in use".

#include <string>
#include <utility>

#include "hopsim/netstack/result.hpp"

namespace hopsim::net::sock {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) reset(std::exchange(o.fd_, -1));
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    // Closes once; close() is never retried on EINTR (the fd is gone either way on Linux).
    void reset(int fd = -1);

private:
    int fd_ = -1;
};

struct SysError {
    int err = 0;
    std::string message;  // "<action> <address>: <strerror>"
};
// Builds the error from errno.
SysError sys_error(const std::string& action);

template <class T>
using SysResult = Result<T, SysError>;

}  // namespace hopsim::net::sock
