// POSIX shared memory: one segment holding two rings, one each way.

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>

#include "hopsim/netstack/socket/fd.hpp"
#include "shm_ring.hpp"
#include "sys_error.hpp"
#include "transports.hpp"

namespace hopsim::ipc {

namespace {

constexpr std::size_t kRingData = std::size_t{2} << 20;  // 2 MiB each way

class ShmChannel final : public Channel {
public:
    ShmChannel(ShmRing out, ShmRing in, std::chrono::milliseconds idle) : out_(out), in_(in), idle_(idle) {}
    bool keeps_message_boundaries() const override { return true; }
    Error send(net::Bytes data) override { return out_.push(data, idle_); }
    Result<std::size_t, Error> recv(std::span<std::uint8_t> buf) override { return in_.pop(buf, idle_); }
    Error finish() override { return out_.finish(), Error(); }

private:
    ShmRing out_, in_;
    std::chrono::milliseconds idle_;
};

class ShmTransport final : public Transport {
public:
    explicit ShmTransport(const TransportSettings& s) : s_(s) {}
    ~ShmTransport() override {
        if (base_) ::munmap(base_, bytes_);
    }

    // The name exists only from shm_open to shm_unlink, a few lines apart:
    // both children inherit the mapping through fork, so the segment cannot
    // be left behind in /dev/shm whichever process dies, and when.
    Error prepare() override {
        static std::atomic<unsigned> serial{0};
        const std::string name = "/hopsim-ipc-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
        net::sock::Fd fd(::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600));
        if (!fd) return sys_error("shm_open " + name);
        bytes_ = 2 * ShmRing::bytes_for(kRingData);
        const bool sized = ::ftruncate(fd.get(), static_cast<off_t>(bytes_)) == 0;
        void* at = sized ? ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0) : MAP_FAILED;
        const int err = errno;
        ::shm_unlink(name.c_str());
        if (!sized) return sys_error("ftruncate " + name, err);
        if (at == MAP_FAILED) return sys_error("mmap " + name, err);
        base_ = at;
        auto* bytes = static_cast<std::uint8_t*>(at);
        to_consumer_ = ShmRing::format(bytes, ShmRing::bytes_for(kRingData));
        to_producer_ = ShmRing::format(bytes + ShmRing::bytes_for(kRingData), ShmRing::bytes_for(kRingData));
        return {};
    }

    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        if (role == Role::Consumer) return std::unique_ptr<Channel>(std::make_unique<ShmChannel>(*to_producer_, *to_consumer_, s_.idle_timeout));
        return std::unique_ptr<Channel>(std::make_unique<ShmChannel>(*to_consumer_, *to_producer_, s_.idle_timeout));
    }

    void peer_died(Role who) override {
        if (!base_) return;
        const bool producer = who == Role::Producer;
        to_consumer_->mark_died(producer ? kWriterDied : kReaderDied);
        to_producer_->mark_died(producer ? kReaderDied : kWriterDied);
    }

private:
    TransportSettings s_;
    void* base_ = nullptr;
    std::size_t bytes_ = 0;
    std::optional<ShmRing> to_consumer_, to_producer_;
};

}  // namespace

std::unique_ptr<Transport> make_shm(const TransportSettings& s) { return std::make_unique<ShmTransport>(s); }

}  // namespace hopsim::ipc
