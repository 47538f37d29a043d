// hopsim ipc as a student runs it: the table, the JSON, the exit statuses,
// the demo bugs, and 1 GiB through every transport.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/process.hpp"
#include "support/sanitizers.hpp"

using hopsim::test::run_command;

namespace {

hopsim::test::CommandResult ipc(const std::string& args) {
    return run_command(std::string(HOPSIM_BINARY) + " ipc " + args + " 2>&1");
}

nlohmann::json ipc_json(const std::string& args) {
    auto r = run_command(std::string(HOPSIM_BINARY) + " ipc " + args + " --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("hopsim ipc prints one table with every transport", "[ipc][cli]") {
    auto r = ipc("--transport all --size 4MiB --round-trips 100");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("4 MiB in messages of 32 KiB, then 100 round trips of 64 B"));
    CHECK_THAT(r.out, Catch::Contains("transport"));
    for (const char* t : {"pipe", "fifo", "unix-stream", "unix-dgram", "shm", "zmq", "tcp", "udp"})
        CHECK_THAT(r.out, Catch::Matches("(.|\n)*\n" + std::string(t) + " +4 MiB +yes(.|\n)*"));
}

TEST_CASE("hopsim ipc --json reports each transport's figures", "[ipc][cli]") {
    const auto j = ipc_json("--transport all --messages 100 --message-size 1000 --round-trips 50");
    CHECK(j["bytes"] == 100000);
    REQUIRE(j["transports"].size() == 8);
    CHECK(j["transports"][0]["transport"] == "pipe");
    CHECK(j["transports"][7]["transport"] == "udp");
    for (const auto& t : j["transports"]) {
        INFO(t.dump());
        CHECK(t["intact"] == true);
        CHECK(t["bytes_checked"] == 100000);
        CHECK(t["messages_sent"] == 100);
        CHECK(t["round_trip"]["count"] == 50);
        CHECK(t["producer"]["ended"] == "exited 0");
        CHECK(t["consumer"]["cpu_seconds"].get<double>() >= 0);
    }
    const auto text = ipc_json("--transport unix-dgram --payload 'hello, consumer' --round-trips 0");
    CHECK(text["transports"][0]["bytes_checked"] == 15);
    CHECK(text["transports"][0]["round_trip"].is_null());
}

TEST_CASE("every transport moves 1 GiB intact", "[ipc][cli]") {
    const auto j = ipc_json("--transport all --size 1GiB --round-trips 1000");
    for (const auto& t : j["transports"]) {
        INFO(t["transport"]);
        CHECK(t["intact"] == true);
        CHECK(t["bytes_checked"] == 1073741824);
        CHECK(t["messages_sent"] == 32768);
    }
}

TEST_CASE("a slow consumer costs the producer no memory beyond the buffers", "[ipc][cli]") {
    // A fresh process sending a pattern it never holds whole: a producer
    // that buffered the stream would need 16 MiB more than this.
    const auto j = ipc_json("--transport all --size 16MiB --fault slow-consumer --fault-delay 1ms");
    for (const auto& t : j["transports"]) {
        INFO(t.dump());
        CHECK(t["intact"] == true);
        if (!hopsim::test::kSanitized)  // ASan's shadow memory is larger
            CHECK(t["producer"]["max_rss_kib"].get<long>() < 12 * 1024);
    }
}

TEST_CASE("Ctrl-C stops both sides, cleans up and reports what was measured", "[ipc][cli]") {
    hopsim::test::TempDir dir("ipc-int");
    const std::string d = dir.path().string();
    // A stream far too long to finish: SIGINT to the parent alone after a second.
    auto r = run_command("(" + std::string(HOPSIM_BINARY) + " ipc -t fifo --size 1TiB --dir " + d +
                         " > " + d + "/out.txt 2>&1 & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo status $?)");
    const std::string out = hopsim::test::read_file(d + "/out.txt");
    INFO(out);
    CHECK_THAT(r.out, Catch::Contains("status 130"));
    CHECK_THAT(out, Catch::Contains("interrupted"));
    CHECK_THAT(out, Catch::Contains("fifo"));
    // Only out.txt is left: the run's directory and its FIFOs are gone.
    CHECK(std::filesystem::directory_iterator(d)->path().filename() == "out.txt");
    CHECK(std::distance(std::filesystem::directory_iterator(d), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("hopsim ipc refuses bad options with exit status 2 and says why", "[ipc][cli]") {
    const std::pair<const char*, const char*> cases[] = {
        {"--transport carrier-pigeon", "no transport \"carrier-pigeon\""},
        {"--size 12QB", "unknown unit \"QB\""},
        {"-t udp --message-size 65508", "udp carries 1 to 65507 bytes per message, not 65508"},
        {"--message-size 64KiB", "udp carries 1 to 65507 bytes per message, not 65536"},
        {"--message-size 0", "pipe carries 1 to 1048576 bytes per message, not 0"},
        {"--demo-bug segfault", "no demo \"segfault\""},
        {"--fault gremlins", "no fault \"gremlins\""},
        {"--dir /no/such/dir", "/no/such/dir is not a directory we can write in"},
        {"--size 1MiB --payload x", "excludes"},
        {"--idle-timeout 5", "unit missing"},
    };
    for (auto [args, message] : cases) {
        auto r = ipc(args);
        INFO(args << "\n" << r.out);
        CHECK(r.status == 2);
        CHECK_THAT(r.out, Catch::Contains(message));
    }
}

TEST_CASE("a corrupted byte fails the run with exit status 1", "[ipc][cli]") {
    auto r = ipc("-t tcp --size 1MiB --fault corrupt-byte --fault-after 100");
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("tcp: consumer: byte 100 differs"));
}

TEST_CASE("a ~ in the directory option is expanded, and the run says so", "[ipc][cli]") {
    hopsim::test::TempDir home("ipc-home");
    auto r = run_command("HOME=" + home.path().string() + " " + HOPSIM_BINARY + " ipc -t fifo --size 64KiB --dir '~' 2>&1");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("expanded ~ to " + home.path().string()));
}

TEST_CASE("the demo bugs fail the way docs/ipc.md says", "[ipc][cli]") {
    const auto pipe = ipc_json("--demo-bug pipe-unclosed");
    CHECK(pipe["failed_as_documented"] == true);
    CHECK(pipe["bug"]["bytes_read"] == pipe["bytes_written"]);
    CHECK(pipe["bug"]["eof"] == false);
    CHECK(pipe["bug"]["waited_ms"].get<double>() >= 1900);
    CHECK(pipe["fix"]["eof"] == true);
    CHECK(pipe["fix"]["waited_ms"].get<double>() < 500);

    const auto fifo = ipc_json("--demo-bug fifo-tilde");
    CHECK(fifo["failed_as_documented"] == true);
    CHECK(fifo["mkfifo_error"] == "ENOENT");
    CHECK(fifo["open_error"] == "ENOENT");
    CHECK(fifo["fixed_delivered"] == true);
    CHECK(fifo["o_creat_made_regular_file"] == true);

    const auto shm = ipc_json("--demo-bug shm-counter");
    CHECK(shm["failed_as_documented"] == true);
    CHECK(shm["bug"]["lost"].get<long>() + shm["bug"]["torn"].get<long>() > 0);
    CHECK(shm["bug"]["consumer_cpu_seconds"].get<double>() >= 0.25);  // it spun through the 0.5 s pause
    CHECK(shm["fix"]["intact"] == true);
    // Through the same 0.5 s without messages, the ring's consumer sleeps.
    CHECK(shm["fix"]["idle_consumer_cpu_seconds"].get<double>() >= 0);
    CHECK(shm["fix"]["idle_consumer_cpu_seconds"].get<double>() < 0.05);

    auto text = ipc("--demo-bug fifo-tilde");
    CHECK_THAT(text.out, Catch::Contains("No such file or directory (ENOENT)"));
}
