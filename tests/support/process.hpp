#pragma once
// Runs a shell command for a test and captures what it printed.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace hopsim::test {

struct CommandResult {
    int status = -1;   // exit status, or -1 if it did not exit normally
    std::string out;   // stdout (and stderr when merged with 2>&1 in the command)
};

inline CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// A fresh directory under the system temp dir, removed when the test ends.
class TempDir {
public:
    explicit TempDir(const std::string& tag) {
        std::string tmpl = (std::filesystem::temp_directory_path() / ("hopsim-" + tag + "-XXXXXX")).string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace hopsim::test
