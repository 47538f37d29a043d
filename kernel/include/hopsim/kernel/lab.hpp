#pragma once
// A scenario built of the real Linux stack: each host and router a network
// namespace, each switch a bridge in a namespace of its own (a hub: a
// bridge that never learns, so it floods every frame), each link a veth pair
// with the scenario's MACs, addresses and MTU. Routers forward and carry
// their static routes, hosts their gateway, and every namespace's TCP is set
// to the model the simulator implements (the report lists the sysctls).
//
// Every name carries the prefix "hopsim-<pid>-", so runs never clash and
// leftovers of a killed run can be found (remove_leftovers). Nothing is done
// in the machine's own namespace beyond creating the namespaces. The
// destructor removes the whole lab unless keep() was called.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::kernel {

using sim::Scenario;

inline constexpr const char* kPrefix = "hopsim-";

class Lab {
public:
    // Builds it all, or nothing: a failure removes what was made and says
    // which command failed with the tool's own message.
    static Result<std::unique_ptr<Lab>, std::string> build(const Scenario& sc);
    // The commands build() runs, in order: what a person would type to make
    // the same namespaces by hand. A step not required may fail (tc where a
    // kernel lacks a qdisc): the report says what is then not reproduced.
    struct Step {
        std::vector<std::string> argv;
        // Empty: the build fails without it. Otherwise what is not reproduced
        // where it fails ("link rates"), said in the report.
        std::string optional;
    };
    static std::vector<Step> plan(const Scenario& sc) { return Lab(sc).plan(); }
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;
    ~Lab();

    const std::string& netns(int node) const { return netns_[static_cast<std::size_t>(node)]; }
    // The interface inside node's namespace for (node, port): "eth0", or "p3" on a bridge.
    std::string interface(int node, int port) const;
    const std::vector<std::string>& sysctls() const { return sysctls_; }  // "net.ipv4.tcp_sack=0", ...
    const std::vector<std::string>& not_reproduced() const { return not_reproduced_; }  // said in the report
    // The node's table as the kernel holds it now, as (key, value) in the
    // simulator's terms: a bridge's learned MACs ("02:..:0a" -> port "1"), a
    // host's or router's resolved neighbours ("10.0.0.2" -> "02:..:0b").
    std::vector<std::pair<std::string, std::string>> table(int node) const;
    // A spanning-tree bridge as Linux reports it: root, root port, port states.
    struct StpView {
        std::string root_id;  // "4096/02:00:00:00:03:01", as the simulator writes it
        std::string root_port;  // "2", or "" when it is the root
        std::uint64_t root_path_cost = 0;
        std::vector<std::pair<std::string, std::string>> states;  // port "2" -> "blocking"
    };
    StpView stp(int node) const;
    // What the kernel's STP path costs are divided by (Linux takes 1..65535).
    std::uint32_t stp_cost_divisor() const { return stp_cost_divisor_; }
    // A scenario event: both ends of the link set down (no carrier) or up.
    Result<bool, std::string> set_link(int link, bool up) const;
    void keep() { keep_ = true; }
    void remove();  // tears everything down (idempotent)

private:
    explicit Lab(const Scenario& sc);
    std::vector<Step> plan() const;
    void add_nat(int node, std::vector<Step>& steps) const;
    Result<bool, std::string> make();
    Result<bool, std::string> wait_until_up() const;
    Result<bool, std::string> no_delayed_acks() const;

    const Scenario& sc_;
    std::vector<std::string> netns_;
    std::vector<std::string> made_;  // namespaces created so far, removed in reverse
    std::vector<std::string> sysctls_, not_reproduced_;
    std::vector<std::vector<std::uint32_t>> stp_costs_;  // per node, per port, as Linux is given them
    std::uint32_t stp_cost_divisor_ = 1;
    bool keep_ = false;
};

// The spanning-tree costs of every STP switch's ports, made to fit Linux's
// 16 bits by a common divisor (set in *divisor).
std::vector<std::vector<std::uint32_t>> linux_stp_costs(const Scenario& sc, std::uint32_t* divisor);

// Why Linux here cannot build what the scenario describes (802.1Q on a
// kernel without it, STP timers below the bridge's minimums), or empty.
std::string kernel_cannot_express(const Scenario& sc);

// Removes every namespace whose name starts with kPrefix and whose run has
// ended (a crashed or --keep run's; a run still going is left alone);
// returns their names.
std::vector<std::string> remove_leftovers();

// Why this process cannot build a lab (no root, no `ip`), or empty.
std::string cannot_build();

}  // namespace hopsim::kernel
