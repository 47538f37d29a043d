// hopsim echo-server and echo-client: the real backend's epoll echo service
// and a client that checks every echoed byte, over kernel sockets.

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "hopsim/netstack/socket/byte_source.hpp"
#include "hopsim/netstack/socket/sockets.hpp"
#include "hopsim/real/payload_source.hpp"
#include "hopsim/netstack/socket/stream_client.hpp"
#include "hopsim/netstack/socket/stream_service.hpp"
#include "hopsim/sim/units.hpp"

namespace hopsim::cli {

namespace {

using namespace net::sock;

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }

bool loopback_or_refuse(const SocketAddress& a, bool allowed, const char* cmd) {
    if (a.is_loopback() || allowed) return true;
    fmt::print(stderr, "hopsim {}: refusing {}: not a loopback address (127.0.0.0/8); pass --allow-non-loopback to insist\n",
               cmd, a.to_string());
    return false;
}

struct ServerOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 7007;
    bool udp = false, allow = false;
    std::size_t max_queue = 256 * 1024;
    std::string idle = "30s";
};

int run_server(const ServerOptions& o) {
    auto addr = SocketAddress::parse(o.bind + ":" + std::to_string(o.port));
    if (!addr) return fmt::print(stderr, "hopsim echo-server: --bind: {}\n", addr.error()), kExitBadInput;
    if (!loopback_or_refuse(*addr, o.allow, "echo-server")) return kExitBadInput;
    auto idle = sim::parse_duration(o.idle);
    if (!idle) return fmt::print(stderr, "hopsim echo-server: --idle-timeout: {}\n", idle.error()), kExitBadInput;
    raise_fd_limit();
    Reactor reactor;
    std::unique_ptr<TcpService> tcp;
    std::unique_ptr<UdpService> udp;
    if (o.udp) {
        auto fd = udp_bind(*addr);
        if (!fd) return fmt::print(stderr, "hopsim echo-server: {}\n", fd.error().message), kExitFailed;
        udp = std::make_unique<UdpService>(reactor, std::move(*fd), ServiceMode::Echo);
    } else {
        auto fd = tcp_listen(*addr);
        if (!fd) return fmt::print(stderr, "hopsim echo-server: {}\n", fd.error().message), kExitFailed;
        TcpService::Options opt;
        opt.max_queue = o.max_queue;
        opt.idle_timeout = std::chrono::milliseconds(idle->count() / 1'000'000);
        tcp = std::make_unique<TcpService>(reactor, std::move(*fd), opt);
    }
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGPIPE, SIG_IGN);
    fmt::print("listening on {} {}\n", o.udp ? "udp" : "tcp", addr->to_string());
    std::fflush(stdout);
    while (!g_stop) {
        reactor.poll_once(Reactor::Clock::now() + std::chrono::milliseconds(200));
        if (tcp) tcp->sweep();
    }
    const ServiceStats& s = tcp ? tcp->stats() : udp->stats();
    if (tcp)
        fmt::print("hopsim echo-server: {} connections, {} bytes echoed, {} resets, {} idle timeouts, largest queue {} bytes\n",
                   s.accepted, s.bytes_out, s.resets, s.idle_closed, s.peak_queue);
    else
        fmt::print("hopsim echo-server: {} datagrams, {} bytes echoed, {} replies dropped\n", s.datagrams, s.bytes_out,
                   s.dropped_datagrams);
    return kExitOk;
}

struct ClientOptions {
    std::string target;
    std::optional<std::size_t> size;
    std::string payload, file;
    int connections = 1;
    bool json = false, allow = false;
    std::string timeout = "60s";
};

