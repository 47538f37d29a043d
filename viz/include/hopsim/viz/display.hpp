#pragma once
// What drawing needs from the machine: an X display (SFML 2.5 has no
// display-less mode and aborts without one) and a font from a Debian package.

#include <optional>
#include <string>

namespace hopsim::viz {

// True if an X display can be opened; otherwise `why` says what to do
// ("no X display: run it as xvfb-run -a hopsim render ...").
bool display_available(const std::string& command, std::string& why);

// DejaVu Sans / DejaVu Sans Mono (fonts-dejavu-core), or what fontconfig
// offers for "sans" / "monospace".
std::optional<std::string> find_font(bool mono = false);

}  // namespace hopsim::viz
