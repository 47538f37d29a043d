#pragma once
// Classic libpcap files (not pcapng): nanosecond-resolution magic 0xa1b23c4d,
// version 2.4, link type 1 (Ethernet, frames without FCS). One writer class for
// every link; writes are buffered by stdio.

#include <cstdint>
#include <cstdio>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::net {

class PcapWriter {
public:
    static constexpr std::uint32_t kMagicNanoseconds = 0xa1b23c4d;
    static constexpr std::uint32_t kLinkTypeEthernet = 1;
    static constexpr std::uint32_t kSnapLen = 262144;

    // Creates (truncates) the file and writes the global header. The error
    // says what was attempted: "open out/a.pcap: Permission denied".
    static Result<PcapWriter, std::string> open(const std::string& path);

    PcapWriter(PcapWriter&& o) noexcept : f_(o.f_) { o.f_ = nullptr; }
    PcapWriter& operator=(PcapWriter&& o) noexcept;
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;
    ~PcapWriter();

    // One record; time in nanoseconds since the start of the simulation.
    void write(std::int64_t time_ns, Bytes frame);
    // Flushes and closes; false (with errno set) if any write failed.
    bool close();

private:
    explicit PcapWriter(std::FILE* f) : f_(f) {}
    std::FILE* f_ = nullptr;
    bool failed_ = false;
};

}  // namespace hopsim::net
