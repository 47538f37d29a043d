#include "hopsim/sim/quiz.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/stp.hpp"
#include "hopsim/sim/stp.hpp"

namespace hopsim::sim {

const char* to_string(QuizKind k) {
    switch (k) {
        case QuizKind::Switch: return "switch";
        case QuizKind::Ttl: return "ttl";
        case QuizKind::Mac: return "mac";
        case QuizKind::Arp: return "arp";
        case QuizKind::Collision: return "collision";
        case QuizKind::Stp: return "stp";
    }
    return "?";
}

std::optional<QuizKind> quiz_kind(std::string_view name) {
    for (QuizKind k : {QuizKind::Switch, QuizKind::Ttl, QuizKind::Mac, QuizKind::Arp, QuizKind::Collision, QuizKind::Stp})
        if (name == to_string(k)) return k;
    return std::nullopt;
}

Result<std::vector<QuizKind>, std::string> parse_quiz_kinds(const std::string& list, const QuizSpec& scenario) {
    std::vector<QuizKind> kinds;
    if (list.empty()) {
        for (const std::string& name : scenario.kinds) kinds.push_back(*quiz_kind(name));  // the loader checked them
        return kinds;
    }
    std::size_t from = 0;
    while (from <= list.size()) {
        const std::size_t comma = std::min(list.find(',', from), list.size());
        const std::string name = list.substr(from, comma - from);
        auto k = quiz_kind(name);
        if (!k) return Unexpected<std::string>{fmt::format("\"{}\" is not a kind of question (switch, ttl, mac, arp, collision, stp)", name)};
        kinds.push_back(*k);
        from = comma + 1;
    }
    return kinds;
}

namespace {

std::string field(const net::Dissection& d, std::string_view layer, std::string_view name) { return d.text(layer, name); }

// The frame in a few words, as a student would describe it.
std::string words(const net::Dissection& d) {
    if (!field(d, "arp", "op").empty())
        return field(d, "arp", "op") == "1" ? fmt::format("ARP who-has {} from {}", field(d, "arp", "tpa"), field(d, "arp", "spa"))
                                            : fmt::format("ARP reply: {} is at {}", field(d, "arp", "spa"), field(d, "arp", "sha"));
    if (field(d, "ipv4", "src").empty()) return fmt::format("a frame from {} to {}", field(d, "eth", "src"), field(d, "eth", "dst"));
    std::string what = !field(d, "icmp", "type").empty() ? (field(d, "icmp", "type") == "8" ? "ping request" : field(d, "icmp", "type") == "0" ? "ping reply" : "ICMP message")
                       : !field(d, "tcp", "flags").empty() ? "TCP " + field(d, "tcp", "flags")
                       : !field(d, "udp", "dport").empty() ? "UDP datagram"
                                                           : "IPv4 packet";
    return fmt::format("{} {} > {}", what, field(d, "ipv4", "src"), field(d, "ipv4", "dst"));
}

class Maker {
public:
    Maker(const Scenario& sc, const std::vector<RecordedEvent>& ev) : sc_(sc), ev_(ev) {}

    const std::string& id(int node) const { return sc_.nodes[static_cast<std::size_t>(node)].id; }

    // The node whose interface has this MAC, or -1.
    int owner_of_mac(const std::string& mac) const {
        for (std::size_t n = 0; n < sc_.nodes.size(); ++n)
            for (const auto& i : sc_.nodes[n].interfaces)
                if (i.mac.to_string() == mac) return static_cast<int>(n);
        return -1;
    }
    int owner_of_ip(const std::string& ip) const {
        for (std::size_t n = 0; n < sc_.nodes.size(); ++n)
            for (const auto& i : sc_.nodes[n].interfaces)
                if (i.ip && i.ip->address().to_string() == ip) return static_cast<int>(n);
        return -1;
    }

