// ZeroMQ over ipc:// endpoints: PUSH/PULL for the bulk stream (a pipeline
// with backpressure by high-water mark), REQ/REP for the round trips.
// Contexts are made in the children only: a ZeroMQ context does not survive
// a fork.

#include <unistd.h>

#include <zmq.hpp>

#include "transports.hpp"

namespace hopsim::ipc {

namespace {

// Messages queued on each side before send() waits: bounded memory for a
// slow consumer (ZeroMQ's default of 1000 would hold 64 MiB of 32 KiB messages).
constexpr int kHighWaterMark = 64;

class ZmqChannel final : public Channel {
public:
    ZmqChannel(zmq::socket_type type, const std::string& endpoint, bool bind, std::chrono::milliseconds idle)
        : socket_(context_, type), endpoint_(endpoint), idle_(idle) {
        const int ms = static_cast<int>(idle.count());
        socket_.set(zmq::sockopt::sndhwm, kHighWaterMark);
        socket_.set(zmq::sockopt::rcvhwm, kHighWaterMark);
        socket_.set(zmq::sockopt::sndtimeo, ms);
        socket_.set(zmq::sockopt::rcvtimeo, ms);
        socket_.set(zmq::sockopt::linger, ms);  // close waits for queued messages, but not for ever
        socket_.set(zmq::sockopt::reconnect_ivl, 10);
        if (bind)
            socket_.bind(endpoint);
        else
            socket_.connect(endpoint);
    }
    bool keeps_message_boundaries() const override { return true; }

    Error send(net::Bytes data) override {
        try {
            if (socket_.send(zmq::const_buffer(data.data(), data.size()), zmq::send_flags::none)) return {};
            return "ZeroMQ send to " + endpoint_ + " waited " + std::to_string(idle_.count()) +
                   " ms: no peer took the message (idle timeout; ZeroMQ never reports a peer gone)";
        } catch (const zmq::error_t& e) {
            return std::string("ZeroMQ send to ") + endpoint_ + ": " + e.what();
        }
    }

    Result<std::size_t, Error> recv(std::span<std::uint8_t> buf) override {
        try {
            auto got = socket_.recv(zmq::mutable_buffer(buf.data(), buf.size()), zmq::recv_flags::none);
            if (!got)
                return Unexpected{"ZeroMQ receive on " + endpoint_ + " waited " + std::to_string(idle_.count()) +
                                  " ms: nothing came (idle timeout; ZeroMQ never reports a peer gone)"};
            if (got->truncated())
                return Unexpected{"ZeroMQ delivered a message of " + std::to_string(got->untruncated_size) +
                                  " bytes, more than the " + std::to_string(buf.size()) + " expected"};
            return got->size;
        } catch (const zmq::error_t& e) {
            return Unexpected{std::string("ZeroMQ receive on ") + endpoint_ + ": " + e.what()};
        }
    }

    Error finish() override { return send_empty(); }

private:
    Error send_empty() {
        try {
            if (socket_.send(zmq::message_t(), zmq::send_flags::none)) return {};
            return "ZeroMQ could not send the end-of-stream message to " + endpoint_;
        } catch (const zmq::error_t& e) {
            return std::string("ZeroMQ send to ") + endpoint_ + ": " + e.what();
        }
    }

    zmq::context_t context_{1};
    zmq::socket_t socket_;
    std::string endpoint_;
    std::chrono::milliseconds idle_;
};

class ZmqTransport final : public Transport {
public:
    explicit ZmqTransport(const TransportSettings& s) : s_(s), path_(s.dir + "/zmq.sock") {}
    ~ZmqTransport() override { ::unlink(path_.c_str()); }

    Error prepare() override { return {}; }

    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        const bool bulk = s_.workload == Workload::Bulk, consumer = role == Role::Consumer;
        const auto type = bulk ? (consumer ? zmq::socket_type::pull : zmq::socket_type::push)
                               : (consumer ? zmq::socket_type::rep : zmq::socket_type::req);
        try {
            return std::unique_ptr<Channel>(std::make_unique<ZmqChannel>(type, "ipc://" + path_, consumer, s_.idle_timeout));
        } catch (const zmq::error_t& e) {
            return Unexpected{std::string("ZeroMQ ") + (consumer ? "bind" : "connect") + " ipc://" + path_ + ": " + e.what()};
        }
    }

private:
    TransportSettings s_;
    std::string path_;
};

}  // namespace

std::unique_ptr<Transport> make_zmq(const TransportSettings& s) { return std::make_unique<ZmqTransport>(s); }

}  // namespace hopsim::ipc
