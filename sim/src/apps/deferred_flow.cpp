#include "hopsim/sim/apps/deferred_flow.hpp"

#include "hopsim/sim/apps/dhcp_client.hpp"
#include "hopsim/sim/flow_ledger.hpp"
#include "hopsim/sim/host.hpp"

namespace hopsim::sim {

void DeferredFlow::start() { host_.set_timer(*this, t_.at, 0); }

void DeferredFlow::on_timer(std::uint64_t) {
    if (!lease_) return leased();
    if (!lease_->bound()) host_.ledger().failed(flow_, "no DHCP lease");
    lease_->when_bound([this] { leased(); });
}

void DeferredFlow::leased() {
    host_.ledger().failed(flow_, nullptr);  // no longer waiting
    if (!t_.to_name.empty())
        return resolver_->resolve(t_.to_name, flow_, [this](const Resolution& r) { resolved(r); });
    if (!to_lease_) return begin(t_.to_ip, t_.to_node);
    if (!to_lease_->bound()) host_.ledger().failed(flow_, "the destination has no DHCP lease");
    to_lease_->when_bound([this] { destination_leased(); });
}

void DeferredFlow::destination_leased() {
    host_.ledger().failed(flow_, nullptr);
    const net::Ipv4Address to = to_lease_->address();
    host_.ledger().resolved(flow_, to, t_.to_node);
    begin(to, t_.to_node);
}

void DeferredFlow::resolved(const Resolution& r) {
    if (!r.ok) return host_.ledger().failed(flow_, r.why);
    const int node = host_.node_of(r.address);
    host_.ledger().resolved(flow_, r.address, node);
    begin(r.address, node);
}

void DeferredFlow::begin(net::Ipv4Address to, int to_node) {
    started_ = t_;
    started_.to_ip = to;
    started_.to_node = to_node;
    started_.at = host_.now();
    host_.add_application(make_(started_)).start();
}

}  // namespace hopsim::sim
