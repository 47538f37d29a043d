// hopsim render / hopsim view: their options are checked here, then the
// command line goes to hopsim-viz, which draws (it links SFML, X11 and GL;
// hopsim does not, so every other command starts in a few milliseconds).

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "picture_options.hpp"

namespace hopsim::cli {

namespace {

int forward(const char* command, char** argv) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string viz = (ec ? std::filesystem::path(argv[0]).parent_path() : self.parent_path()) / "hopsim-viz";
    argv[0] = const_cast<char*>(viz.c_str());
    ::execv(viz.c_str(), argv);
    fmt::print(stderr, "hopsim {}: cannot start {}: {} (it is built with hopsim: cmake --build build)\n", command, viz,
               std::strerror(errno));
    return kExitFailed;
}

}  // namespace

Command add_render_forward(CLI::App& app, char** argv) {
    auto o = std::make_shared<PictureOptions>();
    // The lambda keeps `o` alive: the parser writes the options into it.
    return {add_render_command(app, *o), [o, argv] { return o ? forward("render", argv) : kExitFailed; }};
}

Command add_view_forward(CLI::App& app, char** argv) {
    auto o = std::make_shared<PictureOptions>();
    return {add_view_command(app, *o), [o, argv] { return o ? forward("view", argv) : kExitFailed; }};
}

}  // namespace hopsim::cli
