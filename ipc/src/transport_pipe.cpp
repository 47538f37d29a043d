// pipe(2) and mkfifo(3): two one-way byte streams, one each way.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include "fd_channel.hpp"
#include "sys_error.hpp"
#include "transports.hpp"

namespace hopsim::ipc {

using net::sock::Fd;

namespace {

class PipeTransport final : public Transport {
public:
    explicit PipeTransport(const TransportSettings& s) : s_(s) {}

    Error prepare() override {
        for (Ends* e : {&to_consumer_, &to_producer_}) {
            int fds[2];
            if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return sys_error("pipe");
            e->read = Fd(fds[0]);
            e->write = Fd(fds[1]);
        }
        return {};
    }

    // Each side closes the ends it does not use: a write end left open in
    // the reader is the classic pipe that never reports end-of-file.
    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        Ends& in = role == Role::Consumer ? to_consumer_ : to_producer_;
        Ends& out = role == Role::Consumer ? to_producer_ : to_consumer_;
        in.write.reset();
        out.read.reset();
        return std::unique_ptr<Channel>(
            std::make_unique<FdChannel>(std::move(in.read), std::move(out.write), FinishBy::CloseWrite, s_.idle_timeout, "the pipe"));
    }

    void release_parent_copies() override { to_consumer_ = {}, to_producer_ = {}; }

private:
    struct Ends {
        Fd read, write;
    };
    TransportSettings s_;
    Ends to_consumer_, to_producer_;
};

extern "C" void on_open_timeout(int) {}

// open(2) of a FIFO waits until the other end is opened too; a timer turns a
// peer that never comes into EINTR instead of a hang.
Result<Fd, Error> open_fifo(const std::string& path, int flags, std::chrono::milliseconds idle) {
    struct sigaction sa{};
    sa.sa_handler = on_open_timeout;  // no SA_RESTART: the open returns EINTR
    ::sigaction(SIGALRM, &sa, nullptr);
    itimerval t{};
    t.it_value.tv_sec = idle.count() / 1000;
    t.it_value.tv_usec = (idle.count() % 1000) * 1000;
    ::setitimer(ITIMER_REAL, &t, nullptr);
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    const int err = errno;
    t = {};
    ::setitimer(ITIMER_REAL, &t, nullptr);
    const char* how = (flags & O_ACCMODE) == O_RDONLY ? "reading" : "writing";
    if (fd < 0 && err == EINTR)
        return Unexpected{"open " + path + " for " + how + " waited " + std::to_string(idle.count()) +
                          " ms: nobody opened the other end (a FIFO's open waits for both)"};
    if (fd < 0) return Unexpected{sys_error("open " + path + " for " + how, err)};
    Fd f(fd);
    if (Error e = set_nonblocking(f.get(), path); !e.empty()) return Unexpected{e};
    return f;
}

class FifoTransport final : public Transport {
public:
    explicit FifoTransport(const TransportSettings& s)
        : s_(s), to_consumer_(s.dir + "/to-consumer.fifo"), to_producer_(s.dir + "/to-producer.fifo") {}
    ~FifoTransport() override {
        if (made_) ::unlink(to_consumer_.c_str()), ::unlink(to_producer_.c_str());
    }

    Error prepare() override {
        for (const std::string& p : {to_consumer_, to_producer_})
            if (::mkfifo(p.c_str(), 0600) != 0) return sys_error("mkfifo " + p);
        made_ = true;
        return {};
    }

    // Both sides open the FIFOs in the same order (to the consumer first),
    // so the two blocking opens meet instead of waiting for each other.
    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        const bool consumer = role == Role::Consumer;
        auto first = open_fifo(to_consumer_, consumer ? O_RDONLY : O_WRONLY, s_.idle_timeout);
        if (!first) return Unexpected{first.error()};
        auto second = open_fifo(to_producer_, consumer ? O_WRONLY : O_RDONLY, s_.idle_timeout);
        if (!second) return Unexpected{second.error()};
        Fd in = consumer ? std::move(*first) : std::move(*second);
        Fd out = consumer ? std::move(*second) : std::move(*first);
        return std::unique_ptr<Channel>(
            std::make_unique<FdChannel>(std::move(in), std::move(out), FinishBy::CloseWrite, s_.idle_timeout, "the FIFO"));
    }

private:
    TransportSettings s_;
    std::string to_consumer_, to_producer_;
    bool made_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_pipe(const TransportSettings& s) { return std::make_unique<PipeTransport>(s); }
std::unique_ptr<Transport> make_fifo(const TransportSettings& s) { return std::make_unique<FifoTransport>(s); }

}  // namespace hopsim::ipc
