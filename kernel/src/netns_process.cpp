#include "hopsim/kernel/netns_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>

namespace hopsim::kernel {

namespace {
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop(int) { g_stop = 1; }
bool stop_requested() { return g_stop != 0; }
}  // namespace

NetnsProcess::NetnsProcess(const std::string& netns, Body body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    const std::string path = "/var/run/netns/" + netns;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        struct sigaction sa {};
        sa.sa_handler = on_stop;
        ::sigaction(SIGTERM, &sa, nullptr);
        ::signal(SIGINT, SIG_IGN);  // the parent decides when its children stop
        const int ns = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) ::_exit(111);
        body(fds[1], stop_requested);
        ::_exit(0);
    }
    ::close(fds[1]);
    out_ = fds[0];
    pid_ = pid;
}

NetnsProcess::~NetnsProcess() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
}

bool NetnsProcess::wait_ready() {
    std::string line;
    for (char c = 0; line.size() < 64;) {
        pollfd p{out_, POLLIN, 0};
        if (::poll(&p, 1, 2000) <= 0 || ::read(out_, &c, 1) != 1) return false;
        if (c == '\n') return line == "ready";
        line += c;
    }
    return false;
}

void NetnsProcess::stop() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGTERM);
}

std::string NetnsProcess::finish() {
    std::string out;
    if (pid_ <= 0) return out;
    char buf[4096];
    for (;;) {  // until the child closes its end (it exits)
        const ssize_t n = ::read(out_, buf, sizeof buf);
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR) continue;
        else break;
    }
    if (!reaped_) ::waitpid(pid_, nullptr, 0);
    reaped_ = true;
    return out;
}

}  // namespace hopsim::kernel
