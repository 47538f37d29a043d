#pragma once
// Paths a student types. A shell expands "~"; open(2), mkfifo(3) and bind(2)
// do not, so "~/my_pipe" names a directory called "~" in the current one and
// fails with ENOENT. hopsim expands it the way the shell would, and says so.

#include <string>

#include "hopsim/netstack/result.hpp"

namespace hopsim::ipc {

struct ExpandedPath {
    std::string path;
    std::string note;  // "expanded ~ to /root (the shell would; open(2) does not)", or ""
};
// "~" and "~/x" from $HOME, "~user/x" from the password database; refuses
// with a sentence when there is no home to expand to.
Result<ExpandedPath, std::string> expand_tilde(const std::string& path);

// A fresh private directory (mode 0700) for a run's FIFOs and socket files,
// removed with whatever is left in it when the object goes.
class WorkDir {
public:
    static Result<WorkDir, std::string> make(const std::string& base);  // "" = $TMPDIR or /tmp
    WorkDir(WorkDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
    WorkDir& operator=(WorkDir&&) = delete;
    ~WorkDir();
    const std::string& path() const { return path_; }

private:
    explicit WorkDir(std::string p) : path_(std::move(p)) {}
    std::string path_;
};

}  // namespace hopsim::ipc
