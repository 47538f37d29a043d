#include "credit_window.hpp"

#include <algorithm>
#include <cstring>

namespace hopsim::ipc {

CreditWindow::CreditWindow(std::unique_ptr<Channel> inner, Role role, std::uint64_t window)
    : inner_(std::move(inner)), role_(role), window_(std::max<std::uint64_t>(window, 1)) {}

Error CreditWindow::take_credit() {
    std::uint64_t count = 0;
    auto n = inner_->recv({reinterpret_cast<std::uint8_t*>(&count), sizeof count});
    if (!n) return "waiting for the consumer's credit: " + n.error();
    if (*n != sizeof count) return "the consumer's credit has " + std::to_string(*n) + " bytes, not 8";
    acked_ = std::max(acked_, count);
    return {};
}

Error CreditWindow::give_credit() {
    credited_ = taken_;
    Error e = inner_->send({reinterpret_cast<const std::uint8_t*>(&taken_), sizeof taken_});
    return e.empty() ? e : "returning a credit to the producer: " + e;
}

Error CreditWindow::send(net::Bytes data) {
    while (sent_ - acked_ >= window_)
        if (Error e = take_credit(); !e.empty()) return e;
    if (Error e = inner_->send(data); !e.empty()) return e;
    ++sent_;
    return {};
}

Result<std::size_t, Error> CreditWindow::recv(std::span<std::uint8_t> buf) {
    auto n = inner_->recv(buf);
    if (!n) return n;
    if (*n == 0) {  // the end: the last credit lets the producer go
        if (Error e = give_credit(); !e.empty()) return Unexpected{e};
        return n;
    }
    ++taken_;
    if (taken_ - credited_ >= std::max<std::uint64_t>(window_ / 2, 1))
        if (Error e = give_credit(); !e.empty()) return Unexpected{e};
    return n;
}

Error CreditWindow::finish() {
    if (role_ == Role::Consumer) return inner_->finish();
    if (Error e = inner_->finish(); !e.empty()) return e;
    while (acked_ < sent_)
        if (Error e = take_credit(); !e.empty()) return e;
    return {};
}

}  // namespace hopsim::ipc
