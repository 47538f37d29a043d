// Sizes and paths as a student types them.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "hopsim/ipc/byte_size.hpp"
#include "hopsim/ipc/paths.hpp"

using namespace hopsim::ipc;

namespace {

// Sets HOME for one test, and puts it back.
class HomeAs {
public:
    explicit HomeAs(const char* value) {
        if (const char* h = std::getenv("HOME")) saved_ = h;
        if (value)
            ::setenv("HOME", value, 1);
        else
            ::unsetenv("HOME");
    }
    ~HomeAs() {
        if (saved_)
            ::setenv("HOME", saved_->c_str(), 1);
        else
            ::unsetenv("HOME");
    }

private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("sizes are bytes, binary or decimal multiples", "[ipc]") {
    CHECK(*parse_byte_size("4096") == 4096);
    CHECK(*parse_byte_size("64KiB") == 65536);
    CHECK(*parse_byte_size("1GiB") == 1073741824);
    CHECK(*parse_byte_size("1.5MB") == 1500000);
    CHECK(*parse_byte_size("2 MiB") == 2097152);
    CHECK_THAT(parse_byte_size("12QB").error(), Catch::Contains("unknown unit \"QB\""));
    CHECK_FALSE(parse_byte_size("-1"));
    CHECK_FALSE(parse_byte_size("1.5B"));
    CHECK_FALSE(parse_byte_size(""));
    CHECK(format_bytes(512) == "512 B");
    CHECK(format_bytes(32768) == "32 KiB");
    CHECK(format_bytes(1572864) == "1.50 MiB");
    CHECK(format_bytes(std::uint64_t{1} << 30) == "1 GiB");
}

TEST_CASE("a ~ is expanded as the shell would, and says so", "[ipc]") {
    {
        HomeAs home("/home/student");
        auto p = expand_tilde("~/my_pipe");
        REQUIRE(p);
        CHECK(p->path == "/home/student/my_pipe");
        CHECK_THAT(p->note, Catch::Contains("open(2) does not"));
        CHECK(expand_tilde("~")->path == "/home/student");
        auto plain = expand_tilde("/tmp/my_pipe");
        CHECK(plain->path == "/tmp/my_pipe");
        CHECK(plain->note.empty());
    }
    {
        HomeAs none(nullptr);
        auto p = expand_tilde("~/my_pipe");
        REQUIRE_FALSE(p);
        CHECK_THAT(p.error(), Catch::Contains("HOME is not set"));
    }
    // Debian's /etc/passwd gives root the home /root.
    CHECK(expand_tilde("~root/x")->path == "/root/x");
    CHECK_THAT(expand_tilde("~no_such_user_here/x").error(), Catch::Contains("no user no_such_user_here"));
}
