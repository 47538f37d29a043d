// DNS (RFC 1035 section 4) against bytes laid out by hand, hostile names,
// the dissector's dns layer, and tshark reading a query and its answer.

#include <catch2/catch.hpp>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/dns.hpp"
#include "hopsim/netstack/frame_builder.hpp"
#include "netstack/sample_frames.hpp"
#include "netstack/tshark_read.hpp"

using namespace hopsim::net;
using namespace hopsim::test;

namespace {

DnsMessage query() {
    DnsMessage m;
    m.id = 0xbeef;
    m.questions = {{"www.example.org"}};
    return m;
}

DnsMessage answer() {
    DnsMessage m = query();
    m.response = true;
    m.authoritative = true;
    m.answers = {{"www.example.org", 300, Ipv4Address(10, 0, 2, 80)}};
    return m;
}

std::vector<std::uint8_t> bytes_of(const DnsMessage& m) {
    std::vector<std::uint8_t> out(m.length(), 0xee);
    m.emit(out);
    return out;
}

std::vector<std::uint8_t> dns_frame(const DnsMessage& m) {
    const bool q = !m.response;
    FrameBuilder f(bytes_of(m));
    f.udp({q ? std::uint16_t{40000} : kDnsPort, q ? kDnsPort : std::uint16_t{40000}, 0}, q ? kIpA : kIpB, q ? kIpB : kIpA);
    f.ipv4(ip_header(q ? kIpA : kIpB, q ? kIpB : kIpA, kIpProtoUdp, 1));
    f.ethernet({q ? kMacB : kMacA, q ? kMacA : kMacB, std::nullopt, kEtherTypeIpv4});
    return f.take();
}

}  // namespace

TEST_CASE("DNS: a query and its answer, byte by byte", "[headers][dns]") {
    // RFC 1035 4.1: id, flags (RD), one question; the name as length-prefixed labels.
    const std::vector<std::uint8_t> q = {0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                         3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
                                         0, 1, 0, 1};  // type A, class IN
    CHECK(bytes_of(query()) == q);
    // The answer: QR, AA, RD; the record's name a pointer to offset 12.
    std::vector<std::uint8_t> a = q;
    a[2] = 0x85, a[7] = 1;
    const std::vector<std::uint8_t> record = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, 10, 0, 2, 80};
    a.insert(a.end(), record.begin(), record.end());
    CHECK(bytes_of(answer()) == a);
    auto v = DnsView::parse(a);
    REQUIRE(v);
    CHECK(v->response());
    CHECK(v->rcode() == kDnsNoError);
    CHECK(v->to_message() == answer());
    CHECK(DnsView::parse(q)->to_message() == query());
}

TEST_CASE("DNS: names that cannot be sent are named, with the reason", "[headers][dns]") {
    CHECK(dns_name_problem("www.example.org").empty());
    CHECK(dns_name_problem("") == "the name is empty");
    CHECK(dns_name_problem("www.example.org.") == "write \"www.example.org.\" without the final dot");
    CHECK(dns_name_problem("a..b") == "\"a..b\" has an empty label");
    CHECK(dns_name_problem(std::string(64, 'x') + ".org") == "label \"" + std::string(64, 'x') + "\" is longer than 63 bytes");
    std::string long_name;
    for (int i = 0; i < 64; ++i) long_name += "abc.";
    long_name += "org";
    CHECK(dns_name_problem(long_name) == "the name is longer than 253 characters");
}

TEST_CASE("DNS: hostile bytes are located errors, never a loop", "[headers][dns]") {
    auto a = bytes_of(answer());
    auto loop = a;
    loop[33] = 0xc0, loop[34] = 33;  // the answer's name points at itself
    CHECK(DnsView::parse(loop).error().field == std::string("pointer"));
    auto forward = a;
    forward[34] = 40;  // a pointer forward, past itself
    CHECK(DnsView::parse(forward).error().field == std::string("pointer"));
    auto long_label = a;
    long_label[12] = 60;  // the first label runs past the end
    CHECK(DnsView::parse(long_label).error().reason == ParseReason::Truncated);
    auto rdlength = a;
    rdlength[44] = 9;  // 4 -> 9 bytes of data
    CHECK(DnsView::parse(rdlength).error().field == std::string("rdlength"));
    auto more = a;
    more[7] = 2;  // says two answers, holds one
    CHECK_FALSE(DnsView::parse(more));
    CHECK(DnsView::parse(Bytes(a).first(11)).error().reason == ParseReason::Truncated);
}

TEST_CASE("the dissector shows a dns layer with the answer's address", "[dissector][dns]") {
    const Dissection d = dissect(dns_frame(answer()));
    REQUIRE_FALSE(d.error);
    REQUIRE(d.top().name == std::string("dns"));
    CHECK(d.text("dns", "id") == "0xbeef");
    CHECK(d.text("dns", "response") == "true");
    CHECK(d.value("dns", "answers") == 1u);
    CHECK(d.value("dns", "qtype") == 1u);
    CHECK(d.text("dns", "a") == "10.0.2.80");
    CHECK(d.value("dns", "ttl") == 300u);
    const Dissection q = dissect(dns_frame(query()));
    CHECK(q.find("dns")->find("a") == nullptr);
}

TEST_CASE("tshark reads our query and answer as we built them", "[pcap][tshark][dns]") {
    const auto r = tshark_read({dns_frame(query()), dns_frame(answer())},
                               "-e dns.id -e dns.flags.response -e dns.flags.authoritative -e dns.flags.rcode"
                               " -e dns.qry.name -e dns.qry.type -e dns.resp.name -e dns.resp.ttl -e dns.a"
                               " -e udp.checksum.status");
    check_clean(r);
    // tshark shows the AA flag and the rcode of responses only.
    CHECK(r.fields ==
          "0xbeef;0;;;www.example.org;1;;;;1\n"
          "0xbeef;1;1;0;www.example.org;1;www.example.org;300;10.0.2.80;1\n");
}
