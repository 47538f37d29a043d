#include "hopsim/netstack/socket/byte_source.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace hopsim::net::sock {

Result<FileSource, std::string> FileSource::open(const std::string& path) {
    auto fail = [&](const std::string& why) { return Unexpected<std::string>{path + ": " + why}; };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return fail(std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file (a device or a pipe has no end to check)");
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size == 0) {
        ::close(fd);
        return FileSource(nullptr, 0);
    }
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int e = errno;
    ::close(fd);
    if (p == MAP_FAILED) return fail(std::string("cannot map: ") + std::strerror(e));
    return FileSource(static_cast<const std::uint8_t*>(p), size);
}

FileSource::FileSource(FileSource&& o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
}

FileSource::~FileSource() {
    if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

Bytes FileSource::window(std::size_t offset, std::size_t max) const {
    return Bytes(data_ + offset, std::min(max, size_ - offset));
}

}  // namespace hopsim::net::sock
