#pragma once
// Bytes -> the list of layers the trace shows (eth, arp, ipv4, icmp, udp, tcp,
// llc, stp, dhcp, dns, rip, app), outermost first. The dissector never fails as a whole: on malformed or
// truncated bytes it keeps the layers it could read and records the error;
// checksums are judged (checksum_ok) but never stop it. No allocation: the
// result has fixed capacity, and every field knows the bytes it came from so a
// viewer can highlight them.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hopsim/netstack/bytes.hpp"
#include "hopsim/netstack/parse_error.hpp"

namespace hopsim::net {

enum class FieldFormat : std::uint8_t {
    Unsigned,  // 42
    Hex16,     // "0x0800"
    Mac,       // "02:00:00:00:00:0b"
    Ipv4,      // "10.0.0.1"
    TcpFlags,  // "SYN,ACK"
    Bool,      // true
    Time256,   // a time in 1/256 s as a BPDU carries it: "2s", "0.199s"
    Unknown,   // not known yet, though bytes hold a placeholder: JSON null, "unresolved" for people
};

struct Field {
    const char* name = "";
    FieldFormat format = FieldFormat::Unsigned;
    std::uint64_t value = 0;
    std::uint32_t offset = 0;  // first byte in the frame
    std::uint32_t length = 0;  // bytes it spans (0 for derived fields such as checksum_ok)
};

struct Layer {
    static constexpr std::size_t kMaxFields = 16;
    const char* name = "";
    std::uint32_t offset = 0;  // frames may exceed 65,535 bytes (a jumbo reassembly, a pasted blob)
    std::uint32_t length = 0;
    std::array<Field, kMaxFields> fields{};
    std::uint8_t field_count = 0;

    void add(const char* field, FieldFormat f, std::uint64_t v, std::size_t off, std::size_t len);
    const Field* find(std::string_view field) const;
};

struct Dissection {
    static constexpr std::size_t kMaxLayers = 6;
    std::array<Layer, kMaxLayers> layers{};
    std::uint8_t layer_count = 0;
    std::optional<ParseError> error;  // offsets in it are from the start of the frame

    const Layer* find(std::string_view layer) const;
    // Value of layer.field, if both are present.
    std::optional<std::uint64_t> value(std::string_view layer, std::string_view field) const;
    // layer.field as the trace prints it ("10.0.0.2", "SYN,ACK"), or "" if absent.
    std::string text(std::string_view layer, std::string_view field) const;
    const Layer& top() const { return layers[layer_count - 1]; }
    // Says layer.field's bytes are a placeholder (a send event's Ethernet
    // destination before ARP has answered).
    void mark_unknown(std::string_view layer, std::string_view field);
};

Dissection dissect(Bytes frame);

// Field value as the trace prints it, without JSON quoting ("0x0800", "SYN,ACK", "42").
std::string format_field(const Field& f);
void append_field_value(const Field& f, std::string& out);

// Appends the JSON array of layers to `out` (the trace's "layers" value). An
// error becomes a final {"layer":"error","message":...} entry.
void append_layers_json(const Dissection& d, std::string& out);

// Appends `s` as a quoted JSON string, escaping quotes, backslashes and controls.
void append_json_string(std::string& out, std::string_view s);

}  // namespace hopsim::net
