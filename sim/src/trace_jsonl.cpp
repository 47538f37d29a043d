#include "hopsim/sim/trace_jsonl.hpp"

#include <cerrno>

#include <fmt/format.h>

#include <algorithm>

#include "hopsim/netstack/dissector.hpp"

namespace hopsim::sim {

namespace {
void key(std::string& out, const char* k) {
    out += ",\"";
    out += k;
    out += "\":";
}
void number(std::string& out, const char* k, std::uint64_t v) {
    key(out, k);
    fmt::format_to(std::back_inserter(out), "{}", v);
}
void text(std::string& out, const char* k, std::string_view v) {
    key(out, k);
    net::append_json_string(out, v);
}
}  // namespace

void JsonlSink::format_head(const TraceEvent& e, const Scenario& sc, std::string& out) {
    out.clear();
    fmt::format_to(std::back_inserter(out), "{{\"t\":{},\"ev\":\"{}\"", e.t.count(), to_string(e.ev));
    if (e.node >= 0) text(out, "node", sc.nodes[static_cast<std::size_t>(e.node)].id);
    if (e.node >= 0 && e.port >= 0) text(out, "port", sc.port_name(e.node, e.port));
    if (e.frame) number(out, "frame", e.frame);
    if (e.pkt) number(out, "pkt", e.pkt);
    if (e.link >= 0) {
        text(out, "link", sc.link_name(e.link));
        number(out, "wire_ns", static_cast<std::uint64_t>(e.wire.count()));
    }
    if (e.reason) text(out, "reason", e.reason);
    if (e.table != Table::None) {
        text(out, "table", to_string(e.table));
        text(out, "key", e.key);
        text(out, "value", e.value);
        if (!e.old.empty()) text(out, "old", e.old);
        if (e.vlan) number(out, "vlan", e.vlan);
    }
    if (e.flow >= 0) text(out, "flow", sc.traffic[static_cast<std::size_t>(e.flow)].id);
    if (e.ev == Ev::Deliver) number(out, "bytes", e.nbytes);
    if (!e.conn.empty()) text(out, "conn", e.conn);
    if (e.ev == Ev::State) {
        text(out, "from", e.from_state);
        text(out, "to", e.to_state);
        if (e.role) text(out, "role", e.role);
    } else if (e.ev == Ev::Retransmit) {
        number(out, "seq", e.seq);
        number(out, "len", e.len);
        text(out, "cause", e.cause);
        if (e.rto.count() > 0) number(out, "rto_ns", static_cast<std::uint64_t>(e.rto.count()));
    } else if (e.ev == Ev::Cwnd) {
        number(out, "cwnd", e.cwnd);
        number(out, "ssthresh", e.ssthresh);
    }
    if (!e.changes.empty()) {
        key(out, "changes");
        out += '[';
        for (std::size_t i = 0; i < e.changes.size(); ++i) {
            const FieldChange& c = e.changes[i];
            if (i) out += ',';
            out += "{\"field\":\"";
            out += c.field;
            out += "\",\"from\":";
            if (c.numeric) out += c.from();
            else net::append_json_string(out, c.from());
            out += ",\"to\":";
            if (c.numeric) out += c.to();
            else net::append_json_string(out, c.to());
            out += '}';
        }
        out += ']';
    }
    if (!e.detail.empty()) text(out, "detail", e.detail);
    if (!e.bytes.empty()) number(out, "len", e.bytes.size());
}

void JsonlSink::format(const TraceEvent& e, const Scenario& sc, std::string& out) {
    format_head(e, sc, out);
    if (!e.bytes.empty()) {
        key(out, "layers");
        net::append_layers_json(dissect_event(e.bytes, e.eth_dst_unresolved), out);
    }
    out += '}';
}

const std::string& JsonlSink::layers_of(const TraceEvent& e) {
    if (e.eth_dst_unresolved) {  // a send event's; never shared with the frames that follow
        unresolved_.clear();
        net::append_layers_json(dissect_event(e.bytes, true), unresolved_);
        return unresolved_;
    }
    Layers& c = cache_[e.pkt % cache_.size()];
    if (c.pkt != e.pkt || !std::equal(c.bytes.begin(), c.bytes.end(), e.bytes.begin(), e.bytes.end())) {
        c.pkt = e.pkt;
        c.bytes.assign(e.bytes.begin(), e.bytes.end());
        c.json.clear();
        net::append_layers_json(net::dissect(e.bytes), c.json);
    }
    return c.json;
}

void JsonlSink::on_event(const TraceEvent& e) {
    format_head(e, sc_, line_);
    if (!e.bytes.empty()) {
        key(line_, "layers");
        line_ += layers_of(e);
    }
    line_ += "}\n";
    if (!error_ && std::fwrite(line_.data(), 1, line_.size(), out_) != line_.size()) error_ = errno ? errno : EIO;
}

void JsonlSink::finish() {
    if (std::fflush(out_) != 0 && !error_) error_ = errno ? errno : EIO;
}

}  // namespace hopsim::sim
