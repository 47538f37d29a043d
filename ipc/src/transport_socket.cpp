// Sockets: Unix-domain stream and datagram sockets at paths in the run's
// directory, and TCP and UDP on loopback through the real backend's socket
// helpers (nonblocking, close-on-exec, errors that name the address).

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>

#include "credit_window.hpp"
#include "fd_channel.hpp"
#include "hopsim/netstack/socket/sockets.hpp"
#include "sys_error.hpp"
#include "transports.hpp"

namespace hopsim::ipc {

using net::sock::Fd;

namespace {

Result<sockaddr_un, Error> unix_address(const std::string& path) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path)
        return Unexpected{"the socket path " + path + " is longer than the " + std::to_string(sizeof a.sun_path - 1) +
                          " bytes a Unix socket address holds; choose a shorter --dir"};
    path.copy(a.sun_path, path.size());
    return a;
}

Result<Fd, Error> unix_socket(int type, const std::string& bind_to) {
    Fd fd(::socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return Unexpected{sys_error("socket AF_UNIX")};
    if (!bind_to.empty()) {
        auto a = unix_address(bind_to);
        if (!a) return Unexpected{a.error()};
        if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*a), sizeof *a) != 0)
            return Unexpected{sys_error("bind " + bind_to)};
    }
    return fd;
}

Error connect_unix(int fd, const std::string& path) {
    auto a = unix_address(path);
    if (!a) return a.error();
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&*a), sizeof *a) != 0) return sys_error("connect " + path);
    return {};
}

// Waits for one connection on `listener`, at most `idle`.
Result<Fd, Error> accept_one(int listener, std::chrono::milliseconds idle, const std::string& what) {
    pollfd p{listener, POLLIN, 0};
    int n;
    do n = ::poll(&p, 1, static_cast<int>(idle.count()));
    while (n < 0 && errno == EINTR);
    if (n == 0) return Unexpected{"nobody connected to " + what + " in " + std::to_string(idle.count()) + " ms"};
    Fd fd(::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) return Unexpected{sys_error("accept on " + what)};
    return fd;
}

// A stream socket both sides reach through a listener the parent made, so
// the producer's connect never races the consumer's listen.
class StreamSocketTransport : public Transport {
public:
    explicit StreamSocketTransport(const TransportSettings& s) : s_(s) {}

    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        Fd listener = std::move(listener_);
        Fd fd;
        if (role == Role::Consumer) {
            auto a = accept_one(listener.get(), s_.idle_timeout, what());
            if (!a) return Unexpected{a.error()};
            fd = std::move(*a);
        } else {
            listener.reset();
            auto c = connect_to();
            if (!c) return Unexpected{c.error()};
            fd = std::move(*c);
        }
        return std::unique_ptr<Channel>(
            std::make_unique<FdChannel>(std::move(fd), Fd(), FinishBy::ShutdownWrite, s_.idle_timeout, what()));
    }
    void release_parent_copies() override { listener_.reset(); }

protected:
    virtual std::string what() const = 0;
    virtual Result<Fd, Error> connect_to() = 0;
    TransportSettings s_;
    Fd listener_;
};

class UnixStreamTransport final : public StreamSocketTransport {
public:
    explicit UnixStreamTransport(const TransportSettings& s) : StreamSocketTransport(s), path_(s.dir + "/stream.sock") {}
    ~UnixStreamTransport() override { ::unlink(path_.c_str()); }

    Error prepare() override {
        auto fd = unix_socket(SOCK_STREAM, path_);
        if (!fd) return fd.error();
        if (::listen(fd->get(), 1) != 0) return sys_error("listen " + path_);
        listener_ = std::move(*fd);
        return {};
    }

private:
    std::string what() const override { return "the Unix stream socket " + path_; }
    Result<Fd, Error> connect_to() override {
        auto fd = unix_socket(SOCK_STREAM, "");
        if (!fd) return fd;
        if (Error e = connect_unix(fd->get(), path_); !e.empty()) return Unexpected{e};
        return fd;
    }
    std::string path_;
};

class TcpTransport final : public StreamSocketTransport {
public:
    using StreamSocketTransport::StreamSocketTransport;

    Error prepare() override {
        auto fd = net::sock::tcp_listen(*net::sock::SocketAddress::parse("127.0.0.1:0"), 1);
        if (!fd) return fd.error().message;
        at_ = net::sock::local_address(fd->get());
        listener_ = std::move(*fd);
        return {};
    }

private:
    std::string what() const override { return "TCP " + at_.to_string(); }
    Result<Fd, Error> connect_to() override {
        auto fd = net::sock::tcp_connect(net::sock::SocketAddress{}, at_);
        if (!fd) return Unexpected{fd.error().message};
        pollfd p{fd->get(), POLLOUT, 0};
        if (::poll(&p, 1, static_cast<int>(s_.idle_timeout.count())) != 1)
            return Unexpected{"connect to " + at_.to_string() + " did not complete"};
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd->get(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) return Unexpected{sys_error("connect " + at_.to_string(), err)};
        return std::move(*fd);
    }
    net::sock::SocketAddress at_;
};

