#pragma once
// A child process that enters one network namespace and runs a function
// there: hopsim's own socket code on the scenario's hosts (a UDP sender, a
// sink or echo service). It ends at SIGTERM or when the function returns;
// what it writes to its result descriptor comes back to the parent.

#include <functional>
#include <string>
#include <sys/types.h>

namespace hopsim::kernel {

class NetnsProcess {
public:
    // `body(result_fd, stop)`: runs in the child; `stop()` turns true once SIGTERM arrived.
    using Body = std::function<void(int result_fd, bool (*stop)())>;
    NetnsProcess(const std::string& netns, Body body);
    NetnsProcess(const NetnsProcess&) = delete;
    NetnsProcess& operator=(const NetnsProcess&) = delete;
    ~NetnsProcess();

    bool started() const { return pid_ > 0; }
    // Waits (up to 2 s) for the body to write "ready\n": it has bound its socket.
    bool wait_ready();
    void stop();            // SIGTERM: the body sees stop() and writes its result
    std::string finish();   // waits for the end; what the body wrote

private:
    pid_t pid_ = -1;
    int out_ = -1;
    bool reaped_ = false;
};

}  // namespace hopsim::kernel
