#pragma once
// Private to the loader: typed, located access to JSON fields. Each reader
// returns nullopt and records one problem when a field is present but wrong,
// or missing but required; absent optional fields return nullopt silently.

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/sim/loader.hpp"

namespace hopsim::sim::detail {

// std::map-backed JSON: nlohmann's ordered_json looks keys up linearly, which
// is quadratic for 100,000 nodes. File order, where it matters (nodes and
// interfaces), is recorded while parsing instead.
using Json = nlohmann::json;

// Problems as people read them: control characters escaped, long lines cut,
// and at most kPerKind problems of one kind (the same message with other
// names and numbers), then one line for the rest: 3,000 duplicate ids are
// ten lines and "... and 2,990 more like that", not 3,000 (or 4.5 million).
class ProblemList {
public:
    static constexpr std::size_t kPerKind = 10;
    static constexpr std::size_t kMaxLine = 300;

    void add(std::string line);
    bool empty() const { return shown_.empty(); }
    // The problems, with the "more like that" lines at the end.
    Problems take();

private:
    struct Kind {
        std::size_t shown = 0, hidden = 0;
        std::string example;
    };
    Problems shown_;
    std::map<std::string, Kind> kinds_;  // by the message's shape
    std::vector<std::string> kind_order_;
};

// Where a key sits in the document, one component per level: {"nodes",
// "R1", "interfaces"}. Never joined into one string to be looked up, so a
// node called "R1.interfaces" is not R1's interfaces.
using KeyPath = std::vector<std::string>;

// A JSON value as a message may quote it: scalars as written (cut if long),
// objects and lists by their kind only, never dumped whole.
std::string describe(const Json& j);

inline std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}
inline std::string index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

struct LoadContext {
    Scenario sc;
    ProblemList problems;
    LinkSpec link_defaults;
    std::vector<bool> broken_nodes;
    std::map<net::Ipv4Address, int> ip_owner;  // for resolving traffic destinations
    // Keys in file order, by the path of their object under "nodes".
    std::map<KeyPath, std::vector<std::string>> key_order;
    std::vector<std::string> ordered_keys(const Json& obj, const KeyPath& path) const;

    void error(const std::string& path, const std::string& msg) { problems.add(path + ": " + msg); }

    bool is_object(const Json& j, const std::string& path);
    // Reports keys not in `allowed`, with a suggestion for near misses.
    void check_keys(const Json& obj, const std::string& path, std::initializer_list<std::string_view> allowed);
    const Json* field(const Json& obj, std::string_view key) const;

    std::optional<std::string> string(const Json& obj, std::string_view key, const std::string& path,
                                      bool required);
    std::optional<SimTime> duration(const Json& obj, std::string_view key, const std::string& path,
                                    bool required);
    std::optional<std::int64_t> rate(const Json& obj, std::string_view key, const std::string& path);
    std::optional<std::int64_t> integer(const Json& obj, std::string_view key, const std::string& path,
                                        std::int64_t min, std::int64_t max, bool required = false);
    std::optional<double> number(const Json& obj, std::string_view key, const std::string& path, double min,
                                 double max);
    template <class T>
    std::optional<T> parsed(const Json& obj, std::string_view key, const std::string& path, const char* what);
    std::optional<net::MacAddress> mac(const Json& obj, std::string_view key, const std::string& path);
    std::optional<net::Ipv4Address> ipv4(const Json& obj, std::string_view key, const std::string& path);
    std::optional<net::Ipv4Prefix> prefix(const Json& obj, std::string_view key, const std::string& path);
    // Text, {"hex": "..."} or {"size": N}.
    std::optional<Payload> payload(const Json& obj, std::string_view key,
                                                     const std::string& path, std::size_t max_size);
};

// The one parser of port numbers ("S1:3", "B:9000"): digits only, 1 to
// `highest`; nothing for anything else.
std::optional<int> parse_port(std::string_view text, int highest);

void load_nodes(LoadContext& c, const Json& nodes);
void load_links(LoadContext& c, const Json& links);
// bandwidth, delay, loss, queue, mtu: for each link and for defaults.link.
void load_link_properties(LoadContext& c, const Json& j, const std::string& path, LinkSpec& l);
void check_addresses(LoadContext& c);
void load_traffic(LoadContext& c, const Json& traffic);
void load_expect(LoadContext& c, const Json& expect);
void check_topology(LoadContext& c);
void load_stp_timers(LoadContext& c, const Json& j);
void load_events(LoadContext& c, const Json& events);  // after the links
// A router's "rip" (after its interfaces), and the top-level "rip_timers".
void load_rip(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n);
void load_rip_timers(LoadContext& c, const Json& j);
// A dns-server service's records, ttl and forwarder.
void load_dns_server(LoadContext& c, const Json& j, const std::string& path, ServiceSpec& s);
// "to" that is neither a node nor an address: a DNS name, if the sender has
// a resolver ("dns"); otherwise a located error. False after an error.
bool name_destination(LoadContext& c, const std::string& name, const std::string& path, TrafficSpec& t);
// A dhcp-server service's pool, subnet, gateway, dns and lease.
void load_dhcp_server(LoadContext& c, const Json& j, const std::string& path, const NodeSpec& n, ServiceSpec& s);
// "dhcp_server" on a router's interfaces (`interfaces` at `path`): one server with a pool per interface.
void load_router_dhcp_servers(LoadContext& c, const Json& interfaces, const std::string& path, NodeSpec& n);
// A router's "nat" (after its interfaces).
void load_nat(LoadContext& c, const Json& j, const std::string& path, NodeSpec& n);
void check_vlans(LoadContext& c);

}  // namespace hopsim::sim::detail
