#pragma once
// ffmpeg as a child process reading raw RGBA frames on its standard input,
// started with posix_spawnp and an argument vector: the output path reaches
// ffmpeg as one argument, whatever quotes or spaces it holds (no shell).

#include <sys/types.h>

#include <cstddef>
#include <string>

namespace hopsim::cli {

class FfmpegPipe {
public:
    // Empty error: started. Otherwise what went wrong.
    std::string start(int width, int height, int fps, const std::string& out);
    // False once ffmpeg stopped reading (it failed; finish() says why).
    bool write(const void* pixels, std::size_t n);
    // Closes the pipe and waits: empty if ffmpeg succeeded.
    std::string finish();
    ~FfmpegPipe();

private:
    int fd_ = -1;
    pid_t pid_ = -1;
};

}  // namespace hopsim::cli