// Two datagram sockets connected to each other, made by the parent: each
// child keeps its own and closes the other.
class DatagramPairTransport : public Transport {
public:
    explicit DatagramPairTransport(const TransportSettings& s) : s_(s) {}

    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        Fd mine = std::move(role == Role::Consumer ? consumer_ : producer_);
        consumer_.reset(), producer_.reset();
        std::unique_ptr<Channel> ch =
            std::make_unique<FdChannel>(std::move(mine), Fd(), FinishBy::EmptyMessage, s_.idle_timeout, what());
        return wrap(std::move(ch), role);
    }
    void release_parent_copies() override { consumer_.reset(), producer_.reset(); }

protected:
    virtual std::string what() const = 0;
    virtual std::unique_ptr<Channel> wrap(std::unique_ptr<Channel> ch, Role) { return ch; }
    TransportSettings s_;
    Fd consumer_, producer_;
};

// Room for a message of `size` in the socket's send buffer (beyond
// wmem_max where the process may): a datagram larger than it is EMSGSIZE.
void make_room_for(int fd, std::size_t size) {
    const int want = static_cast<int>(2 * size + 65536);
    if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
}

class UnixDgramTransport final : public DatagramPairTransport {
public:
    explicit UnixDgramTransport(const TransportSettings& s)
        : DatagramPairTransport(s), consumer_path_(s.dir + "/consumer.sock"), producer_path_(s.dir + "/producer.sock") {}
    ~UnixDgramTransport() override { ::unlink(consumer_path_.c_str()), ::unlink(producer_path_.c_str()); }

    // A Unix datagram socket is reliable: a sender to a full receiver waits
    // (or gets EAGAIN and polls), it is never dropped as UDP would be.
    Error prepare() override {
        auto c = unix_socket(SOCK_DGRAM, consumer_path_);
        if (!c) return c.error();
        auto p = unix_socket(SOCK_DGRAM, producer_path_);
        if (!p) return p.error();
        if (Error e = connect_unix(c->get(), producer_path_); !e.empty()) return e;
        if (Error e = connect_unix(p->get(), consumer_path_); !e.empty()) return e;
        make_room_for(c->get(), s_.message_size);
        make_room_for(p->get(), s_.message_size);
        consumer_ = std::move(*c), producer_ = std::move(*p);
        return {};
    }

private:
    std::string what() const override { return "the Unix datagram socket " + consumer_path_; }
    std::string consumer_path_, producer_path_;
};

Error connect_udp(int fd, const net::sock::SocketAddress& to) {
    const sockaddr_in sa = to.to_sockaddr();
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) return sys_error("connect UDP " + to.to_string());
    return {};
}

class UdpTransport final : public DatagramPairTransport {
public:
    using DatagramPairTransport::DatagramPairTransport;

    Error prepare() override {
        const auto any = *net::sock::SocketAddress::parse("127.0.0.1:0");
        auto c = net::sock::udp_bind(any);
        if (!c) return c.error().message;
        auto p = net::sock::udp_bind(any);
        if (!p) return p.error().message;
        consumer_at_ = net::sock::local_address(c->get());
        const auto producer_at = net::sock::local_address(p->get());
        if (Error e = connect_udp(c->get(), producer_at); !e.empty()) return e;
        if (Error e = connect_udp(p->get(), consumer_at_); !e.empty()) return e;
        make_room_for(p->get(), s_.message_size);
        receive_buffer_ = net::sock::set_receive_buffer(c->get(), 8 << 20);
        net::sock::set_receive_buffer(p->get(), 1 << 20);
        consumer_ = std::move(*c), producer_ = std::move(*p);
        return {};
    }

private:
    std::string what() const override { return "UDP " + consumer_at_.to_string(); }
    // A window of a quarter of the receive buffer: the kernel charges each
    // datagram its whole buffer (truesize), more than its payload.
    std::unique_ptr<Channel> wrap(std::unique_ptr<Channel> ch, Role role) override {
        if (s_.workload != Workload::Bulk) return ch;
        const std::uint64_t window = static_cast<std::uint64_t>(receive_buffer_) / 4 / (s_.message_size + 1024);
        return std::make_unique<CreditWindow>(std::move(ch), role, window);
    }
    net::sock::SocketAddress consumer_at_;
    int receive_buffer_ = 0;
};

}  // namespace

std::unique_ptr<Transport> make_unix_stream(const TransportSettings& s) { return std::make_unique<UnixStreamTransport>(s); }
std::unique_ptr<Transport> make_unix_dgram(const TransportSettings& s) { return std::make_unique<UnixDgramTransport>(s); }
std::unique_ptr<Transport> make_tcp(const TransportSettings& s) { return std::make_unique<TcpTransport>(s); }
std::unique_ptr<Transport> make_udp(const TransportSettings& s) { return std::make_unique<UdpTransport>(s); }

}  // namespace hopsim::ipc
