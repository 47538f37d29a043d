#pragma once
// A channel over file descriptors: pipes and FIFOs (one fd each way) or a
// socket (one fd both ways). The fds are nonblocking and every wait is a
// poll(2) bounded by the idle timeout.

#include <chrono>

#include "hopsim/ipc/channel.hpp"
#include "hopsim/netstack/socket/fd.hpp"

namespace hopsim::ipc {

enum class FinishBy {
    CloseWrite,    // pipe, FIFO: the reader sees EOF once every write end is closed
    ShutdownWrite, // stream socket: shutdown(SHUT_WR) sends the FIN
    EmptyMessage,  // datagram socket: a zero-length datagram ends the stream
};

class FdChannel final : public Channel {
public:
    // `what` names the transport in errors ("the FIFO"). For a socket pass the
    // same fd as `in` and an empty `out`.
    FdChannel(net::sock::Fd in, net::sock::Fd out, FinishBy finish, std::chrono::milliseconds idle, std::string what);
    bool keeps_message_boundaries() const override { return finish_ == FinishBy::EmptyMessage; }
    Error send(net::Bytes data) override;
    Result<std::size_t, Error> recv(std::span<std::uint8_t> buf) override;
    Error finish() override;

private:
    int write_fd() const { return out_ ? out_.get() : in_.get(); }
    // Waits for `events` on fd; an error when the idle timeout passes first.
    Error wait(int fd, short events, const char* doing);

    net::sock::Fd in_, out_;
    FinishBy finish_;
    std::chrono::milliseconds idle_;
    std::string what_;
    bool socket_;
};

// Sets O_NONBLOCK (FIFOs are opened blocking, as the course does, then switched).
Error set_nonblocking(int fd, const std::string& what);

}  // namespace hopsim::ipc
