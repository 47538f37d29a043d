#pragma once
// Builds the devices and media of a validated scenario and runs it. The one
// place that turns a Scenario into objects (STYLE rule 9).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hopsim/sim/arp_cache.hpp"
#include "hopsim/sim/device.hpp"
#include "hopsim/sim/mac_table.hpp"
#include "hopsim/sim/stp.hpp"
#include "hopsim/sim/network.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

class RipProcess;
class Router;
class Host;
class P2pLink;

class Simulation {
public:
    explicit Simulation(const Scenario& sc);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    Tracer& tracer() { return net_.tracer; }
    const Network& network() const { return net_; }
    const Scenario& scenario() const { return net_.sc; }

    // Runs until `until` or until no event is left; calling it again with a
    // later `until` resumes. `progress`, if given, is called every few
    // thousand events with the simulated time reached.
    void run(SimTime until, const std::function<void(SimTime)>& progress = {});
    void request_stop() { net_.engine.stop(); }

    // Tables at the end of the run, for the summary.
    std::vector<MacTable::Entry> mac_table(int node) const;
    std::vector<ArpCache::Entry> arp_table(int node) const;
    std::vector<std::string> routes(int node) const;  // "10.1.0.0/16 via 10.0.0.2 dev eth1"
    const RipProcess* rip(int node) const;  // a router's RIP process, or null
    const Router* router(int node) const;   // null unless a router (its NAT table and counters)
    const Host* host(int node) const;       // null unless a host (its DHCP lease)
    const SpanningTree* spanning_tree(int node) const;  // null unless a switch with "stp": true

private:
    Network net_;
    std::vector<std::unique_ptr<Device>> devices_;
    std::vector<std::unique_ptr<P2pLink>> links_;
    class TopologyEvents;
    std::unique_ptr<TopologyEvents> topology_events_;
    bool started_ = false;
};

}  // namespace hopsim::sim