    // A switch has just received a frame: flood, one port, or nowhere?
    std::optional<Question> at_switch(std::size_t i) const {
        const RecordedEvent& rx = ev_[i];
        int out_port = -1;
        bool flooded = false, decided = false;
        for (std::size_t j = i + 1; j < ev_.size() && !decided; ++j) {
            const RecordedEvent& e = ev_[j];
            if (e.node != rx.node || e.pkt != rx.pkt) continue;
            if (e.ev == Ev::Flood) flooded = decided = true;
            else if (e.ev == Ev::Forward) out_port = e.port, decided = true;
            else if (e.ev == Ev::Filter || e.ev == Ev::Drop) decided = true;
            else if (e.ev == Ev::Rx) break;
        }
        if (!decided) return std::nullopt;
        const net::Dissection d = net::dissect(rx.bytes);
        const std::string dst = field(d, "eth", "dst");
        if (d.find("stp") && sc_.nodes[static_cast<std::size_t>(rx.node)].stp) return std::nullopt;  // for the tree, not forwarded
        // The port toward the destination, for the "one port" choice when the switch floods.
        int toward = out_port;
        if (toward < 0) {
            const int dst_node = owner_of_mac(dst);
            for (std::size_t l = 0; l < sc_.links.size() && dst_node >= 0 && toward < 0; ++l) {
                const auto& [a, b] = sc_.links[l].ends;
                if (a.node == rx.node && b.node == dst_node) toward = a.port;
                if (b.node == rx.node && a.node == dst_node) toward = b.port;
            }
            if (toward < 0) toward = rx.port == 0 ? 1 : 0;
        }
        Question q;
        q.kind = QuizKind::Switch;
        q.event = i;
        q.t = rx.t;
        q.prompt = fmt::format("{} receives a frame on port {}: {} (to {}). Where does {} send it?", id(rx.node), rx.port + 1, words(d), dst,
                               id(rx.node));
        q.choices = {"out of every other port (it floods)", fmt::format("out of port {} only", toward + 1), "nowhere: it drops or filters it"};
        q.answer = flooded ? 0 : out_port >= 0 ? 1 : 2;
        q.why = flooded ? fmt::format("{} floods: {}", id(rx.node), dst == "ff:ff:ff:ff:ff:ff" ? "a broadcast goes to every other port"
                                                                                                 : "its MAC table has no entry for " + dst + " yet")
                : out_port >= 0 ? fmt::format("{} forwards it to port {} only: its MAC table says {} is there", id(rx.node), out_port + 1, dst)
                                : fmt::format("{} filters it: {} is on the port it came in on", id(rx.node), dst);
        return q;
    }

    // A router is about to forward a packet: the TTL it leaves with, or the MAC it writes.
    std::optional<Question> at_router(std::size_t i, QuizKind kind) const {
        const RecordedEvent& rx = ev_[i];
        const RecordedEvent* rewrite = nullptr;
        for (std::size_t j = i + 1; j < ev_.size() && !rewrite; ++j) {
            if (ev_[j].node != rx.node || ev_[j].pkt != rx.pkt) continue;
            if (ev_[j].ev == Ev::Rewrite) rewrite = &ev_[j];
            else if (ev_[j].ev == Ev::Rx || ev_[j].ev == Ev::Drop) break;
        }
        if (!rewrite) return std::nullopt;
        const net::Dissection d = net::dissect(rx.bytes);
        Question q;
        q.kind = kind;
        q.event = i;
        q.t = rx.t;
        if (kind == QuizKind::Ttl) {
            const FieldChange* ttl = find_change(rewrite->changes, "ipv4.ttl");
            if (!ttl) return std::nullopt;
            const int before = std::stoi(std::string(ttl->from())), after = std::stoi(std::string(ttl->to()));
            q.prompt = fmt::format("{} receives this packet with TTL {}: {}. With what TTL does it leave {}?", id(rx.node), before, words(d), id(rx.node));
            // The distractors change from question to question, so the answer's place does too.
            std::set<int> options{after, before, i % 2 ? std::max(0, after - 1) : before + 1};
            if (options.size() < 3) options.insert(before + 1);
            for (int o : options) q.choices.push_back(std::to_string(o));
            q.answer = static_cast<std::size_t>(std::find(q.choices.begin(), q.choices.end(), std::to_string(after)) - q.choices.begin());
            q.why = fmt::format("every router takes one off the TTL: {} leaves with {} (and a new header checksum)", before, after);
            return q;
        }
        const FieldChange* dst = find_change(rewrite->changes, "eth.dst");
        if (!dst) return std::nullopt;
        const std::string next(dst->to()), ip_dst = field(d, "ipv4", "dst");
        const int final_node = owner_of_ip(ip_dst), next_node = owner_of_mac(next);
        std::set<std::string> options{next, std::string(dst->from()), "ff:ff:ff:ff:ff:ff"};
        if (final_node >= 0 && final_node != next_node) options.insert(sc_.nodes[static_cast<std::size_t>(final_node)].interfaces[0].mac.to_string());
        q.prompt = fmt::format("{} forwards this packet toward {}: {}. Which destination MAC does it write into the frame?", id(rx.node), ip_dst, words(d));
        auto label = [&](const std::string& mac) {
            const int n = owner_of_mac(mac);
            return n >= 0 ? fmt::format("{} ({})", mac, id(n)) : mac == "ff:ff:ff:ff:ff:ff" ? mac + " (broadcast)" : mac;
        };
        for (const std::string& o : options) q.choices.push_back(label(o));
        q.answer = static_cast<std::size_t>(std::find(q.choices.begin(), q.choices.end(), label(next)) - q.choices.begin());
        q.why = next_node >= 0 && next_node != final_node
                    ? fmt::format("the next hop's MAC ({}), not {}'s: Ethernet addresses change at every router, IP addresses do not", id(next_node),
                                  final_node >= 0 ? id(final_node) : ip_dst)
                    : fmt::format("{}'s MAC: {} is on a network {} is attached to", next_node >= 0 ? id(next_node) : next, ip_dst, id(rx.node));
        return q;
    }

