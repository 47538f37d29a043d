#include "hopsim/sim/apps/named_flow.hpp"

#include "hopsim/sim/flow_ledger.hpp"
#include "hopsim/sim/host.hpp"

namespace hopsim::sim {

void NamedFlow::start() { host_.set_timer(*this, t_.at, 0); }

void NamedFlow::on_timer(std::uint64_t) {
    resolver_.resolve(t_.to_name, flow_, [this](const Resolution& r) { resolved(r); });
}

void NamedFlow::resolved(const Resolution& r) {
    FlowLedger& ledger = host_.ledger();
    if (!r.ok) return ledger.failed(flow_, r.why);
    ledger.resolved(flow_, r.address, host_.node_of(r.address));
    resolved_ = t_;
    resolved_.to_ip = r.address;
    resolved_.to_node = host_.node_of(r.address);
    resolved_.at = host_.now();
    host_.add_application(make_(resolved_)).start();
}

}  // namespace hopsim::sim
