#include <signal.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "sides.hpp"

namespace hopsim::ipc {

namespace {

std::string hex(std::uint8_t b) {
    const char* d = "0123456789abcdef";
    return std::string("0x") + d[b >> 4] + d[b & 15];
}

// The first difference between what arrived at `offset` and the source, or "".
std::string compare(const net::sock::ByteSource& src, std::uint64_t offset, net::Bytes got) {
    std::size_t done = 0;
    while (done < got.size()) {
        const net::Bytes want = src.window(offset + done, got.size() - done);
        if (std::memcmp(want.data(), got.data() + done, want.size()) != 0)
            for (std::size_t i = 0; i < want.size(); ++i)
                if (want[i] != got[done + i])
                    return "byte " + std::to_string(offset + done + i) + " differs: the source has " + hex(want[i]) + ", the consumer received " +
                           hex(got[done + i]);
        done += want.size();
    }
    return {};
}

}  // namespace

int bulk_producer(Channel& ch, Shared& sh, const RunPlan& plan) {
    const net::sock::ByteSource& src = *plan.source;
    const std::uint64_t total = src.size();
    std::vector<std::uint8_t> gathered(plan.message_size);
    bool paused = false;
    std::uint64_t off = 0, messages = 0;
    sh.start_ns = monotonic_ns();
    while (off < total) {
        const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(plan.message_size, total - off));
        net::Bytes msg = src.window(off, len);
        // The fault lands in this message (unsigned: an offset behind us is huge).
        const bool corrupt = plan.fault.kind == Fault::Kind::CorruptByte && plan.fault.after - off < len;
        if (msg.size() < len || corrupt) {  // one message is sent whole, from a copy
            for (std::size_t got = 0; got < len;) {
                const net::Bytes w = src.window(off + got, len - got);
                std::memcpy(gathered.data() + got, w.data(), w.size());
                got += w.size();
            }
            if (corrupt) gathered[plan.fault.after - off] ^= 0x20;  // what a buggy sender or a bad copy does
            msg = net::Bytes(gathered.data(), len);
        }
        if (Error e = ch.send(msg); !e.empty()) return report_error(sh, Role::Producer, e), 1;
        off += len, ++messages;
        sh.sent = off, sh.messages = messages;
        if (off >= plan.fault.after) {
            if (plan.fault.kind == Fault::Kind::ProducerDies) ::raise(SIGKILL);
            if (plan.fault.kind == Fault::Kind::ProducerPauses && !paused)
                paused = true, std::this_thread::sleep_for(plan.fault.delay);
        }
    }
    if (Error e = ch.finish(); !e.empty()) return report_error(sh, Role::Producer, e), 1;
    sh.producer_end_ns = monotonic_ns();
    return 0;
}

int bulk_consumer(Channel& ch, Shared& sh, const RunPlan& plan) {
    const net::sock::ByteSource& src = *plan.source;
    const std::uint64_t total = src.size();
    const bool messages = ch.keeps_message_boundaries();
    std::vector<std::uint8_t> buf(std::max<std::size_t>(plan.message_size, 65536));
    std::uint64_t off = 0, reads = 0;
    auto fail = [&](const std::string& e) { return report_error(sh, Role::Consumer, e), 1; };
    for (;;) {
        auto n = ch.recv(buf);
        if (!n) return fail(n.error() + " (after " + std::to_string(off) + " of " + std::to_string(total) + " bytes)");
        if (*n == 0) break;
        if (messages) {
            const std::uint64_t want = std::min<std::uint64_t>(plan.message_size, total - off);
            if (*n != want)
                return fail("message " + std::to_string(reads + 1) + " has " + std::to_string(*n) + " bytes, " +
                            std::to_string(want) + " were sent");
        }
        if (*n > total - off)
            return fail("more bytes arrived than were sent (" + std::to_string(off + *n) + " of " + std::to_string(total) + ")");
        if (std::string d = compare(src, off, net::Bytes(buf.data(), *n)); !d.empty()) return fail(d);
        off += *n, ++reads;
        sh.checked.store(off, std::memory_order_relaxed);
        sh.reads = reads;
        if (plan.fault.kind == Fault::Kind::SlowConsumer) std::this_thread::sleep_for(plan.fault.delay);
        if (plan.fault.kind == Fault::Kind::ConsumerDies && off >= plan.fault.after) ::raise(SIGKILL);
    }
    sh.end_ns = monotonic_ns();
    if (off != total)
        return fail("the stream ended after " + std::to_string(off) + " of " + std::to_string(total) +
                    " bytes: the producer closed or died early");
    sh.intact = 1;
    return 0;
}

}  // namespace hopsim::ipc
