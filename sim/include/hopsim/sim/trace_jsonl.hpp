#pragma once
// The JSON Lines trace (contract section 2): one event per line, in time
// order, each frame's layers dissected from its bytes. Lines are built in one
// reused buffer and written through a large stdio buffer. A frame's layers
// are formatted once and reused while its bytes stay the same: its tx and rx,
// a router's rewrite and the tx that follows carry identical bytes.

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

class JsonlSink final : public TraceSink {
public:
    // `out` stays owned by the caller and must outlive the sink.
    JsonlSink(std::FILE* out, const Scenario& sc) : out_(out), sc_(sc) {}
    void on_event(const TraceEvent& e) override;
    void finish() override;
    // The errno of the first failed write or flush; 0 if every line was written.
    int error() const { return error_; }

    // The line for one event, without the newline (for tests and the viewer).
    static void format(const TraceEvent& e, const Scenario& sc, std::string& line);

private:
    // Everything before "len" and "layers".
    static void format_head(const TraceEvent& e, const Scenario& sc, std::string& out);
    const std::string& layers_of(const TraceEvent& e);

    struct Layers {  // one packet's latest bytes and their "layers" JSON
        std::uint64_t pkt = 0;
        std::vector<std::uint8_t> bytes;
        std::string json;
    };
    std::FILE* out_;
    int error_ = 0;
    const Scenario& sc_;
    std::string line_, unresolved_;
    std::array<Layers, 64> cache_;  // by pkt id: the packets in flight at once in a busy run
};

}  // namespace hopsim::sim
