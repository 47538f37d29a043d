#pragma once
// Thin, checked wrappers over the socket calls the real backend makes. Every
// socket is nonblocking and close-on-exec; every error names the call and the
// address. SIGPIPE is avoided per call with MSG_NOSIGNAL.

#include <cstddef>
#include <cstdint>
#include <span>

#include "hopsim/netstack/socket/address.hpp"
#include "hopsim/netstack/socket/fd.hpp"

namespace hopsim::net::sock {

SysResult<Fd> tcp_listen(const SocketAddress& at, int backlog = 4096);
SysResult<Fd> udp_bind(const SocketAddress& at);
// Asks for a receive buffer of `bytes` (beyond net.core.rmem_max where the
// process may: SO_RCVBUFFORCE); returns what the kernel granted.
int set_receive_buffer(int fd, int bytes);
// The kernel's count of UDP datagrams dropped for a full socket receive
// buffer (RcvbufErrors in /proc/net/snmp), or -1 if it cannot be read.
long long udp_receive_buffer_errors();
// Starts a nonblocking connect from `from` (port 0: any) to `to`.
SysResult<Fd> tcp_connect(const SocketAddress& from, const SocketAddress& to);
SocketAddress local_address(int fd);

// Raises the open-file limit to its hard maximum (many connections in one process).
void raise_fd_limit();

// What the kernel counts for a TCP socket (TCP_INFO): every segment out and
// in (handshake and pure ACKs included), the data-carrying segments sent
// (retransmissions included), and the retransmitted ones.
struct TcpCounters {
    std::uint32_t segs_out = 0, segs_in = 0, total_retrans = 0, data_segs_out = 0;
};
TcpCounters tcp_counters(int fd);

}  // namespace hopsim::net::sock
