#include "hopsim/sim/simulation.hpp"

#include <fmt/core.h>

#include "hopsim/sim/apps/app_factory.hpp"
#include "hopsim/sim/host.hpp"
#include "hopsim/sim/hub.hpp"
#include "hopsim/sim/p2p_link.hpp"
#include "hopsim/sim/router.hpp"
#include "hopsim/sim/switch.hpp"

namespace hopsim::sim {

namespace {
std::int64_t hub_speed(const Scenario& sc, int node) {
    for (const LinkSpec& l : sc.links)
        if (l.ends[0].node == node || l.ends[1].node == node) return l.bandwidth_bps;
    return 100'000'000;
}

}  // namespace

// The scenario's "events": links going down and up at their times.
class Simulation::TopologyEvents final : public EventTarget {
public:
    TopologyEvents(const Scenario& sc, Engine& engine, std::vector<P2pLink*> links) : sc_(sc), links_(std::move(links)) {
        for (std::size_t i = 0; i < sc.events.size(); ++i) engine.schedule(sc.events[i].at, this, 0, static_cast<std::uint32_t>(i));
    }
    void on_event(const Event& e) override {
        const TopologyEvent& t = sc_.events[e.a];
        if (P2pLink* l = links_[static_cast<std::size_t>(t.link)]) l->set_up(t.up);
    }

private:
    const Scenario& sc_;
    std::vector<P2pLink*> links_;  // by scenario link index; null for a hub's
};

Simulation::Simulation(const Scenario& sc) : net_(sc) {
    for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
        const NodeSpec& n = sc.nodes[i];
        const int id = static_cast<int>(i);
        switch (n.kind) {
            case NodeKind::Host: devices_.push_back(std::make_unique<Host>(net_, id, n)); break;
            case NodeKind::Switch: devices_.push_back(std::make_unique<Switch>(net_, id, n, switch_path_costs(sc, id))); break;
            case NodeKind::Hub: devices_.push_back(std::make_unique<Hub>(net_, id, n.ports, hub_speed(sc, id))); break;
            case NodeKind::Router: devices_.push_back(std::make_unique<Router>(net_, id, n)); break;
        }
    }
    std::vector<P2pLink*> by_index(sc.links.size(), nullptr);
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        const LinkSpec& l = sc.links[i];
        Device* a = devices_[static_cast<std::size_t>(l.ends[0].node)].get();
        Device* b = devices_[static_cast<std::size_t>(l.ends[1].node)].get();
        if (!a || !b) continue;
        const bool a_hub = sc.nodes[static_cast<std::size_t>(l.ends[0].node)].kind == NodeKind::Hub;
        const bool b_hub = sc.nodes[static_cast<std::size_t>(l.ends[1].node)].kind == NodeKind::Hub;
        if (a_hub || b_hub) {
            const int h = a_hub ? 0 : 1;
            auto* hub = static_cast<Hub*>(h == 0 ? a : b);
            Device* station = h == 0 ? b : a;
            const Endpoint& he = l.ends[static_cast<std::size_t>(h)];
            const Endpoint& se = l.ends[static_cast<std::size_t>(1 - h)];
            hub->add_station(he.port, station, se.port, l.delay, static_cast<int>(i), l.queue);
            station->attach(se.port, hub, he.port, l.mtu);
            continue;
        }
        links_.push_back(std::make_unique<P2pLink>(net_, static_cast<int>(i), l, std::array<Device*, 2>{a, b}));
        by_index[i] = links_.back().get();
        a->attach(l.ends[0].port, links_.back().get(), 0, l.mtu);
        b->attach(l.ends[1].port, links_.back().get(), 1, l.mtu);
    }
    std::vector<Host*> hosts(devices_.size());
    for (std::size_t n = 0; n < devices_.size(); ++n) hosts[n] = dynamic_cast<Host*>(devices_[n].get());
    install_applications(sc, hosts);
    if (!sc.events.empty()) topology_events_ = std::make_unique<TopologyEvents>(sc, net_.engine, std::move(by_index));
}

Simulation::~Simulation() = default;

void Simulation::run(SimTime until, const std::function<void(SimTime)>& progress) {
    if (!started_) {  // a later call resumes where the last one stopped
        started_ = true;
        for (auto& d : devices_)
            if (d) d->start();
    }
    Engine& e = net_.engine;
    constexpr int kSlice = 1 << 14;
    while (!e.stopped() && e.pending() > 0 && e.next_time() <= until) {
        for (int k = 0; k < kSlice && !e.stopped() && e.pending() > 0 && e.next_time() <= until; ++k) e.step();
        if (progress) progress(e.now());
    }
    net_.tracer.finish();
}

std::vector<MacTable::Entry> Simulation::mac_table(int node) const {
    if (auto* s = dynamic_cast<const Switch*>(devices_[static_cast<std::size_t>(node)].get())) return s->table().entries();
    return {};
}

const SpanningTree* Simulation::spanning_tree(int node) const {
    if (auto* s = dynamic_cast<const Switch*>(devices_[static_cast<std::size_t>(node)].get())) return s->spanning_tree();
    return nullptr;
}

std::vector<std::string> Simulation::routes(int node) const {
    std::vector<std::string> out;
    if (auto* r = dynamic_cast<const Router*>(devices_[static_cast<std::size_t>(node)].get()))
        for (const Router::Route& route : r->routes()) out.push_back(r->route_text(route));
    return out;
}

const Host* Simulation::host(int node) const {
    return dynamic_cast<const Host*>(devices_[static_cast<std::size_t>(node)].get());
}

const Router* Simulation::router(int node) const {
    return dynamic_cast<const Router*>(devices_[static_cast<std::size_t>(node)].get());
}

const RipProcess* Simulation::rip(int node) const {
    if (auto* r = dynamic_cast<const Router*>(devices_[static_cast<std::size_t>(node)].get())) return r->rip();
    return nullptr;
}

std::vector<ArpCache::Entry> Simulation::arp_table(int node) const {
    if (auto* n = dynamic_cast<const IpNode*>(devices_[static_cast<std::size_t>(node)].get())) return n->arp_cache().entries();
    return {};
}

}  // namespace hopsim::sim
