#pragma once
// One process's end of a local IPC transport, as the producer and the
// consumer use it. Every wait is bounded by the idle timeout, so a peer that
// dies or stalls becomes an error that says so, never a hang.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::ipc {

// Errors are sentences naming the call: "write to the pipe: Broken pipe (EPIPE):
// the consumer went away".
using Error = std::string;

class Channel {
public:
    virtual ~Channel() = default;
    // Message transports deliver what one send() sent as one recv(); stream
    // transports (pipe, FIFO, unix-stream, TCP) may split or join them.
    virtual bool keeps_message_boundaries() const = 0;
    // Sends all of `data`, looping over partial writes and waiting out a
    // full buffer (backpressure). Empty `data` is not allowed: see finish().
    [[nodiscard]] virtual Error send(net::Bytes data) = 0;
    // One message, or for a stream whatever has arrived (at most buf.size()).
    // 0 means the peer finished: EOF, or the empty end-of-stream message.
    virtual Result<std::size_t, Error> recv(std::span<std::uint8_t> buf) = 0;
    // Tells the peer nothing more comes: close or shutdown the write side,
    // or send the empty message a message transport ends with.
    [[nodiscard]] virtual Error finish() = 0;
};

}  // namespace hopsim::ipc