int run_client(const ClientOptions& o) {
    auto to = SocketAddress::parse(o.target);
    if (!to) return fmt::print(stderr, "hopsim echo-client: {}\n", to.error()), kExitBadInput;
    if (!loopback_or_refuse(*to, o.allow, "echo-client")) return kExitBadInput;
    auto timeout = sim::parse_duration(o.timeout);
    if (!timeout) return fmt::print(stderr, "hopsim echo-client: --timeout: {}\n", timeout.error()), kExitBadInput;
    // What to send, never held whole: a file is mapped, a size is the
    // scenario pattern (byte i = 0x20 + i % 95) served from one period.
    std::unique_ptr<ByteSource> source;
    sim::Payload pattern;
    if (!o.file.empty()) {
        auto file = FileSource::open(o.file);
        if (!file) return fmt::print(stderr, "hopsim echo-client: --file {}\n", file.error()), kExitBadInput;
        source = std::make_unique<FileSource>(std::move(*file));
    } else if (o.size) {
        pattern = sim::Payload::pattern(*o.size);
        source = std::make_unique<real::PayloadSource>(pattern);
    } else {
        source = std::make_unique<SpanSource>(net::Bytes(reinterpret_cast<const std::uint8_t*>(o.payload.data()), o.payload.size()));
    }
    const ByteSource& payload = *source;
    raise_fd_limit();
    std::signal(SIGPIPE, SIG_IGN);
    Reactor reactor;
    int pending = o.connections;
    std::vector<std::unique_ptr<TcpClient>> clients;
    const auto start = Reactor::Clock::now();
    for (int i = 0; i < o.connections; ++i) {
        clients.push_back(std::make_unique<TcpClient>(reactor, SocketAddress{}, *to, payload, [&] { --pending; }));
        if (!clients.back()->outcome().error.empty()) --pending;  // failed at once: no callback comes
    }
    const auto deadline = start + std::chrono::nanoseconds(timeout->count());
    while (pending > 0 && Reactor::Clock::now() < deadline) reactor.poll_once(deadline);
    const double secs = std::chrono::duration<double>(Reactor::Clock::now() - start).count();

    std::uint64_t bytes = 0;
    bool intact = pending == 0;
    std::string first_error;
    for (const auto& c : clients) {
        const auto& out = c->outcome();
        bytes += out.received;
        intact &= out.done && out.echo_matches && out.received == payload.size();
        if (first_error.empty() && !out.error.empty()) first_error = out.error;
    }
    if (pending > 0 && first_error.empty()) first_error = fmt::format("{} connections still open after {}", pending, o.timeout);
    const double bps = secs > 0 ? static_cast<double>(bytes) * 8 / secs : 0;
    if (o.json) {
        fmt::print("{{\"bytes\":{},\"seconds\":{:.6f},\"throughput_bps\":{:.0f},\"intact\":{},\"connections\":{}}}\n", bytes,
                   secs, bps, intact ? "true" : "false", o.connections);
    } else {
        fmt::print("echoed {} of {} bytes on {} connection{} in {:.3f} s: {:.1f} Mbit/s, {}\n", bytes,
                   payload.size() * static_cast<std::size_t>(o.connections), o.connections, o.connections == 1 ? "" : "s",
                   secs, bps / 1e6, intact ? "intact" : "NOT intact");
        if (!first_error.empty()) fmt::print(stderr, "hopsim echo-client: {}\n", first_error);
    }
    return intact ? kExitOk : kExitFailed;
}

}  // namespace

Command add_echo_server(CLI::App& app) {
    auto o = std::make_shared<ServerOptions>();
    auto* cmd = app.add_subcommand("echo-server", "Run the epoll echo server on a loopback address until Ctrl-C");
    cmd->add_option("--bind", o->bind, "Address to listen on (loopback only unless --allow-non-loopback)")->capture_default_str();
    cmd->add_option("--port", o->port, "Port")->check(CLI::Range(1, 65535))->capture_default_str();
    cmd->add_flag("--udp", o->udp, "Echo UDP datagrams instead of TCP");
    cmd->add_option("--max-queue", o->max_queue, "Bytes queued per connection before reading pauses (1 KiB to 1 GiB)")
        ->check(kNotNegative & CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
        ->capture_default_str();
    cmd->add_option("--idle-timeout", o->idle, "Close connections idle this long")->capture_default_str();
    cmd->add_flag("--allow-non-loopback", o->allow, "Allow an address outside 127.0.0.0/8");
    return {cmd, [o] { return run_server(*o); }};
}

Command add_echo_client(CLI::App& app) {
    auto o = std::make_shared<ClientOptions>();
    auto* cmd = app.add_subcommand("echo-client", "Send a payload to an echo server and check every byte that comes back");
    cmd->add_option("target", o->target, "Server address, e.g. 127.0.0.1:7007")->required();
    auto* size = cmd->add_option("--size", o->size, "Send N bytes of a printable pattern (streamed, never held whole)")
                     ->check(kNotNegative);
    auto* text = cmd->add_option("--payload", o->payload, "Send this text");
    auto* file = cmd->add_option("--file", o->file, "Send the contents of this file");
    size->excludes(text)->excludes(file);
    text->excludes(file);
    cmd->add_option("--connections", o->connections, "Concurrent connections, each sending the payload")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--timeout", o->timeout, "Give up after this long")->capture_default_str();
    cmd->add_flag("--json", o->json, "Print one JSON object: bytes, seconds, throughput_bps, intact, connections");
    cmd->add_flag("--allow-non-loopback", o->allow, "Allow a server outside 127.0.0.0/8");
    cmd->footer("Exit status 1 if any byte was lost or changed.");
    return {cmd, [o] { return run_client(*o); }};
}

}  // namespace hopsim::cli
