// hopsim dissect HEX: the netstack's dissector on bytes a student pastes in,
// e.g. from Wireshark's "Copy as Hex Stream".

#include <fmt/core.h>

#include <string>
#include <vector>

#include "commands.hpp"
#include "hopsim/netstack/dissector.hpp"
#include "hopsim/netstack/hex.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::vector<std::string> hex;
    bool json = false;
};

int run(const Options& o) {
    std::string all;
    for (const auto& h : o.hex) all += h;
    auto parsed = net::parse_hex(all, net::HexInput::Pasted);
    if (!parsed) {
        fmt::print(stderr, "hopsim dissect: {}\n", parsed.error());
        return kExitBadInput;
    }
    const std::vector<std::uint8_t>& bytes = *parsed;
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
