#include "hopsim/netstack/socket/fd.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hopsim::net::sock {

void Fd::reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

SysError sys_error(const std::string& action) {
    const int e = errno;
    return {e, action + ": " + std::strerror(e)};
}

}  // namespace hopsim::net::sock
