// The epoll echo service under load, slow readers and misbehaving peers, on
// loopback only. Every loop has a deadline; the sanitizer build checks leaks.

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "hopsim/netstack/socket/sockets.hpp"
#include "hopsim/netstack/socket/stream_client.hpp"
#include "hopsim/netstack/socket/stream_service.hpp"
#include "support/process.hpp"
#include "support/sanitizers.hpp"

using namespace hopsim::net;
using namespace hopsim::net::sock;
using namespace std::chrono_literals;

namespace {

// An echo service on its own thread; stats are read after stop().
class ServerThread {
public:
    explicit ServerThread(std::size_t max_queue = 256 * 1024, std::chrono::milliseconds idle = 30s) {
        std::signal(SIGPIPE, SIG_IGN);
        raise_fd_limit();
        auto fd = tcp_listen({Ipv4Address(127, 0, 0, 1), 0});
        REQUIRE(fd);
        address_ = local_address(fd->get());
        TcpService::Options o;
        o.max_queue = max_queue;
        o.idle_timeout = idle;
        service_ = std::make_unique<TcpService>(reactor_, std::move(*fd), o);
        thread_ = std::thread([this] {
            while (!stop_) {
                reactor_.poll_once(Reactor::Clock::now() + 20ms);
                service_->sweep();
            }
        });
    }
    ~ServerThread() { stop(); }
    const ServiceStats& stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        return service_->stats();
    }
    SocketAddress address() const { return address_; }

private:
    Reactor reactor_;
    std::unique_ptr<TcpService> service_;
    SocketAddress address_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

std::vector<std::uint8_t> pattern(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + 3);
    return v;
}

// Runs clients to completion (or a deadline) on a reactor of the test's own.
bool run_clients(Reactor& r, int& pending, std::chrono::seconds limit) {
    const auto deadline = Reactor::Clock::now() + limit;
    while (pending > 0 && Reactor::Clock::now() < deadline) r.poll_once(deadline);
    return pending == 0;
}

int raw_connect(const SocketAddress& to) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in sa = to.to_sockaddr();
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0);
    return fd;
}

// Waits until the server has closed `n` connections (it runs on its own thread).
void settle() { std::this_thread::sleep_for(200ms); }

}  // namespace

TEST_CASE("1000 concurrent clients each echo 64 KB intact, with bounded server memory", "[socket]") {
    ServerThread server(64 * 1024);
    Reactor r;
    const auto payload = pattern(64 * 1024);
    const SpanSource source(payload);
    int pending = 1000;
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (int i = 0; i < 1000; ++i)
        clients.push_back(std::make_unique<TcpClient>(r, SocketAddress{}, server.address(), source, [&] { --pending; }));
    REQUIRE(run_clients(r, pending, 60s));
    for (const auto& c : clients) {
        REQUIRE(c->outcome().error.empty());
        REQUIRE(c->outcome().received == payload.size());
        REQUIRE(c->outcome().echo_matches);
    }
    settle();
    const auto& s = server.stop();
    CHECK(s.accepted == 1000);
    CHECK(s.closed == 1000);
    CHECK(s.resets == 0);
    CHECK(s.bytes_out == 1000u * payload.size());
    CHECK(s.peak_queue <= 64 * 1024);  // no connection ever held more than its bound
}

TEST_CASE("a client that stops reading does not grow the server, and others are still served", "[socket]") {
    ServerThread server(64 * 1024);
    const int slow = raw_connect(server.address());
    // Write without reading until the kernel and the server's queue are full.
    const auto chunk = pattern(64 * 1024);
    std::size_t written = 0;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (int stuck = 0; stuck < 10 && std::chrono::steady_clock::now() < deadline;) {
        const ssize_t n = ::send(slow, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) written += static_cast<std::size_t>(n), stuck = 0;
        else std::this_thread::sleep_for(20ms), ++stuck;  // 200 ms without progress: full
        if (written > 64u * 1024 * 1024) break;  // something is unbounded
    }
    CHECK(written < 64u * 1024 * 1024);
    Reactor r;
    int pending = 1;
    const auto payload = pattern(100000);
    const SpanSource source(payload);
    TcpClient other(r, SocketAddress{}, server.address(), source, [&] { --pending; });
    REQUIRE(run_clients(r, pending, 10s));
    CHECK(other.outcome().echo_matches);
    CHECK(other.outcome().received == payload.size());
    ::close(slow);
    settle();
    CHECK(server.stop().peak_queue <= 64 * 1024);
}

