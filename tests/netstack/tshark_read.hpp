#pragma once
// Frames into a pcap, and tshark's reading of it: the verbose dissection
// (for "no malformed packet, no warning") and one line of fields per frame.
// Checksums are verified, so a wrong one shows as status 2 or "Bad".

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hopsim/netstack/pcap_writer.hpp"
#include "support/process.hpp"

namespace hopsim::test {

struct TsharkRead {
    std::string verbose;  // tshark -V
    std::string fields;   // tshark -T fields -E separator=';' with the fields asked for
};

inline TsharkRead tshark_read(const std::vector<std::vector<std::uint8_t>>& frames, const std::string& fields) {
    TempDir dir("tshark-read");
    const std::string path = dir.file("frames.pcap");
    {
        auto w = net::PcapWriter::open(path);
        REQUIRE(w);
        std::int64_t t = 0;
        for (const auto& f : frames) w->write(t += 1000, f);
        REQUIRE(w->close());
    }
    const std::string cmd = "tshark -r " + quote(path) + " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE";
    auto verbose = run_command(cmd + " -V 2>&1");
    auto values = run_command(cmd + " -T fields -E separator=';' " + fields + " 2>/dev/null");
    REQUIRE(verbose.status == 0);
    REQUIRE(values.status == 0);
    return {verbose.out, values.out};
}

// What every frame we build must pass in tshark's eyes.
inline void check_clean(const TsharkRead& r) {
    INFO(r.verbose);
    CHECK(r.verbose.find("Malformed") == std::string::npos);
    CHECK(r.verbose.find("(Warning/") == std::string::npos);
    CHECK(r.verbose.find("(Error/") == std::string::npos);
}

}  // namespace hopsim::test
