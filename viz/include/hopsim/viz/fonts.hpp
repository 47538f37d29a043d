#pragma once
// The two faces the pictures use: a sans for labels and a monospace for the
// hex dump and the header tables, where columns must line up.

#include <SFML/Graphics/Font.hpp>
#include <string>

namespace hopsim::viz {

struct Fonts {
    sf::Font sans, mono;
    // False with `why` set when a face cannot be found or read.
    bool load(std::string& why);
};

}  // namespace hopsim::viz
