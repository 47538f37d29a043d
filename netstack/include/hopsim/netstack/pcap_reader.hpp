#pragma once
// Reading classic pcap files back (the simulator's and hopsim kernel's
// captures, or tcpdump's): either byte order, microsecond or nanosecond
// timestamps. A damaged file is an error that says where, never a crash.

#include <cstdint>
#include <string>
#include <vector>

#include "hopsim/netstack/result.hpp"

namespace hopsim::net {

struct PcapRecord {
    std::int64_t time_ns = 0;
    std::vector<std::uint8_t> bytes;  // as captured (the snap length may have cut it)
};

// Every record of an Ethernet pcap file.
Result<std::vector<PcapRecord>, std::string> read_pcap(const std::string& path);

}  // namespace hopsim::net
