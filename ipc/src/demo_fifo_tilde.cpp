// "~/my_pipe" in C: the shell expands ~, the kernel never does. The path is
// taken literally, a directory named "~" under the current one, which does
// not exist: mkfifo and open fail with ENOENT. Also shown: open(O_CREAT) on
// the path makes a regular file, not a FIFO.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "hopsim/ipc/demo_bugs.hpp"
#include "hopsim/ipc/paths.hpp"
#include "sys_error.hpp"

namespace hopsim::ipc {

namespace {

constexpr char kTyped[] = "~/hopsim_demo_fifo";
constexpr char kMessage[] = "hello through a FIFO";

// The working directory for the length of the demo, restored after.
class InDirectory {
public:
    explicit InDirectory(const std::string& dir) : back_(::open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) { ok_ = ::chdir(dir.c_str()) == 0; }
    ~InDirectory() {
        if (back_ < 0) return;
        if (::fchdir(back_) != 0) std::perror("hopsim ipc: returning to the working directory");
        ::close(back_);
    }
    bool ok() const { return ok_; }

private:
    int back_;
    bool ok_ = false;
};

// The fixed path: a FIFO made with mkfifo, a reader and a writer meeting at it.
std::string deliver(const std::string& path) {
    if (::mkfifo(path.c_str(), 0600) != 0) return sys_error("mkfifo " + path);
    std::fflush(nullptr);
    const pid_t writer = ::fork();
    if (writer == 0) {
        const int fd = ::open(path.c_str(), O_WRONLY);
        [[maybe_unused]] auto n = ::write(fd, kMessage, sizeof kMessage - 1);
        ::_exit(fd < 0);
    }
    char buf[64] = {};
    const int fd = ::open(path.c_str(), O_RDONLY);  // waits for the writer
    const ssize_t n = fd >= 0 ? ::read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) ::close(fd);
    ::waitpid(writer, nullptr, 0);
    ::unlink(path.c_str());
    return n == sizeof kMessage - 1 && std::strcmp(buf, kMessage) == 0 ? "" : "the message did not arrive whole";
}

}  // namespace

DemoOutcome demo_fifo_tilde() {
    DemoOutcome d;
    auto scratch = WorkDir::make("");
    if (!scratch) return d.text = scratch.error() + "\n", d;
    int mkfifo_errno = 0, open_errno = 0;
    bool creat_made_regular = false;
    {
        // In an empty directory, so a stray directory called "~" cannot hide the bug.
        InDirectory here(scratch->path());
        if (!here.ok()) return d.text = sys_error("chdir " + scratch->path()) + "\n", d;
        if (::mkfifo(kTyped, 0600) != 0) mkfifo_errno = errno;
        if (::open(kTyped, O_WRONLY | O_NONBLOCK) < 0) open_errno = errno;
        // The other first-version mistake: O_CREAT instead of mkfifo.
        const std::string plain = "plain_not_a_fifo";
        const int fd = ::open(plain.c_str(), O_CREAT | O_WRONLY, 0600);
        struct stat st{};
        creat_made_regular = fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        if (fd >= 0) ::close(fd), ::unlink(plain.c_str());
    }
    auto expanded = expand_tilde(kTyped);
    const std::string home_path = expanded ? expanded->path : "(HOME is not set)";
    // The fix, made in the scratch directory rather than in your home.
    const std::string fixed = scratch->path() + "/hopsim_demo_fifo";
    const std::string delivered = deliver(fixed);

    d.failed_as_documented = mkfifo_errno == ENOENT && open_errno == ENOENT && creat_made_regular && delivered.empty();
    d.text = fmt::format(
        "The bug: mkfifo(\"{0}\", 0600) and open(\"{0}\", O_WRONLY) in C.\n"
        "  {1}\n"
        "  {2}\n"
        "  The shell turns ~ into your home directory before a command runs; mkfifo(3), open(2) and\n"
        "  every other system call take the path as written: a directory named \"~\" inside the\n"
        "  current directory, which does not exist.\n"
        "The fix: expand it yourself (getenv(\"HOME\"), or getpwnam for ~user): {0} is {3}.\n"
        "  The demo made its FIFO at {4} with mkfifo, a writer and a reader opened it (each open waits\n"
        "  for the other), and \"{5}\" {6}.\n"
        "Also: open(path, O_CREAT | O_WRONLY) instead of mkfifo makes {7}: the reader gets whatever\n"
        "  was written so far, then end-of-file, with nobody waiting for anybody.\n"
        "{8}\n",
        kTyped, sys_error("mkfifo", mkfifo_errno), sys_error("open", open_errno), home_path, fixed, kMessage,
        delivered.empty() ? "arrived whole" : "did NOT arrive: " + delivered,
        creat_made_regular ? "a regular file" : "something unexpected",
        d.failed_as_documented ? "As docs/ipc.md says." : "NOT as docs/ipc.md says: see above.");
    d.json = nlohmann::ordered_json{{"demo", "fifo-tilde"},
                                    {"failed_as_documented", d.failed_as_documented},
                                    {"path", kTyped},
                                    {"mkfifo_error", mkfifo_errno ? strerrorname_np(mkfifo_errno) : ""},
                                    {"open_error", open_errno ? strerrorname_np(open_errno) : ""},
                                    {"expanded", home_path},
                                    {"fixed_delivered", delivered.empty()},
                                    {"o_creat_made_regular_file", creat_made_regular}}
                 .dump();
    return d;
}

}  // namespace hopsim::ipc
