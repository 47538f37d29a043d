#include <algorithm>

#include "hopsim/ipc/transport.hpp"

namespace hopsim::ipc {

std::string_view transport_name(TransportKind k) {
    switch (k) {
        case TransportKind::Pipe: return "pipe";
        case TransportKind::Fifo: return "fifo";
        case TransportKind::UnixStream: return "unix-stream";
        case TransportKind::UnixDgram: return "unix-dgram";
        case TransportKind::Shm: return "shm";
        case TransportKind::Zmq: return "zmq";
        case TransportKind::Tcp: return "tcp";
        case TransportKind::Udp: return "udp";
    }
    return "?";
}

std::optional<TransportKind> parse_transport(std::string_view name) {
    for (TransportKind k : kAllTransports)
        if (transport_name(k) == name) return k;
    return std::nullopt;
}

std::size_t max_message_size(TransportKind k) {
    switch (k) {
        case TransportKind::Udp: return 65507;  // 65,535 less the IPv4 and UDP headers
        default: return std::size_t{1} << 20;   // the shared-memory ring's half (2 MiB data area)
    }
}

}  // namespace hopsim::ipc