    // A host asks ARP: who answers?
    std::optional<Question> at_arp(std::size_t i) const {
        const RecordedEvent& send = ev_[i];
        const net::Dissection d = net::dissect(send.bytes);
        if (field(d, "arp", "op") != "1") return std::nullopt;
        const std::string tpa = field(d, "arp", "tpa"), spa = field(d, "arp", "spa");
        int answered_by = -1;
        for (std::size_t j = i + 1; j < ev_.size() && answered_by < 0; ++j) {
            if (ev_[j].ev != Ev::Send) continue;
            const net::Dissection r = net::dissect(ev_[j].bytes);
            if (field(r, "arp", "op") == "2" && field(r, "arp", "spa") == tpa && field(r, "arp", "tpa") == spa) answered_by = ev_[j].node;
        }
        const int owner = owner_of_ip(tpa);
        std::set<std::string> options{"nobody answers"};
        if (answered_by >= 0) options.insert(id(answered_by));
        if (owner >= 0) options.insert(id(owner));
        for (std::size_t n = 0; n < sc_.nodes.size() && options.size() < 4; ++n)  // others that heard the broadcast
            if (static_cast<int>(n) != send.node && sc_.nodes[n].kind != NodeKind::Switch && sc_.nodes[n].kind != NodeKind::Hub)
                options.insert(sc_.nodes[n].id);
        Question q;
        q.kind = QuizKind::Arp;
        q.event = i;
        q.t = send.t;
        q.prompt = fmt::format("{} broadcasts: who has {}? Who answers?", id(send.node), tpa);
        q.choices.assign(options.begin(), options.end());
        const std::string right = answered_by >= 0 ? id(answered_by) : "nobody answers";
        q.answer = static_cast<std::size_t>(std::find(q.choices.begin(), q.choices.end(), right) - q.choices.begin());
        q.why = answered_by >= 0 ? fmt::format("{} owns {} and answers {} alone (a unicast reply); everyone else ignores the question", right, tpa, id(send.node))
                                 : fmt::format("no node on {}'s network has {}: the request goes unanswered", id(send.node), tpa);
        return q;
    }

    // A host starts sending onto a hub: will the frame collide?
    std::optional<Question> at_hub_send(std::size_t i) const {
        const RecordedEvent& tx = ev_[i];
        if (tx.link < 0) return std::nullopt;
        const auto& [a, b] = sc_.links[static_cast<std::size_t>(tx.link)].ends;
        const int hub = sc_.nodes[static_cast<std::size_t>(a.node)].kind == NodeKind::Hub ? a.node
                        : sc_.nodes[static_cast<std::size_t>(b.node)].kind == NodeKind::Hub ? b.node : -1;
        if (hub < 0 || sc_.nodes[static_cast<std::size_t>(tx.node)].kind != NodeKind::Host) return std::nullopt;
        bool collided = false;
        for (std::size_t j = i + 1; j < ev_.size(); ++j) {
            if (ev_[j].node == tx.node && ev_[j].ev == Ev::Tx && ev_[j].pkt == tx.pkt) break;  // its next attempt
            if (ev_[j].ev == Ev::Collision && ev_[j].pkt == tx.pkt) collided = true;
        }
        Question q;
        q.kind = QuizKind::Collision;
        q.event = i;
        q.t = tx.t;
        q.prompt = fmt::format("{} starts sending a frame onto hub {}: {}. Will it collide?", id(tx.node), id(hub), words(net::dissect(tx.bytes)));
        q.choices = {"yes", "no"};
        q.answer = collided ? 0 : 1;
        q.why = collided ? "another station started before this frame's signal reached it: the signals meet on the shared medium, both jam and back off"
                         : "no other station was sending while it was on the wire: it gets through";
        return q;
    }

    // The first event from i on that `match` accepts, or null.
    template <class Match>
    const RecordedEvent* first_from(std::size_t i, Match match) const {
        for (std::size_t j = i; j < ev_.size(); ++j)
            if (match(ev_[j])) return &ev_[j];
        return nullptr;
    }

    Question stp_question(std::size_t i, std::string prompt) const {
        Question q;
        q.kind = QuizKind::Stp;
        q.event = i;
        q.t = ev_[i].t;
        q.prompt = std::move(prompt);
        return q;
    }

