// hopsim dissect HEX: the netstack's dissector on bytes a student pastes in,
// e.g. from Wireshark's "Copy as Hex Stream".

#include <fmt/core.h>

#include <cctype>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hopsim/netstack/dissector.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::vector<std::string> hex;
    bool json = false;
};

// Hex digits with optional spaces, colons or a 0x prefix; the error names the column.
bool parse_hex(const std::string& text, std::vector<std::uint8_t>& out, std::string& error) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            ++i;
            continue;
        }
        if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
        else if (c != ' ' && c != ':' && c != '-' && c != '\n' && c != '\t') {
            error = fmt::format("column {}: '{}' is not a hex digit", i + 1, c);
            return false;
        }
    }
    if (digits.size() % 2) {
        error = "odd number of hex digits: the last byte is incomplete";
        return false;
    }
    for (std::size_t i = 0; i < digits.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return true;
}

int run(const Options& o) {
    std::string all;
    for (const auto& h : o.hex) all += h;
    std::vector<std::uint8_t> bytes;
    std::string error;
    if (!parse_hex(all, bytes, error)) {
        fmt::print(stderr, "hopsim dissect: {}\n", error);
        return kExitBadInput;
    }
    const net::Dissection d = net::dissect(bytes);
    if (o.json) {
        std::string out;
        net::append_layers_json(d, out);
        fmt::print("{}\n", out);
        return kExitOk;
    }
    fmt::print("{} bytes\n", bytes.size());
    for (std::size_t i = 0; i < d.layer_count; ++i) {
        const net::Layer& l = d.layers[i];
        fmt::print("{:<5} (bytes {}-{})\n", l.name, l.offset, l.offset + l.length - 1);
        for (std::size_t k = 0; k < l.field_count; ++k)
            fmt::print("      {:<12} {}\n", l.fields[k].name, net::format_field(l.fields[k]));
    }
    if (d.error) fmt::print("error: {}\n", d.error->message());
    return kExitOk;
}

}  // namespace

Command add_dissect(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("dissect", "Decode the bytes of one Ethernet frame, layer by layer");
    cmd->add_option("hex", o->hex, "Frame bytes in hex (spaces and colons allowed)")->required();
    cmd->add_flag("--json", o->json, "Print the layers as the trace's JSON");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
