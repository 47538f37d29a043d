#include "hopsim/kernel/frame_diff.hpp"

#include <algorithm>
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

// Each stack picks its own initial sequence numbers: a segment's sequence
// number is compared relative to its direction's first (the SYN's), as
// Wireshark shows them. Acknowledgement numbers say what had arrived when a
// segment left, which is timing, and are not compared.
void add_relative_seq(std::vector<Fields>& frames) {
    // One side's own ports, as they are: each connection its own ISN.
    std::map<std::string, std::uint32_t> first;  // direction -> initial sequence number
    for (Fields& f : frames) {
        auto seq = f.find("tcp.seq");
        if (seq == f.end()) continue;
        const std::string direction = f["ipv4.src"] + ":" + f["tcp.sport"] + ">" + f["ipv4.dst"] + ":" + f["tcp.dport"];
        const auto value = static_cast<std::uint32_t>(std::stoul(seq->second));
        const std::uint32_t isn = first.try_emplace(direction, value).first->second;
        f["tcp.rseq"] = std::to_string(value - isn);
    }
}

// PSH marks the last segment of each write: where the application's writes
// fell, which is timing (an echo writes back what each read returned).
std::string without_push(std::string flags) {
    for (const char* p : {"PSH,", ",PSH", "PSH"})
        if (const auto at = flags.find(p); at != std::string::npos) return flags.erase(at, std::string_view(p).size());
    return flags;
}

void drop_push(std::vector<Fields>& frames) {
    for (Fields& f : frames)
        if (auto it = f.find("tcp.flags"); it != f.end()) it->second = without_push(it->second);
}

bool pure_ack(const Fields& f) {
    auto flags = f.find("tcp.flags");
    return flags != f.end() && flags->second == "ACK" && f.find("app.len") == f.end();
}

// The receive window is compared on SYN segments: the initial window is
// protocol (Linux: the largest multiple of its MSS in 16 bits). Later Linux
// sizes it from its buffer memory accounting, which the simulator does not model.
bool compared_window(const std::string& name, const Fields& f) {
    if (name != "tcp.win") return true;
    auto flags = f.find("tcp.flags");
    return flags != f.end() && flags->second.find("SYN") != std::string::npos;
}

// A port either stack picked for itself: Linux's ephemeral range starts at
// 32768, the simulator's at 49152; both sides' values in it are not compared.
bool port_field(const std::string& name) {
    return name.size() > 5 && (name.ends_with(".sport") || name.ends_with(".dport"));
}
bool ephemeral(const std::string& value) { return value.size() == 5 && value >= "32768"; }

// A TCP direction, ports in the ephemeral range left out (each side picks its own).
std::string direction(const Fields& f) {
    auto port = [&](const char* k) {
        auto it = f.find(k);
        return it == f.end() ? std::string("-") : ephemeral(it->second) ? std::string("ephemeral") : it->second;
    };
    return f.at("ipv4.src") + ":" + port("tcp.sport") + ">" + f.at("ipv4.dst") + ":" + port("tcp.dport");
}

using Ranges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

Ranges merged(Ranges r) {
    std::sort(r.begin(), r.end());
    Ranges out;
    for (const auto& [lo, hi] : r) {
        if (!out.empty() && lo <= out.back().second) out.back().second = std::max(out.back().second, hi);
        else out.emplace_back(lo, hi);
    }
    return out;
}

// Data segments on one side only, in a direction where both sides' unpaired
// segments carry the same bytes: the stream was cut into segments
// differently (where the reader's reads and the writes fell, which skbs
// were still queued when the path MTU dropped): timing, not behaviour.
void mark_resegmented(const std::vector<Fields>& s, const std::vector<Fields>& k, std::vector<FrameDifference>& out) {
    std::map<std::string, std::pair<Ranges, Ranges>> bytes;  // direction -> (sim, kernel) unpaired data
    auto data = [](const Fields& f) {
        return f.count("tcp.rseq") && f.count("app.len") && f.count("ipv4.src");
    };
    auto range = [](const Fields& f) {
        const std::uint64_t lo = std::stoull(f.at("tcp.rseq"));
        return std::pair{lo, lo + std::stoull(f.at("app.len"))};
    };
    for (const FrameDifference& d : out) {
        if (d.field != "frame") continue;
        const Fields& f = d.sim ? s[d.sim - 1] : k[d.kernel - 1];
        if (!data(f)) continue;
        auto& [sim, kernel] = bytes[direction(f)];
        (d.sim ? sim : kernel).push_back(range(f));
    }
    for (FrameDifference& d : out) {
        if (d.field != "frame") continue;
        const Fields& f = d.sim ? s[d.sim - 1] : k[d.kernel - 1];
        if (!data(f)) continue;
        const auto& [sim, kernel] = bytes[direction(f)];
        if (merged(sim) == merged(kernel)) {
            d.timing = true;
            d.what += " (the same bytes cut into other segments: timing)";
        }
    }
}

