// hopsim real and compare over the bundled scenarios: lossless flows agree
// byte for byte with the kernel; lossy ones differ and say why.

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

using namespace hopsim::test;
using Json = nlohmann::json;

namespace {
std::string scenario(const std::string& name) { return std::string(HOPSIM_SOURCE_DIR) + "/scenarios/" + name + ".json"; }
}  // namespace

TEST_CASE("compare: every TCP/UDP flow of every scenario agrees unless the scenario is lossy", "[real]") {
    int compared = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(HOPSIM_SOURCE_DIR) + "/scenarios")) {
        if (e.path().extension() != ".json" || e.path().filename() == "scenario.schema.json") continue;
        const std::string name = e.path().stem().string();
        auto r = run_command(std::string(HOPSIM_BINARY) + " compare --json " + quote(e.path().string()) + " 2>/dev/null");
        INFO(name << "\n" << r.out);
        REQUIRE(r.status == 0);
        const Json j = Json::parse(r.out);
        CHECK(j["scenario"] == name);
        for (const Json& f : j["flows"]) {
            // The two sides carry the same fields, in the same order.
            std::vector<std::string> sim_keys, real_keys;
            for (const auto& [k, v] : f["sim"].items()) sim_keys.push_back(k);
            for (const auto& [k, v] : f["real"].items()) real_keys.push_back(k);
            if (f["sim"].contains("failure") == f["real"].contains("failure")) CHECK(sim_keys == real_keys);
            if (f["agree"].is_null()) {  // not replayable (ping, frame, traceroute)
                CHECK(f["replayed"] == false);
                continue;
            }
            ++compared;
            if (f["agree"] == false) CHECK(f["by_design"] == true);
            if (f["agree"] == true && f["sim"]["intact"] == true) {
                CHECK(f["real"]["delivered_bytes"] == f["sim"]["delivered_bytes"]);
                CHECK(f["real"]["intact"] == true);
            }
        }
    }
    CHECK(compared >= 6);
}

TEST_CASE("compare 12-tcp-handshake: the echo agrees byte for byte, the closed port fails alike", "[real]") {
    auto r = run_command(std::string(HOPSIM_BINARY) + " compare --json " + quote(scenario("12-tcp-handshake")));
    REQUIRE(r.status == 0);
    const Json j = Json::parse(r.out);
    CHECK(j["flows"][0]["agree"] == true);
    CHECK(j["flows"][0]["real"]["delivered_bytes"] == 3000);
    CHECK(j["flows"][0]["real"]["echoed_bytes"] == 3000);
    // Counts with one meaning on both sides: data segments first sent (one
    // on loopback, whose 65,483-byte MSS carries the 3000 bytes at once;
    // three of at most 1460 in the simulation), and every segment the
    // connecting socket sent, handshake and ACKs included (the kernel's
    // tcpi_segs_out): more than the data segments on both sides.
    const Json& sim = j["flows"][0]["sim"];
    const Json& real = j["flows"][0]["real"];
    CHECK(sim["sent_packets"] == 3);
    CHECK(real["sent_packets"] == 1);
    CHECK(sim["segments_sent"].get<int>() > sim["sent_packets"].get<int>() + 2);  // + SYN, ACK, FIN at least
    CHECK(real["segments_sent"].get<int>() > real["sent_packets"].get<int>() + 2);
    CHECK(j["flows"][1]["agree"] == true);
    CHECK(j["flows"][1]["real_note"].get<std::string>().find("Connection refused") != std::string::npos);
    CHECK(j["flows"][1]["sim"]["failure"] == "connection refused");
    CHECK(j["flows"][1]["real"]["failure"] == "connection refused");
}

TEST_CASE("compare 14: UDP differs by design (lossy path), TCP agrees", "[real]") {
    auto r = run_command(std::string(HOPSIM_BINARY) + " compare --json " + quote(scenario("14-udp-vs-tcp-loss")));
    REQUIRE(r.status == 0);
    const Json j = Json::parse(r.out);
    CHECK(j["flows"][0]["agree"] == false);
    CHECK(j["flows"][0]["by_design"] == true);
    CHECK(j["flows"][0]["reason"].get<std::string>().find("9 loss at B") != std::string::npos);  // its own 9 of 100
    CHECK(j["flows"][0]["real"]["delivered_bytes"] == 100000);  // loopback loses nothing
    CHECK(j["flows"][1]["agree"] == true);
}

TEST_CASE("real writes a summary with the same flow fields as run", "[real]") {
    TempDir dir("real");
    auto real = run_command(std::string(HOPSIM_BINARY) + " real " + quote(scenario("08-router-chain")) + " --summary " +
                            quote(dir.file("real.json")) + " 2>&1");
    REQUIRE(real.status == 0);
    auto sim = run_command(std::string(HOPSIM_BINARY) + " run -q " + quote(scenario("08-router-chain")) + " --summary " +
                           quote(dir.file("sim.json")) + " 2>&1");
    REQUIRE(sim.status == 0);
    const Json a = Json::parse(read_file(dir.file("real.json"))), b = Json::parse(read_file(dir.file("sim.json")));
    for (const auto& [key, value] : b["flows"][0].items()) CHECK(a["flows"][0].contains(key));
    CHECK(a["flows"][0]["delivered_bytes"] == b["flows"][0]["delivered_bytes"]);
    CHECK(a["nodes"]["A"]["address"] == "127.0.1.1");
}
