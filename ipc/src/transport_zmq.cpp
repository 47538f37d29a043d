// ZeroMQ over ipc:// endpoints: PUSH/PULL for the bulk stream (a pipeline
// with backpressure by high-water mark), REQ/REP for the round trips.
// Contexts are made in the children only: a ZeroMQ context does not survive
// a fork.

#include <unistd.h>

#include <optional>
#include <zmq.hpp>

#include "transports.hpp"

namespace hopsim::ipc {

namespace {

// Messages queued on each side before send() waits: bounded memory for a
// slow consumer (ZeroMQ's default of 1000 would hold 64 MiB of 32 KiB messages).
constexpr int kHighWaterMark = 64;

void configure(zmq::socket_t& s, const std::string& endpoint, bool bind, std::chrono::milliseconds idle) {
    const int ms = static_cast<int>(idle.count());
    s.set(zmq::sockopt::sndhwm, kHighWaterMark);
    s.set(zmq::sockopt::rcvhwm, kHighWaterMark);
    s.set(zmq::sockopt::sndtimeo, ms);
    s.set(zmq::sockopt::rcvtimeo, ms);
    s.set(zmq::sockopt::linger, ms);  // close waits for queued messages, but not for ever
    s.set(zmq::sockopt::reconnect_ivl, 10);
    if (bind)
        s.bind(endpoint);
    else
        s.connect(endpoint);
}

// The end of a PUSH/PULL stream is acknowledged on a second socket before
// the producer closes. Without it, libzmq 4.3.4 lost the last messages in
// about one run in five here: a PULL stopped at its high-water mark had not
// read them from the kernel when the PUSH side closed, and its engine was
// torn down with them (linger covers only what the sender still queues).
class ZmqChannel final : public Channel {
public:
    // `ack` is "" for REQ/REP, which has its own replies.
    ZmqChannel(zmq::socket_type type, const std::string& endpoint, bool bind, const std::string& ack,
               std::chrono::milliseconds idle)
        : socket_(context_, type), endpoint_(endpoint), idle_(idle) {
        configure(socket_, endpoint, bind, idle);
        if (ack.empty()) return;
        // The producer (the PUSH, which connects) binds the acknowledgement's PULL.
        ack_.emplace(context_, bind ? zmq::socket_type::push : zmq::socket_type::pull);
        configure(*ack_, ack, !bind, idle);
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
            if (got && got->size == 0 && ack_ && !ack_->send(zmq::str_buffer("end"), zmq::send_flags::none))
                return Unexpected{Error("ZeroMQ could not acknowledge the end of the stream")};
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

    Error finish() override {
        if (Error e = send_empty(); !e.empty() || !ack_) return e;
        try {
            zmq::message_t m;
            if (ack_->recv(m, zmq::recv_flags::none)) return {};
        } catch (const zmq::error_t& e) {
            return std::string("ZeroMQ receive of the consumer's acknowledgement: ") + e.what();
        }
        return "the consumer did not acknowledge the end of the stream within " + std::to_string(idle_.count()) + " ms";
    }

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
    std::optional<zmq::socket_t> ack_;
    std::string endpoint_;
    std::chrono::milliseconds idle_;
};

class ZmqTransport final : public Transport {
public:
    explicit ZmqTransport(const TransportSettings& s) : s_(s), path_(s.dir + "/zmq.sock"), ack_path_(s.dir + "/zmq-ack.sock") {}
    ~ZmqTransport() override { ::unlink(path_.c_str()), ::unlink(ack_path_.c_str()); }

    Error prepare() override { return {}; }

    Result<std::unique_ptr<Channel>, Error> open(Role role) override {
        const bool bulk = s_.workload == Workload::Bulk, consumer = role == Role::Consumer;
        const auto type = bulk ? (consumer ? zmq::socket_type::pull : zmq::socket_type::push)
                               : (consumer ? zmq::socket_type::rep : zmq::socket_type::req);
        try {
            return std::unique_ptr<Channel>(std::make_unique<ZmqChannel>(type, "ipc://" + path_, consumer,
                                                                         bulk ? "ipc://" + ack_path_ : "", s_.idle_timeout));
        } catch (const zmq::error_t& e) {
            return Unexpected{std::string("ZeroMQ ") + (consumer ? "bind" : "connect") + " ipc://" + path_ + ": " + e.what()};
        }
    }

private:
    TransportSettings s_;
    std::string path_, ack_path_;
};

}  // namespace

std::unique_ptr<Transport> make_zmq(const TransportSettings& s) { return std::make_unique<ZmqTransport>(s); }

}  // namespace hopsim::ipc