// What pairs a frame with its partner on the other side.
std::string identity(const Fields& f) {
    static const char* const kKey[] = {"eth.src", "eth.dst", "eth.type", "arp.op", "arp.spa", "arp.tpa", "ipv4.src",
                                       "ipv4.dst", "ipv4.proto", "ipv4.frag", "icmp.type", "icmp.seq", "udp.dport",
                                       "tcp.dport", "tcp.flags", "tcp.rseq"};
    std::string key;
    for (const char* k : kKey) {
        auto it = f.find(k);
        key += (it == f.end() ? "-" : port_field(k) && ephemeral(it->second) ? "ephemeral" : it->second) + "|";
    }
    if (f.count("tcp.flags")) key += f.count("app.len") ? f.at("app.len") : "no data";
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
        if (!get("tcp.flags").empty())
            s += " [" + get("tcp.flags") + "] seq " + get("tcp.rseq") + (get("app.len").empty() ? "" : " len " + get("app.len"));
        return s;
    }
    return "eth " + get("eth.src") + " > " + get("eth.dst") + " type " + get("eth.type");
}

}  // namespace

const std::vector<std::string>& modelling_choices() {
    static const std::vector<std::string> kChoices = {
        "ipv4.id", "ipv4.checksum", "icmp.id", "icmp.checksum", "udp.checksum", "tcp.checksum",
        "tcp.seq (compared relative to the SYN's)", "tcp.ack (timing)", "tcp PSH flag (where writes ended: timing)",
        "tcp.win after the SYNs (buffer accounting)",
        "ports in the ephemeral range (32768-65535) on both sides",
    };
    return kChoices;
}

bool modelling_choice(std::string_view field) {
    static constexpr std::string_view kNotCompared[] = {"ipv4.id",      "ipv4.checksum", "icmp.id", "icmp.checksum",
                                                        "udp.checksum", "tcp.checksum",  "tcp.seq", "tcp.ack"};
    return std::find(std::begin(kNotCompared), std::end(kNotCompared), field) != std::end(kNotCompared);
}

std::vector<FrameDifference> diff_link(const std::vector<net::PcapRecord>& sim, const std::vector<net::PcapRecord>& kernel) {
    std::vector<Fields> s, k;
    for (const auto& r : sim) s.push_back(fields_of(r));
    for (const auto& r : kernel) k.push_back(fields_of(r));
    for (auto* side : {&s, &k}) {
        add_relative_seq(*side);
        drop_push(*side);
    }
    std::vector<std::string> kernel_ids;  // each kernel frame's identity, made once
    for (const Fields& f : k) kernel_ids.push_back(identity(f));
    std::vector<bool> used(k.size(), false);
    std::vector<FrameDifference> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const std::string id = identity(s[i]);
        std::size_t j = 0;
        while (j < k.size() && (used[j] || kernel_ids[j] != id)) ++j;
        if (j == k.size()) {
            out.push_back({i + 1, 0, "frame", "present", "missing", summary(s[i]), pure_ack(s[i])});
            continue;
        }
        used[j] = true;
        Fields all = s[i];
        all.insert(k[j].begin(), k[j].end());
        for (const auto& [name, unused] : all) {
            if (modelling_choice(name) || !compared_window(name, s[i])) continue;
            auto a = s[i].find(name), b = k[j].find(name);
            const std::string sv = a == s[i].end() ? "-" : a->second, kv = b == k[j].end() ? "-" : b->second;
            if (port_field(name) && ephemeral(sv) && ephemeral(kv)) continue;
            if (sv != kv) out.push_back({i + 1, j + 1, name, sv, kv, summary(s[i])});
        }
    }
    for (std::size_t j = 0; j < k.size(); ++j)
        if (!used[j]) out.push_back({0, j + 1, "frame", "missing", "present", summary(k[j]), pure_ack(k[j])});
    mark_resegmented(s, k, out);
    return out;
}

}  // namespace hopsim::kernel