    // The spanning tree starts (its first port state event): which switch
    // does the run elect root? The answer is the root the first switch to
    // hear of another learned.
    std::optional<Question> stp_root(std::size_t i) const {
        const RecordedEvent* learned = first_from(i, [](const RecordedEvent& e) { return e.ev == Ev::State && e.conn == "stp root"; });
        if (!learned) return std::nullopt;
        Question q = stp_question(i, "The switches start the spanning tree protocol. Which one becomes the root bridge?");
        for (std::size_t n = 0; n < sc_.nodes.size() && q.choices.size() < 4; ++n) {
            if (!sc_.nodes[n].stp) continue;
            const net::BridgeId b{sc_.nodes[n].stp_priority, switch_port_mac(static_cast<int>(n), 0)};
            if (b.to_string() == learned->to_state) q.answer = q.choices.size();
            q.choices.push_back(fmt::format("{} (bridge id {})", sc_.nodes[n].id, b.to_string()));
        }
        q.why = fmt::format("the root is {}: the lowest bridge id, priority first, then MAC; every switch learns it from the BPDUs it hears",
                            learned->to_state);
        return q;
    }

    // Which port will block? The first port the run sends to blocking as an alternate.
    std::optional<Question> stp_block(std::size_t i) const {
        const RecordedEvent* blocked = first_from(i, [](const RecordedEvent& e) {
            return e.ev == Ev::State && e.conn == "stp" && e.to_state == "blocking" && e.role == "alternate";
        });
        if (!blocked) return std::nullopt;
        Question q = stp_question(i, "The loop must lose one link. Which port will the spanning tree block?");
        // Ports between two STP switches: the right one and up to three others.
        std::vector<std::pair<int, int>> ports{{blocked->node, blocked->port}};
        for (const LinkSpec& l : sc_.links)
            for (int end = 0; end < 2 && ports.size() < 4; ++end) {
                const Endpoint& e = l.ends[static_cast<std::size_t>(end)];
                const Endpoint& o = l.ends[static_cast<std::size_t>(1 - end)];
                if (sc_.nodes[static_cast<std::size_t>(e.node)].stp && sc_.nodes[static_cast<std::size_t>(o.node)].stp &&
                    std::find(ports.begin(), ports.end(), std::pair{e.node, e.port}) == ports.end())
                    ports.emplace_back(e.node, e.port);
            }
        std::sort(ports.begin(), ports.end());
        for (const auto& [node, port] : ports) {
            if (node == blocked->node && port == blocked->port) q.answer = q.choices.size();
            q.choices.push_back(fmt::format("{} port {}", id(node), port + 1));
        }
        q.why = fmt::format("{} port {} blocks: each switch keeps its best path to the root (its root port), each link keeps "
                            "the port nearest the root (designated, ties to the lower bridge id), and this port is neither",
                            id(blocked->node), blocked->port + 1);
        return q;
    }

private:
    const Scenario& sc_;
    const std::vector<RecordedEvent>& ev_;
};

}  // namespace

std::vector<Question> make_quiz(const Scenario& sc, const std::vector<RecordedEvent>& events, const std::vector<QuizKind>& kinds,
                                std::size_t max, SimTime after) {
    auto wanted = [&](QuizKind k) { return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
    const Maker m(sc, events);
    std::vector<Question> out;
    std::set<std::string> asked;
    auto add = [&](std::optional<Question> q) {
        if (q && q->answer < q->choices.size() && q->choices.size() >= 2 && asked.insert(q->prompt).second) out.push_back(std::move(*q));
    };
    for (std::size_t i = 0; i < events.size() && out.size() < max; ++i) {
        const RecordedEvent& e = events[i];
        if (e.t < after.count() || e.node < 0) continue;
        const NodeKind kind = sc.nodes[static_cast<std::size_t>(e.node)].kind;
        if (e.ev == Ev::Rx && kind == NodeKind::Switch && wanted(QuizKind::Switch)) add(m.at_switch(i));
        if (e.ev == Ev::Rx && kind == NodeKind::Router) {
            if (wanted(QuizKind::Ttl)) add(m.at_router(i, QuizKind::Ttl));
            if (wanted(QuizKind::Mac) && out.size() < max) add(m.at_router(i, QuizKind::Mac));
        }
        if (e.ev == Ev::Send && wanted(QuizKind::Arp)) add(m.at_arp(i));
        if (e.ev == Ev::Tx && wanted(QuizKind::Collision)) add(m.at_hub_send(i));
        if (e.ev == Ev::State && e.conn == "stp" && wanted(QuizKind::Stp)) {
            add(m.stp_root(i));
            if (out.size() < max) add(m.stp_block(i));
        }
    }
    return out;
}

}  // namespace hopsim::sim
