#include "hopsim/kernel/frame_diff.hpp"

#include <map>

#include "hopsim/netstack/dissector.hpp"

namespace hopsim::kernel {

namespace {

// "layer.field" -> its value as the trace prints it.
using Fields = std::map<std::string, std::string>;

Fields fields_of(const net::PcapRecord& r) {
    Fields out;
    const net::Dissection d = net::dissect(r.bytes);
    for (std::size_t l = 0; l < d.layer_count; ++l)
        for (std::size_t k = 0; k < d.layers[l].field_count; ++k) {
            const net::Field& f = d.layers[l].fields[k];
            // A quoted datagram's transport header repeats names; the first (outer) one wins.
            out.try_emplace(std::string(d.layers[l].name) + "." + f.name, net::format_field(f));
        }
    return out;
}

// A port either stack picked for itself: Linux's ephemeral range starts at
// 32768, the simulator's at 49152; both sides' values in it are not compared.
bool port_field(const std::string& name) {
    return name.size() > 5 && (name.ends_with(".sport") || name.ends_with(".dport"));
}
bool ephemeral(const std::string& value) { return value.size() == 5 && value >= "32768"; }

// What pairs a frame with its partner on the other side.
std::string identity(const Fields& f) {
    static const char* const kKey[] = {"eth.src", "eth.dst", "eth.type", "arp.op", "arp.spa", "arp.tpa", "ipv4.src",
                                       "ipv4.dst", "ipv4.proto", "ipv4.frag", "icmp.type", "icmp.seq", "udp.dport",
                                       "tcp.dport", "tcp.flags"};
    std::string key;
    for (const char* k : kKey) {
        auto it = f.find(k);
        key += (it == f.end() ? "-" : port_field(k) && ephemeral(it->second) ? "ephemeral" : it->second) + "|";
    }
    return key;
}

std::string summary(const Fields& f) {
    auto get = [&](const char* k) {
        auto it = f.find(k);
        return it == f.end() ? std::string() : it->second;
    };
    if (!get("arp.op").empty()) return "ARP " + std::string(get("arp.op") == "1" ? "who-has " : "reply ") + get("arp.tpa");
    if (!get("ipv4.src").empty()) {
        std::string s = "IPv4 " + get("ipv4.src") + " > " + get("ipv4.dst") + " proto " + get("ipv4.proto");
        if (!get("icmp.type").empty()) s += " icmp type " + get("icmp.type");
        return s;
    }
    return "eth " + get("eth.src") + " > " + get("eth.dst") + " type " + get("eth.type");
}

}  // namespace

const std::vector<std::string>& modelling_choices() {
    static const std::vector<std::string> kChoices = {
        "ipv4.id", "ipv4.checksum", "icmp.id", "icmp.checksum", "udp.checksum", "tcp.seq", "tcp.ack", "tcp.checksum",
        "ports in the ephemeral range (32768-65535) on both sides",
    };
    return kChoices;
}

bool modelling_choice(std::string_view field) {
    for (const std::string& c : modelling_choices())
        if (c == field) return true;
    return false;
}

std::vector<FrameDifference> diff_link(const std::vector<net::PcapRecord>& sim, const std::vector<net::PcapRecord>& kernel) {
    std::vector<Fields> s, k;
    for (const auto& r : sim) s.push_back(fields_of(r));
    for (const auto& r : kernel) k.push_back(fields_of(r));
    std::vector<std::string> kernel_ids;  // each kernel frame's identity, made once
    for (const Fields& f : k) kernel_ids.push_back(identity(f));
    std::vector<bool> used(k.size(), false);
    std::vector<FrameDifference> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::string id = identity(s[i]);
        std::size_t j = 0;
        while (j < k.size() && (used[j] || kernel_ids[j] != id)) ++j;
        if (j == k.size()) {
            out.push_back({i + 1, 0, "frame", "present", "missing", summary(s[i])});
            continue;
        }
        used[j] = true;
        Fields all = s[i];
        all.insert(k[j].begin(), k[j].end());
        for (const auto& [name, unused] : all) {
            if (modelling_choice(name)) continue;
            auto a = s[i].find(name), b = k[j].find(name);
            const std::string sv = a == s[i].end() ? "-" : a->second, kv = b == k[j].end() ? "-" : b->second;
            if (port_field(name) && ephemeral(sv) && ephemeral(kv)) continue;
            if (sv != kv) out.push_back({i + 1, j + 1, name, sv, kv, summary(s[i])});
        }
    }
    for (std::size_t j = 0; j < k.size(); ++j)
        if (!used[j]) out.push_back({0, j + 1, "frame", "missing", "present", summary(k[j])});
    return out;
}

}  // namespace hopsim::kernel
