#include "hopsim/sim/apps/periodic_sender.hpp"

namespace hopsim::sim {

void PeriodicSender::start() {
    open();
    stack_.set_timer(*this, t_.at, 0);
}

void PeriodicSender::on_timer(std::uint64_t repetition) {
    const int r = static_cast<int>(repetition);
    send(r);
    if (r + 1 < t_.count) stack_.set_timer(*this, stack_.now() + t_.interval, repetition + 1);
}

}  // namespace hopsim::sim
