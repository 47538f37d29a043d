#include "ffmpeg_pipe.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

extern char** environ;

namespace hopsim::cli {

std::string FfmpegPipe::start(int width, int height, int fps, const std::string& out) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return fmt::format("pipe: {}", std::strerror(errno));
    // A write after ffmpeg exits must fail with EPIPE, not kill us.
    std::signal(SIGPIPE, SIG_IGN);
    const std::string size = fmt::format("{}x{}", width, height), rate = std::to_string(fps);
    const std::vector<std::string> args{"ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgba",
                                        "-s", size, "-r", rate, "-i", "-", "-vf",
                                        "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=none",
                                        out};
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    const int rc = ::posix_spawnp(&pid_, "ffmpeg", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[0]);
    if (rc != 0) {
        ::close(fds[1]);
        pid_ = -1;
        return fmt::format("cannot start ffmpeg: {} (install ffmpeg)", std::strerror(rc));
    }
    fd_ = fds[1];
    return {};
}

bool FfmpegPipe::write(const void* pixels, std::size_t n) {
    const char* p = static_cast<const char*>(pixels);
    while (n > 0) {
        const ssize_t k = ::write(fd_, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

std::string FfmpegPipe::finish() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (pid_ < 0) return "ffmpeg was not running";
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
    pid_ = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    if (WIFEXITED(status)) return fmt::format("ffmpeg exited with status {}", WEXITSTATUS(status));
    return fmt::format("ffmpeg ended by signal {}", WTERMSIG(status));
}

FfmpegPipe::~FfmpegPipe() {
    if (pid_ >= 0) finish();
}

}  // namespace hopsim::cli
