#include "output_file.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

namespace hopsim::cli {

std::string write_file(const std::string& path, std::string_view text) {
    std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "w");
    if (!f) return fmt::format("cannot write {}: {}", path, std::strerror(errno));
    const int e = std::fwrite(text.data(), 1, text.size(), f) == text.size() ? 0 : (errno ? errno : EIO);
    return close_file(f, path, e);
}

std::string close_file(std::FILE* f, const std::string& path, int earlier_errno) {
    int e = earlier_errno;
    if (std::fflush(f) != 0 && !e) e = errno ? errno : EIO;
    if (std::ferror(f) && !e) e = EIO;
    if (f != stdout && std::fclose(f) != 0 && !e) e = errno ? errno : EIO;
    return e ? fmt::format("cannot write {}: {}", path == "-" ? "standard output" : path, std::strerror(e)) : "";
}

}  // namespace hopsim::cli
