// tshark is the outside judge of our wire formats: it must read a pcap of every
// header kind without a malformed packet or a bad checksum, and report the
// field values we built.

#include <catch2/catch.hpp>

#include "hopsim/netstack/pcap_writer.hpp"
#include "netstack/sample_frames.hpp"
#include "support/process.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

TEST_CASE("the pcap file header is classic, nanosecond, Ethernet", "[pcap]") {
    TempDir dir("pcap");
    {
        auto w = PcapWriter::open(dir.file("a.pcap"));
        REQUIRE(w);
        w->write(1'500'000'123, udp_frame("x"));
        REQUIRE(w->close());
    }
    const std::string b = read_file(dir.file("a.pcap"));
    REQUIRE(b.size() == 24 + 16 + 60);
    auto u32 = [&](std::size_t at) {
        return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
               std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
    };
    CHECK(u32(0) == 0xa1b23c4d);
    CHECK(u32(20) == 1);          // LINKTYPE_ETHERNET
    CHECK(u32(24) == 1);          // seconds
    CHECK(u32(28) == 500000123);  // nanoseconds
    CHECK(u32(32) == 60);
    CHECK(u32(36) == 60);
}

TEST_CASE("opening a pcap in a missing directory says what was attempted", "[pcap]") {
    auto w = PcapWriter::open("/nonexistent-dir/x.pcap");
    REQUIRE_FALSE(w);
    CHECK(w.error() == "open /nonexistent-dir/x.pcap: No such file or directory");
}

TEST_CASE("tshark reads every sample frame without a warning and agrees on the fields", "[pcap][tshark]") {
    TempDir dir("tshark");
    const std::string path = dir.file("samples.pcap");
    const auto frames = sample_frames();
    {
        auto w = PcapWriter::open(path);
        REQUIRE(w);
        std::int64_t t = 0;
        for (const Frame& f : frames) w->write(t += 1000, f);
        REQUIRE(w->close());
    }
    const std::string opts =
        " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE ";

    auto verbose = run_command("tshark -r " + quote(path) + opts + " -V 2>&1");
    REQUIRE(verbose.status == 0);
    INFO(verbose.out);
    CHECK(verbose.out.find("Malformed") == std::string::npos);
    CHECK(verbose.out.find("Bad]") == std::string::npos);        // [Checksum Status: Bad]
    CHECK(verbose.out.find("incorrect") == std::string::npos);   // "checksum ... incorrect"
    CHECK(verbose.out.find("(Warning/") == std::string::npos);   // expert info severity
    CHECK(verbose.out.find("(Error/") == std::string::npos);

    // One line per frame, fields in a fixed order, checked against what we built.
    auto fields = run_command(
        "tshark -r " + quote(path) + opts +
        " -T fields -E separator=';' -e frame.len -e eth.src -e eth.dst -e arp.opcode -e ip.src -e ip.dst"
        " -e ip.ttl -e ip.checksum.status -e icmp.type -e icmp.seq -e icmp.checksum.status -e udp.dstport"
        " -e udp.checksum.status -e tcp.flags.str -e tcp.options.mss_val -e tcp.options.wscale.shift"
        " -e tcp.checksum.status -e tcp.len 2>/dev/null");
    REQUIRE(fields.status == 0);
    INFO(fields.out);
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = fields.out.find('\n', start)) != std::string::npos; start = nl + 1)
        lines.push_back(fields.out.substr(start, nl - start));
    REQUIRE(lines.size() == frames.size());
    // Status 1 = "Good" (Wireshark's PROTO_CHECKSUM_E_GOOD).
    CHECK(lines[0] == "60;02:00:00:00:00:0a;ff:ff:ff:ff:ff:ff;1;;;;;;;;;;;;;;");
    CHECK(lines[1] == "60;02:00:00:00:00:0b;02:00:00:00:00:0a;2;;;;;;;;;;;;;;");
    CHECK(lines[2] == "98;02:00:00:00:00:0a;02:00:00:00:00:0b;;10.0.0.1;10.0.0.2;64;1;8;1;1;;;;;;;");
    CHECK(lines[3] == "98;02:00:00:00:00:0b;02:00:00:00:00:0a;;10.0.0.2;10.0.0.1;64;1;0;1;1;;;;;;;");
    CHECK(lines[4] == "60;02:00:00:00:00:0a;02:00:00:00:00:0b;;10.0.0.1;10.0.0.2;64;1;;;;9;1;;;;;");
    // ICMP time exceeded: tshark also dissects the quoted header, so ip.* repeat.
    CHECK(lines[5].rfind("70;02:00:00:00:00:fe;02:00:00:00:00:0a;;10.0.0.254,10.0.0.1;10.0.0.1,10.0.0.2;64,1;", 0) == 0);
    CHECK(lines[5].find(";11;") != std::string::npos);
    CHECK(lines[6].find(";1460;7;1;0") != std::string::npos);
    CHECK(lines[6].find("\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7\xc2\xb7S\xc2\xb7") != std::string::npos);
    CHECK(lines[9].rfind("66;", 0) == 0);  // 14 + 20 + 20 + 12 bytes of data, no padding
    CHECK(lines[9].find(";1;12") != std::string::npos);
}
