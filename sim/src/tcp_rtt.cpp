#include "hopsim/sim/tcp_rtt.hpp"

#include <algorithm>
#include <cstdlib>

namespace hopsim::sim {

void RttEstimator::start_timing(std::uint32_t end_seq, SimTime now) {
    if (timing_) return;
    timing_ = true;
    timed_end_ = end_seq;
    timed_at_ = now;
}

void RttEstimator::on_ack(std::uint32_t ack, SimTime now) {
    if (!timing_ || !seq_le(timed_end_, ack)) return;
    timing_ = false;
    sample(now - timed_at_);
}

void RttEstimator::sample(SimTime r) {
    if (!has_sample_) {  // RFC 6298 2.2
        srtt_ = r;
        rttvar_ = SimTime::ns(r.count() / 2);
        has_sample_ = true;
    } else {  // 2.3: RTTVAR first, with the SRTT it replaces
        const std::int64_t err = std::abs(srtt_.count() - r.count());
        rttvar_ = SimTime::ns((3 * rttvar_.count() + err) / 4);
        srtt_ = SimTime::ns((7 * srtt_.count() + r.count()) / 8);
    }
    rto_ = std::min(srtt_ + std::max(rttvar_ * 4, kMinRto), kMaxRto);
}

void RttEstimator::back_off() { rto_ = std::min(rto_ * 2, kMaxRto); }

}  // namespace hopsim::sim
