#include "two_processes.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <new>
#include <thread>

#include "sys_error.hpp"

namespace hopsim::ipc {

namespace {

int index(Role r) { return r == Role::Producer ? 0 : 1; }

// In the child: open this side's end, meet the other side, run, leave.
[[noreturn]] void child(Transport& t, Shared& sh, Role role, const SideMain& main, std::chrono::milliseconds idle) {
    ::signal(SIGPIPE, SIG_IGN);  // a closed reader is an EPIPE error to report, not a silent death
    int status = 1;
    {
        auto ch = t.open(role);
        if (!ch) {
            report_error(sh, role, ch.error());
        } else {
            sh.ready[index(role)].store(1, std::memory_order_release);
            // Both ends open before the clock starts (a FIFO's opens meet by
            // themselves; a ZeroMQ connect completes in the background).
            const auto& other = sh.ready[1 - index(role)];
            const auto deadline = std::chrono::steady_clock::now() + idle;
            while (!other.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            if (!other.load(std::memory_order_acquire))
                report_error(sh, role, "the other side never opened its end");
            else
                status = main(**ch, sh);
        }
    }  // the channel closes here: ZeroMQ's linger delivers what is queued
    ::_exit(status);
}

std::string describe(int status) {
    if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return std::string("killed by ") + (name ? std::string("SIG") + name : std::to_string(WTERMSIG(status)));
    }
    return "stopped";
}

struct Child {
    pid_t pid = -1;
    int pidfd = -1;
    bool done = false;
    SideOutcome* out = nullptr;
    Role role = Role::Producer;
};

// Reaps the child with its resource usage: at once if it has ended (WNOHANG),
// or waiting for it (0). False if it is still running.
bool reap(Child& c, Shared& sh, int flags) {
    int status = 0;
    rusage ru{};
    if (::wait4(c.pid, &status, flags, &ru) != c.pid) return false;
    c.done = true;
    if (c.pidfd >= 0) ::close(c.pidfd);
    c.out->ended = describe(status);
    c.out->clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    c.out->cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    c.out->max_rss_kib = ru.ru_maxrss;
    c.out->error = sh.error[index(c.role)];
    return true;
}

}  // namespace

void report_error(Shared& sh, Role role, const std::string& error) {
    char* to = sh.error[index(role)];
    if (to[0]) return;  // the first error is the one that explains
    std::snprintf(to, sizeof sh.error[0], "%s", error.c_str());
}

std::int64_t monotonic_ns() {
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

SharedPage::SharedPage() {
    void* at = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (at == MAP_FAILED) throw std::bad_alloc();
    p_ = new (at) Shared{};
}

SharedPage::~SharedPage() { ::munmap(p_, sizeof(Shared)); }

PairOutcome run_pair(Transport& t, Shared& sh, const SideMain& producer, const SideMain& consumer,
                     std::chrono::milliseconds idle, std::chrono::seconds timeout,
                     const std::function<bool(std::uint64_t)>& progress) {
    PairOutcome out;
    Child kids[2];
    kids[0].out = &out.consumer, kids[0].role = Role::Consumer;
    kids[1].out = &out.producer, kids[1].role = Role::Producer;
    std::fflush(nullptr);  // nothing buffered is written twice
    for (Child& c : kids) {
        c.pid = ::fork();
        if (c.pid == 0) child(t, sh, c.role, c.role == Role::Producer ? producer : consumer, idle);
        if (c.pid < 0) {
            report_error(sh, c.role, sys_error("fork"));
            c.done = true;
            c.out->ended = "never started";
            continue;
        }
        // glibc 2.36 declares pidfd_open without extern "C"; the system call is the same.
        c.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, c.pid, 0));
    }
    t.release_parent_copies();

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto alive = [&] { return !kids[0].done || !kids[1].done; };
    while (alive()) {
        pollfd p[2];
        int n = 0;
        for (Child& c : kids)
            if (!c.done && c.pidfd >= 0) p[n++] = {c.pidfd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        out.interrupted = progress && !progress(sh.checked.load(std::memory_order_relaxed));
        if (left.count() <= 0 || out.interrupted) {
            out.timed_out = !out.interrupted;
            for (Child& c : kids)
                if (!c.done) ::kill(c.pid, SIGKILL), reap(c, sh, 0);
            break;
        }
        // Sleeps until a child ends (its pidfd turns readable), a signal
        // comes (EINTR), or it is time to report progress.
        ::poll(p, static_cast<nfds_t>(n), static_cast<int>(std::min<long>(left.count(), 200)));
        for (Child& c : kids)
            if (!c.done && reap(c, sh, WNOHANG)) t.peer_died(c.role);  // shared memory: the survivor must not wait on a dead peer
    }
    return out;
}

}  // namespace hopsim::ipc
