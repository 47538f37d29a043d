#pragma once
// One maker per transport file; make_transport picks among them.

#include <memory>

#include "hopsim/ipc/transport.hpp"

namespace hopsim::ipc {

std::unique_ptr<Transport> make_pipe(const TransportSettings& s);
std::unique_ptr<Transport> make_fifo(const TransportSettings& s);
std::unique_ptr<Transport> make_unix_stream(const TransportSettings& s);
std::unique_ptr<Transport> make_unix_dgram(const TransportSettings& s);
std::unique_ptr<Transport> make_tcp(const TransportSettings& s);
std::unique_ptr<Transport> make_udp(const TransportSettings& s);
std::unique_ptr<Transport> make_shm(const TransportSettings& s);
std::unique_ptr<Transport> make_zmq(const TransportSettings& s);

}  // namespace hopsim::ipc