TEST_CASE("resets, half-closes, silent clients and early disconnects are counted, never fatal", "[socket]") {
    ServerThread server;
    const auto payload = pattern(200000);
    const SpanSource source(payload);
    SECTION("reset mid-transfer") {
        const int fd = raw_connect(server.address());
        REQUIRE(::send(fd, payload.data(), 100000, MSG_NOSIGNAL) > 0);
        linger l{1, 0};  // close with RST
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        ::close(fd);
        settle();
        const auto& s = server.stop();
        CHECK(s.accepted == 1);
        CHECK(s.closed == 1);
        CHECK(s.resets == 1);
    }
    SECTION("half-close: everything sent before shutdown is echoed, then the server closes") {
        Reactor r;
        int pending = 1;
        TcpClient c(r, SocketAddress{}, server.address(), source, [&] { --pending; });
        REQUIRE(run_clients(r, pending, 10s));
        CHECK(c.outcome().done);
        CHECK(c.outcome().received == payload.size());
        CHECK(c.outcome().echo_matches);
        settle();
        const auto& s = server.stop();
        CHECK(s.closed == 1);
        CHECK(s.resets == 0);
    }
    SECTION("a client that connects and sends nothing") {
        ::close(raw_connect(server.address()));
        settle();
        const auto& s = server.stop();
        CHECK(s.accepted == 1);
        CHECK(s.closed == 1);
        CHECK(s.bytes_in == 0);
        CHECK(s.resets == 0);
    }
    SECTION("a client that disconnects before reading its echo") {
        const int fd = raw_connect(server.address());
        REQUIRE(::send(fd, payload.data(), payload.size(), MSG_NOSIGNAL) > 0);
        ::close(fd);  // unread echo in our receive buffer: the kernel resets
        settle();
        const auto& s = server.stop();
        CHECK(s.accepted == 1);
        CHECK(s.closed == 1);
    }
}

TEST_CASE("an idle connection is closed after the idle timeout", "[socket]") {
    ServerThread server(64 * 1024, 100ms);
    const int fd = raw_connect(server.address());
    std::this_thread::sleep_for(400ms);
    char b;
    CHECK(::recv(fd, &b, 1, MSG_DONTWAIT) == 0);  // the server closed it
    ::close(fd);
    const auto& s = server.stop();
    CHECK(s.idle_closed == 1);
}

TEST_CASE("UDP echo returns each datagram to its sender", "[socket]") {
    Reactor r;
    auto fd = udp_bind({Ipv4Address(127, 0, 0, 1), 0});
    REQUIRE(fd);
    const SocketAddress at = local_address(fd->get());
    UdpService svc(r, std::move(*fd), ServiceMode::Echo);
    const int c = ::socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in sa = at.to_sockaddr();
    const char msg[] = "hello over udp";
    REQUIRE(::sendto(c, msg, sizeof msg, 0, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == sizeof msg);
    r.poll_once(Reactor::Clock::now() + 1s);
    char back[64] = {};
    CHECK(::recv(c, back, sizeof back, 0) == sizeof msg);
    CHECK(std::string(back) == msg);
    ::close(c);
    CHECK(svc.stats().datagrams == 1);
}

TEST_CASE("the CLI refuses a non-loopback bind and reports a refused connection", "[socket][cli]") {
    using hopsim::test::run_command;
    auto bind = run_command(std::string(HOPSIM_BINARY) + " echo-server --bind 10.1.2.3 --port 7 2>&1");
    CHECK(bind.status == 2);
    CHECK(bind.out.find("refusing 10.1.2.3:7: not a loopback address") != std::string::npos);
    auto refused = run_command(std::string(HOPSIM_BINARY) + " echo-client 127.0.0.1:1 --payload hi 2>&1");
    CHECK(refused.status == 1);
    CHECK(refused.out.find("connect 127.0.0.1:1: Connection refused") != std::string::npos);
}

TEST_CASE("echo-server and echo-client as processes: JSON report, intact bytes", "[socket][cli]") {
    using hopsim::test::run_command;
    auto r = run_command("(" + std::string(HOPSIM_BINARY) + " echo-server --port 17007 & S=$!; sleep 0.3; " +
                         HOPSIM_BINARY + " echo-client 127.0.0.1:17007 --size 300000 --connections 4 --json; " +
                         "kill -INT $S; wait $S) 2>&1");
    INFO(r.out);
    CHECK(r.out.find("listening on tcp 127.0.0.1:17007") != std::string::npos);
    CHECK(r.out.find("\"bytes\":1200000,") != std::string::npos);
    CHECK(r.out.find("\"intact\":true,\"connections\":4}") != std::string::npos);
    CHECK(r.out.find("hopsim echo-server: 4 connections, 1200000 bytes echoed, 0 resets") != std::string::npos);
}

TEST_CASE("out of descriptors, waiting connections are taken as soon as one is free", "[socket][limits]") {
    if (hopsim::test::kSanitized) {  // support/sanitizers.hpp says why
        WARN("skipped in the sanitizer build: UBSan needs file descriptors of its own");
        return;
    }
    raise_fd_limit();
    Reactor reactor;
    auto listener = tcp_listen({Ipv4Address(127, 0, 0, 1), 0});
    REQUIRE(listener);
    const SocketAddress at = local_address(listener->get());
    TcpService service(reactor, std::move(*listener), TcpService::Options{});
    std::vector<int> clients;
    for (int i = 0; i < 5; ++i) clients.push_back(raw_connect(at));  // complete through the backlog

    // The soft limit at the lowest free descriptor: every accept fails with EMFILE.
    rlimit old{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &old) == 0);
    const int lowest_free = ::dup(0);
    ::close(lowest_free);
    rlimit low = old;
    low.rlim_cur = static_cast<rlim_t>(lowest_free);
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
    reactor.poll_once(Reactor::Clock::now() + 50ms);
    service.sweep();
    CHECK(service.stats().accepted == 0);

    // Descriptors are free again and no new client arrives to wake the listener.
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &old) == 0);
    for (int round = 0; round < 3; ++round) {
        reactor.poll_once(Reactor::Clock::now() + 20ms);
        service.sweep();
    }
    CHECK(service.stats().accepted == 5);
    for (int fd : clients) ::close(fd);
}
