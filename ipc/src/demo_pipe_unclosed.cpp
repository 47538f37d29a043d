// The reader that never sees end-of-file: after fork, both processes hold
// both ends of the pipe. EOF comes when every write end is closed, and the
// reader's own unused copy is one of them.

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "hopsim/ipc/demo_bugs.hpp"

namespace hopsim::ipc {

namespace {

constexpr int kGiveUpMs = 2000;  // how long the demo lets the buggy reader wait
constexpr char kMessage[] = "every byte of this message arrives; the end of the stream does not\n";

struct ReaderReport {
    long bytes = 0;
    bool eof = false;
    double wait_after_data_ms = 0;  // from the last byte to EOF, or to giving up
};

// Forks a writer and a reader over one pipe; `close_unused` is the fix.
ReaderReport run(bool close_unused) {
    auto* rep = static_cast<ReaderReport*>(
        ::mmap(nullptr, sizeof(ReaderReport), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    *rep = {};
    int fds[2];
    if (::pipe(fds) != 0) return {};
    const pid_t reader = ::fork();
    if (reader == 0) {
        if (close_unused) ::close(fds[1]);  // the line the bug leaves out
        char buf[256];
        auto last = std::chrono::steady_clock::now();
        for (;;) {
            pollfd p{fds[0], POLLIN, 0};
            // A real reader would block in read(2) for ever; the demo gives up.
            if (::poll(&p, 1, kGiveUpMs) == 0) break;
            const ssize_t n = ::read(fds[0], buf, sizeof buf);
            if (n <= 0) {
                rep->eof = n == 0;
                break;
            }
            rep->bytes += n;
            last = std::chrono::steady_clock::now();
        }
        rep->wait_after_data_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - last).count();
        ::_exit(0);
    }
    const pid_t writer = ::fork();
    if (writer == 0) {
        ::close(fds[0]);
        [[maybe_unused]] auto n = ::write(fds[1], kMessage, sizeof kMessage - 1);
        ::close(fds[1]);
        ::_exit(0);
    }
    ::close(fds[0]), ::close(fds[1]);  // the parent's copies, or it would be the culprit itself
    ::waitpid(writer, nullptr, 0), ::waitpid(reader, nullptr, 0);
    const ReaderReport r = *rep;
    ::munmap(rep, sizeof(ReaderReport));
    return r;
}

}  // namespace

DemoOutcome demo_pipe_unclosed() {
    std::fflush(nullptr);
    const ReaderReport bug = run(false), fix = run(true);
    const long size = sizeof kMessage - 1;
    DemoOutcome d;
    d.failed_as_documented = bug.bytes == size && !bug.eof && fix.bytes == size && fix.eof;
    d.text = fmt::format(
        "The bug: pipe(), fork(), and the reader forgets close(fds[1]).\n"
        "  The writer wrote {} bytes and closed its write end. The reader read {} bytes, then waited\n"
        "  {:.0f} ms for end-of-file and never got it: read(2) returns 0 only when every write end\n"
        "  is closed, and the reader itself still holds one. A real reader would block for ever;\n"
        "  this demo stopped it after {} ms.\n"
        "The fix: each process closes the end it does not use, right after fork().\n"
        "  The reader read {} bytes and saw end-of-file {:.1f} ms after the last byte.\n"
        "{}\n",
        size, bug.bytes, bug.wait_after_data_ms, kGiveUpMs, fix.bytes, fix.wait_after_data_ms,
        d.failed_as_documented ? "As docs/ipc.md says." : "NOT as docs/ipc.md says: see above.");
    d.json = nlohmann::ordered_json{{"demo", "pipe-unclosed"},
                                    {"failed_as_documented", d.failed_as_documented},
                                    {"bytes_written", size},
                                    {"bug", {{"bytes_read", bug.bytes}, {"eof", bug.eof}, {"waited_ms", bug.wait_after_data_ms}}},
                                    {"fix", {{"bytes_read", fix.bytes}, {"eof", fix.eof}, {"waited_ms", fix.wait_after_data_ms}}}}
                 .dump();
    return d;
}

}  // namespace hopsim::ipc
