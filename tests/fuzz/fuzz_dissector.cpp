// libFuzzer entry: the dissector must accept any bytes (ASan/UBSan watch it).
#include <cstddef>
#include <cstdint>
#include <string>

#include "hopsim/netstack/dissector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto d = hopsim::net::dissect(hopsim::net::Bytes(data, size));
    std::string json;
    hopsim::net::append_layers_json(d, json);
    return 0;
}
