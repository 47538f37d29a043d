#pragma once
// Classic first-version IPC bugs, run on purpose and explained, each next to
// its fix, so an instructor can show both side by side (hopsim ipc --demo-bug).

#include <optional>
#include <string>
#include <string_view>

namespace hopsim::ipc {

enum class DemoBug {
    FifoTilde,     // mkfifo/open("~/my_pipe"): ENOENT, the shell expands ~ and open(2) does not
    ShmCounter,    // a one-byte counter as the "protocol": wraps, loses and tears messages, spins a core
    PipeUnclosed,  // the reader keeps its copy of the write end: end-of-file never comes
};
std::optional<DemoBug> parse_demo_bug(std::string_view name);

struct DemoOutcome {
    bool failed_as_documented = false;  // the bug did what docs/ipc.md says, and the fix did not
    std::string text;                   // the explanation, with what was measured
    std::string json;                   // the same figures, one object
};

DemoOutcome run_demo_bug(DemoBug bug);
DemoOutcome demo_fifo_tilde();
DemoOutcome demo_shm_counter();
DemoOutcome demo_pipe_unclosed();

}  // namespace hopsim::ipc
