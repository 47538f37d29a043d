#include "transports.hpp"

namespace hopsim::ipc {

std::unique_ptr<Transport> make_transport(TransportKind k, const TransportSettings& s) {
    switch (k) {
        case TransportKind::Pipe: return make_pipe(s);
        case TransportKind::Fifo: return make_fifo(s);
        case TransportKind::UnixStream: return make_unix_stream(s);
        case TransportKind::UnixDgram: return make_unix_dgram(s);
        case TransportKind::Shm: return make_shm(s);
        case TransportKind::Zmq: return make_zmq(s);
        case TransportKind::Tcp: return make_tcp(s);
        case TransportKind::Udp: return make_udp(s);
    }
    return nullptr;
}

}  // namespace hopsim::ipc
