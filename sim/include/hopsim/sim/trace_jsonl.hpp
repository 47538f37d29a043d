#pragma once
// The JSON Lines trace (contract section 2): one event per line, in time
// order, each frame's layers dissected from its bytes. Lines are built in one
// reused buffer and written through a large stdio buffer.

#include <cstdio>
#include <string>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

class JsonlSink final : public TraceSink {
public:
    // `out` stays owned by the caller and must outlive the sink.
    JsonlSink(std::FILE* out, const Scenario& sc) : out_(out), sc_(sc) {}
    void on_event(const TraceEvent& e) override;
    void finish() override { std::fflush(out_); }

    // The line for one event, without the newline (for tests and the viewer).
    static void format(const TraceEvent& e, const Scenario& sc, std::string& line);

private:
    std::FILE* out_;
    const Scenario& sc_;
    std::string line_;
};

}  // namespace hopsim::sim
