#include "hopsim/ipc/paths.hpp"

#include <dirent.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "sys_error.hpp"

namespace hopsim::ipc {

Result<ExpandedPath, std::string> expand_tilde(const std::string& path) {
    if (path.empty() || path[0] != '~') return ExpandedPath{path, ""};
    const std::size_t slash = path.find('/');
    const std::string user = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    const std::string rest = slash == std::string::npos ? "" : path.substr(slash);
    std::string home;
    if (user.empty()) {
        const char* h = std::getenv("HOME");
        if (!h || !*h)
            return Unexpected{"cannot expand ~ in " + path +
                              ": HOME is not set (the shell expands ~, open(2) never does); give a full path"};
        home = h;
    } else {
        const passwd* pw = ::getpwnam(user.c_str());
        if (!pw) return Unexpected{"cannot expand ~" + user + " in " + path + ": no user " + user + "; give a full path"};
        home = pw->pw_dir;
    }
    return ExpandedPath{home + rest, "expanded ~" + user + " to " + home + " (the shell would have; open(2) does not)"};
}

Result<WorkDir, std::string> WorkDir::make(const std::string& base) {
    std::string dir = base;
    if (dir.empty()) {
        const char* t = std::getenv("TMPDIR");
        dir = t && *t ? t : "/tmp";
    }
    std::string templ = dir + "/hopsim-ipc-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) return Unexpected{sys_error("make a directory in " + dir)};
    return WorkDir(buf.data());
}

WorkDir::~WorkDir() {
    if (path_.empty()) return;
    // Whatever a killed side left behind (its FIFOs and sockets are unlinked
    // by the transport; this is the safety net), then the directory.
    if (DIR* d = ::opendir(path_.c_str())) {
        while (const dirent* e = ::readdir(d))
            if (std::string n = e->d_name; n != "." && n != "..") ::unlink((path_ + "/" + n).c_str());
        ::closedir(d);
    }
    ::rmdir(path_.c_str());
}

}  // namespace hopsim::ipc
