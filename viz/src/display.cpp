#include "hopsim/viz/display.hpp"

#include <X11/Xlib.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace hopsim::viz {

bool display_available(const std::string& command, std::string& why) {
    const char* name = std::getenv("DISPLAY");
    if (!name || !*name) {
        why = "no X display (DISPLAY is not set); run it under a virtual one: xvfb-run -a hopsim " + command + " ...";
        return false;
    }
    Display* d = XOpenDisplay(nullptr);
    if (!d) {
        why = std::string("cannot open X display \"") + name + "\"; try: xvfb-run -a hopsim " + command + " ...";
        return false;
    }
    // Kept open until exit: an X server (Xvfb's default) resets when its last
    // client disconnects, and SFML's own connection, made next, can land in
    // the middle of that reset and fail.
    static std::unique_ptr<Display, int (*)(Display*)> kept(nullptr, XCloseDisplay);
    if (!kept) kept.reset(d);
    else XCloseDisplay(d);
    return true;
}

std::optional<std::string> find_font(bool mono) {
    const char* known = mono ? "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf" : "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (std::filesystem::exists(known)) return known;
    std::FILE* p = ::popen(mono ? "fc-match --format=%{file} monospace 2>/dev/null" : "fc-match --format=%{file} sans 2>/dev/null", "r");
    if (!p) return std::nullopt;
    std::array<char, 512> buf{};
    const std::size_t n = std::fread(buf.data(), 1, buf.size() - 1, p);
    ::pclose(p);
    std::string path(buf.data(), n);
    if (!path.empty() && std::filesystem::exists(path)) return path;
    return std::nullopt;
}

}  // namespace hopsim::viz

#include "hopsim/viz/fonts.hpp"

namespace hopsim::viz {

bool Fonts::load(std::string& why) {
    for (bool mono : {false, true}) {
        const auto path = find_font(mono);
        if (!path || !(mono ? this->mono : sans).loadFromFile(*path)) {
            why = std::string("no ") + (mono ? "monospace" : "sans") + " font found (install fonts-dejavu-core)";
            return false;
        }
    }
    return true;
}

}  // namespace hopsim::viz
