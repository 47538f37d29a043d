#include "hopsim/ipc/demo_bugs.hpp"

namespace hopsim::ipc {

std::optional<DemoBug> parse_demo_bug(std::string_view name) {
    if (name == "fifo-tilde") return DemoBug::FifoTilde;
    if (name == "shm-counter") return DemoBug::ShmCounter;
    if (name == "pipe-unclosed") return DemoBug::PipeUnclosed;
    return std::nullopt;
}

DemoOutcome run_demo_bug(DemoBug bug) {
    switch (bug) {
        case DemoBug::FifoTilde: return demo_fifo_tilde();
        case DemoBug::ShmCounter: return demo_shm_counter();
        case DemoBug::PipeUnclosed: return demo_pipe_unclosed();
    }
    return {};
}

}  // namespace hopsim::ipc
