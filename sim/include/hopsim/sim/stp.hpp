#pragma once
// The spanning tree protocol of one bridge: IEEE 802.1D (the 1998 edition's
// clause 8 procedures, which the 2004 edition keeps for protocol version 0),
// as Linux's bridge runs it (net/bridge/br_stp*.c). Bridges exchange
// configuration BPDUs, elect the bridge with the lowest identifier as root,
// each picks the port nearest the root as its root port, each LAN gets one
// designated port, and every other port blocks. A port goes blocking ->
// listening -> learning -> forwarding, a forward delay per step. A bridge
// that sees the topology change tells the root (TCN BPDUs); the root sets
// the TC flag for max age + forward delay, and meanwhile every bridge ages its
// MAC table by the forward delay instead of the ageing time.
// Not modelled: RSTP's proposal/agreement, port priorities other than 128.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "hopsim/netstack/stp.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

struct Network;

enum class PortState : std::uint8_t { Disabled, Blocking, Listening, Learning, Forwarding };
enum class PortRole : std::uint8_t { Disabled, Root, Designated, Alternate };
const char* to_string(PortState s);
const char* to_string(PortRole r);

// 802.1D-2004 table 17-3: 20 Tb/s divided by the link speed, 1 to 200,000,000.
std::uint32_t stp_path_cost(std::int64_t bps);
// Each port's cost on switch `node`: the scenario's stp_cost, or from its link's speed.
std::vector<std::uint32_t> switch_path_costs(const Scenario& sc, int node);
// The MAC of a switch's port, numbered as hosts' interfaces are (02:00:00 +
// node + port); the bridge's own address is its first port's, as Linux picks
// the lowest.
net::MacAddress switch_port_mac(int node, int port);

class SpanningTree final : public EventTarget {
public:
    // What the tree asks of its switch.
    struct Hooks {
        std::function<void(int port, const net::Bpdu&)> send;
        std::function<void(int port)> flush_port;  // a port left the tree: its MAC entries go
        // A topology change began (the short ageing time to use) or ended (nothing).
        std::function<void(std::optional<SimTime>)> short_ageing;
    };
    SpanningTree(Network& net, int node, const NodeSpec& spec, std::vector<std::uint32_t> path_costs, Hooks hooks);

    // After port_up() for every linked port: the hello timer starts (the first
    // BPDUs leave one hello time later, as Linux's bridge sends them).
    void start();
    void receive(int port, const net::Bpdu& b);
    void port_up(int port);
    void port_down(int port);
    void on_event(const Event& e) override;

    PortState state(int port) const { return ports_[static_cast<std::size_t>(port)].state; }
    PortRole role(int port) const;
    bool learns(int port) const { return state(port) == PortState::Learning || state(port) == PortState::Forwarding; }
    bool forwards(int port) const { return state(port) == PortState::Forwarding; }
    const net::BridgeId& bridge_id() const { return bridge_id_; }
    const net::BridgeId& root_id() const { return designated_root_; }
    bool is_root() const { return designated_root_ == bridge_id_; }
    std::optional<int> root_port() const { return root_port_ < 0 ? std::nullopt : std::optional<int>(root_port_); }
    std::uint32_t root_path_cost() const { return root_path_cost_; }
    bool topology_change() const { return topology_change_; }
    std::uint32_t path_cost(int port) const { return ports_[static_cast<std::size_t>(port)].path_cost; }

private:
    enum Timer : std::uint32_t { kHello, kTcn, kTopologyChange, kMessageAge, kForwardDelay, kHold, kTimerCount };
    struct Port {
        std::uint16_t id = 0;  // 0x8000 | number: priority 128, as Linux
        std::uint32_t path_cost = 0;
        PortState state = PortState::Disabled;
        net::BridgeId designated_root, designated_bridge;
        std::uint32_t designated_cost = 0;
        std::uint16_t designated_port = 0;
        SimTime info_received;          // when the stored message age was read (for relaying the age)
        std::uint16_t message_age = 0;  // of the stored information, 1/256 s
        bool topology_change_ack = false, config_pending = false;
    };
    struct Armed {
        std::uint64_t generation = 0;
        bool running = false;
    };

    // The 802.1D procedures, named as in the standard.
    bool is_designated(int p) const;
    bool supersedes(int p, const net::Bpdu& b) const;
    void record(int p, const net::Bpdu& b);
    void configuration_update();
    void root_selection();
    void designated_port_selection();
    void become_designated(int p);
    void port_state_selection();
    void make_forwarding(int p);
    void make_blocking(int p);
    void set_state(int p, PortState s);
    void config_bpdu_generation();
    void transmit_config(int p);
    void transmit_tcn();
    void topology_change_detection();
    void become_root();
    void set_topology_change(bool on);
    void report_root(const net::BridgeId& old_root, int old_root_port);

    void start_timer(Timer t, int port, SimTime after);
    void stop_timer(Timer t, int port);
    Armed& armed(Timer t, int port);
    std::uint16_t to_256(SimTime t) const;
    SimTime from_256(std::uint16_t v) const;

    Network& net_;
    int node_;
    Hooks hooks_;
    net::BridgeId bridge_id_;
    StpTimers own_;     // this bridge's timers (the scenario's)
    StpTimers in_use_;  // the root's, learned from its BPDUs
    SimTime hold_;
    net::BridgeId designated_root_;
    std::uint32_t root_path_cost_ = 0;
    int root_port_ = -1;
    bool topology_change_ = false, topology_change_detected_ = false;
    std::vector<Port> ports_;
    std::vector<Armed> timers_;  // bridge timers, then kTimerCount per port... see armed()
};

}  // namespace hopsim::sim
