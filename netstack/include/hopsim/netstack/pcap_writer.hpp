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

    PcapWriter(PcapWriter&& o) noexcept : f_(o.f_), error_(o.error_) { o.f_ = nullptr; }
    PcapWriter& operator=(PcapWriter&& o) noexcept;
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;
    ~PcapWriter();

    // One record; time in nanoseconds since the start of the simulation.
    void write(std::int64_t time_ns, Bytes frame);
    // Flushes and closes; false if any write failed (error() says why).
    bool close();
    // The errno of the first failed write, flush or close; 0 if none failed.
    int error() const { return error_; }

private:
    explicit PcapWriter(std::FILE* f) : f_(f) {}
    void fail() {
        if (!error_) error_ = errno ? errno : EIO;
    }
    std::FILE* f_ = nullptr;
    int error_ = 0;
};

}  // namespace hopsim::net
