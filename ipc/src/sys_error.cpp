#include "sys_error.hpp"

#include <cerrno>
#include <cstring>

namespace hopsim::ipc {

namespace {

// What the error means between two processes, where strerror is terse.
const char* hint(int err) {
    switch (err) {
        case EPIPE: return "the reading end is closed (its process ended or closed it)";
        case ECONNRESET: return "the peer closed the connection with data unread, or died";
        case ECONNREFUSED: return "nothing is listening there any more";
        case ENOENT: return "no such path (a ~ is expanded by the shell, never by open(2))";
        case EINTR: return "interrupted by the timeout";
        default: return nullptr;
    }
}

}  // namespace

std::string sys_error(const std::string& action, int err) {
    std::string s = action + ": " + std::strerror(err);
    if (const char* name = strerrorname_np(err)) s += std::string(" (") + name + ")";
    if (const char* h = hint(err)) s += std::string(": ") + h;
    return s;
}

std::string sys_error(const std::string& action) { return sys_error(action, errno); }

}  // namespace hopsim::ipc
