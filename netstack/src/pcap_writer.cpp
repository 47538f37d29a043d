#include "hopsim/netstack/pcap_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace hopsim::net {

namespace {
// pcap headers are in the writer's byte order; readers detect it from the
// magic. We write little-endian explicitly so files are identical everywhere.
void put32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}
}  // namespace

Result<PcapWriter, std::string> PcapWriter::open(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return Unexpected<std::string>{"open " + path + ": " + std::strerror(errno)};
    PcapWriter w(f);
    std::uint8_t h[24];
    put32(h, kMagicNanoseconds);
    put16(h + 4, 2);
    put16(h + 6, 4);
    put32(h + 8, 0);   // thiszone
    put32(h + 12, 0);  // sigfigs
    put32(h + 16, kSnapLen);
    put32(h + 20, kLinkTypeEthernet);
    if (std::fwrite(h, 1, sizeof h, f) != sizeof h) w.fail();
    return w;
}

PcapWriter& PcapWriter::operator=(PcapWriter&& o) noexcept {
    if (this != &o) {
        close();
        f_ = std::exchange(o.f_, nullptr);
        error_ = o.error_;
    }
    return *this;
}

PcapWriter::~PcapWriter() { close(); }

void PcapWriter::write(std::int64_t time_ns, Bytes frame) {
    if (!f_ || error_) return;  // after a failed write the file is cut short anyway
    const auto len = static_cast<std::uint32_t>(std::min<std::size_t>(frame.size(), kSnapLen));
    std::uint8_t h[16];
    put32(h, static_cast<std::uint32_t>(time_ns / 1'000'000'000));
    put32(h + 4, static_cast<std::uint32_t>(time_ns % 1'000'000'000));
    put32(h + 8, len);
    put32(h + 12, static_cast<std::uint32_t>(frame.size()));
    if (std::fwrite(h, 1, sizeof h, f_) != sizeof h || std::fwrite(frame.data(), 1, len, f_) != len) fail();
}

bool PcapWriter::close() {
    if (!f_) return !error_;
    if (std::fclose(f_) != 0) fail();
    f_ = nullptr;
    return !error_;
}

}  // namespace hopsim::net
