#include "hopsim/netstack/pcap_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace hopsim::net {

Result<std::vector<PcapRecord>, std::string> read_pcap(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Unexpected<std::string>{"open " + path + ": " + std::strerror(errno)};
    const std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (file.size() < 24) return Unexpected<std::string>{path + ": " + std::to_string(file.size()) + " bytes, too short for a pcap header"};
    auto le32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(file[at]) | static_cast<std::uint32_t>(file[at + 1]) << 8 |
               static_cast<std::uint32_t>(file[at + 2]) << 16 | static_cast<std::uint32_t>(file[at + 3]) << 24;
    };
    const std::uint32_t magic = le32(0);
    const bool swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    const bool nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    if (!swapped && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
        return Unexpected<std::string>{path + ": not a classic pcap file (magic " + std::to_string(magic) + ")"};
    auto u32 = [&](std::size_t at) {
        const std::uint32_t v = le32(at);
        return swapped ? __builtin_bswap32(v) : v;
    };
    if (u32(20) != 1) return Unexpected<std::string>{path + ": link type " + std::to_string(u32(20)) + " is not Ethernet"};
    std::vector<PcapRecord> records;
    for (std::size_t at = 24; at < file.size();) {
        if (file.size() - at < 16)
            return Unexpected<std::string>{path + ": record " + std::to_string(records.size() + 1) + " header cut short at byte " + std::to_string(at)};
        const std::uint32_t len = u32(at + 8);
        if (len > file.size() - at - 16)
            return Unexpected<std::string>{path + ": record " + std::to_string(records.size() + 1) + " claims " + std::to_string(len) + " bytes, the file ends first"};
        PcapRecord r;
        r.time_ns = static_cast<std::int64_t>(u32(at)) * 1'000'000'000 + static_cast<std::int64_t>(u32(at + 4)) * (nanos ? 1 : 1000);
        r.bytes.assign(file.begin() + static_cast<long>(at + 16), file.begin() + static_cast<long>(at + 16 + len));
        records.push_back(std::move(r));
        at += 16 + len;
    }
    return records;
}

}  // namespace hopsim::net
