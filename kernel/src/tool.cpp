#include "hopsim/kernel/tool.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace hopsim::kernel {

std::string join_args(const std::vector<std::string>& argv) {
    std::string s;
    for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
}

RunningTool::RunningTool(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) == 0) pid_ = pid;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
    if (pid_ > 0) ::fcntl(out_, F_SETFL, ::fcntl(out_, F_GETFL) | O_NONBLOCK);
}

RunningTool::~RunningTool() {
    if (pid_ > 0 && !reaped_) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
}

void RunningTool::drain() {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(out_, buf, sizeof buf);
        if (n > 0) output_.append(buf, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR) continue;
        else break;
    }
}

bool RunningTool::exited() {
    if (pid_ <= 0 || reaped_) return true;
    drain();
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) != pid_) return false;
    reaped_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    drain();
    return true;
}

void RunningTool::stop(int signal) {
    if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

ToolResult RunningTool::finish() {
    if (pid_ > 0 && !reaped_) {
        int st = 0;
        for (;;) {
            drain();
            const pid_t r = ::waitpid(pid_, &st, WNOHANG);
            if (r == pid_ || (r < 0 && errno != EINTR)) break;
            ::usleep(2000);
        }
        reaped_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        drain();
    }
    return {pid_ > 0 ? status_ : -1, output_};
}

ToolResult run_tool(const std::vector<std::string>& argv) {
    RunningTool t(argv);
    if (!t.started()) return {-1, "cannot run " + argv[0]};
    return t.finish();
}

}  // namespace hopsim::kernel
