#pragma once
// The eight ways `hopsim ipc` moves bytes between two processes on one
// machine, and what each needs before and after the fork: the parent
// prepares (pipes, FIFO paths, a listening socket, a shared-memory segment),
// each child opens its own end and closes the other's, and the parent drops
// its copies so that end-of-stream can happen at all.

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hopsim/ipc/channel.hpp"

namespace hopsim::ipc {

enum class TransportKind { Pipe, Fifo, UnixStream, UnixDgram, Shm, Zmq, Tcp, Udp };
inline constexpr std::array kAllTransports = {TransportKind::Pipe,      TransportKind::Fifo, TransportKind::UnixStream,
                                              TransportKind::UnixDgram, TransportKind::Shm,  TransportKind::Zmq,
                                              TransportKind::Tcp,       TransportKind::Udp};

std::string_view transport_name(TransportKind k);  // "unix-stream"
std::optional<TransportKind> parse_transport(std::string_view name);
// The largest message a transport carries (UDP: 65,507 bytes in one IPv4 datagram).
std::size_t max_message_size(TransportKind k);

enum class Role { Producer, Consumer };
// Bulk: producer -> consumer, checked byte by byte. RoundTrip: the consumer
// echoes each small message back (ZeroMQ switches PUSH/PULL for REQ/REP).
enum class Workload { Bulk, RoundTrip };

struct TransportSettings {
    std::string dir;                    // an existing private directory for FIFOs and socket files
    std::size_t message_size = 32768;  // the largest message either side sends
    std::chrono::milliseconds idle_timeout{5000};
    Workload workload = Workload::Bulk;
};

class Transport {
public:
    virtual ~Transport() = default;  // removes what prepare() made in the file system
    // In the parent, before forking.
    [[nodiscard]] virtual Error prepare() = 0;
    // In a child, after the fork: its own end, with the other side's closed.
    virtual Result<std::unique_ptr<Channel>, Error> open(Role role) = 0;
    // In the parent, once both children run: a write end the parent kept
    // would keep the consumer from ever seeing end-of-file.
    virtual void release_parent_copies() {}
    // In the parent, when a child died: shared memory has no kernel to tell
    // the survivor, so the parent marks the segment broken and wakes it.
    virtual void peer_died(Role /*who*/) {}
};

std::unique_ptr<Transport> make_transport(TransportKind k, const TransportSettings& s);

}  // namespace hopsim::ipc
