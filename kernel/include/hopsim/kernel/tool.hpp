#pragma once
// Running the system's network tools (ip, tc, sysctl, ping, dumpcap) without
// a shell: the argument vector is passed as is, so no scenario name or
// address is ever interpreted by one.

#include <string>
#include <sys/types.h>
#include <vector>

namespace hopsim::kernel {

struct ToolResult {
    int status = -1;     // the exit status, or -1 if it could not be started or was killed
    std::string output;  // stdout and stderr together
    bool ok() const { return status == 0; }
};

// Runs argv[0] (looked up on PATH) to completion.
ToolResult run_tool(const std::vector<std::string>& argv);

// A tool left running (a ping at its scenario time, a capture): started now,
// collected by finish(). The destructor stops and reaps it if still running.
class RunningTool {
public:
    explicit RunningTool(const std::vector<std::string>& argv);
    RunningTool(const RunningTool&) = delete;
    RunningTool& operator=(const RunningTool&) = delete;
    ~RunningTool();

    bool started() const { return pid_ > 0; }
    bool exited();                 // true once it has ended (reaps it)
    void stop(int signal);         // asks it to end
    ToolResult finish();           // waits for the end; its output so far

private:
    void drain();  // reads what the tool has written
    pid_t pid_ = -1;
    int out_ = -1;
    int status_ = -1;
    bool reaped_ = false;
    std::string output_;
};

std::string join_args(const std::vector<std::string>& argv);  // for messages: "ip -n x link set ..."

}  // namespace hopsim::kernel
