#pragma once
// What a client sends and checks its echo against, served in windows so a
// large payload (a gigabyte pattern, a file) is never held in memory whole.

#include <cstddef>
#include <string>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::net::sock {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual std::size_t size() const = 0;
    // Bytes from `offset` on, at most `max` and at least one while offset <
    // size(); valid until the next call.
    virtual Bytes window(std::size_t offset, std::size_t max) const = 0;
};

// Bytes already in memory.
class SpanSource final : public ByteSource {
public:
    explicit SpanSource(Bytes b) : b_(b) {}
    std::size_t size() const override { return b_.size(); }
    Bytes window(std::size_t offset, std::size_t max) const override { return b_.subspan(offset).first(std::min(max, b_.size() - offset)); }

private:
    Bytes b_;
};

// A regular file, mapped read-only. Devices, pipes and directories are
// refused: they have no size to check an echo against (/dev/zero never ends).
class FileSource final : public ByteSource {
public:
    static Result<FileSource, std::string> open(const std::string& path);
    FileSource(FileSource&& o) noexcept;
    FileSource& operator=(FileSource&&) = delete;
    ~FileSource() override;
    std::size_t size() const override { return size_; }
    Bytes window(std::size_t offset, std::size_t max) const override;

private:
    FileSource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace hopsim::net::sock
