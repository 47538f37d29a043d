#pragma once
// The palette and the one text helper every part of the picture shares.

#include <SFML/Graphics.hpp>
#include <cmath>
#include <string>

namespace hopsim::viz {

inline const sf::Color kBackground(250, 250, 247), kInk(40, 44, 52), kMuted(120, 124, 130), kLink(170, 174, 180);
inline const sf::Color kHost(66, 110, 180), kHub(214, 140, 30), kSwitch(30, 140, 130), kRouter(130, 80, 170);
inline const sf::Color kAlert(210, 40, 40), kFresh(255, 236, 150), kSelect(200, 220, 250), kPanel(242, 243, 245);
inline const sf::Color kChanged(255, 214, 120);

// Draws `s` at p (top-left, or top-centre when `centred`), on a white box
// when `boxed`; returns the box it covers.
inline sf::FloatRect put_text(sf::RenderTarget& target, const sf::Font& font, const std::string& s, sf::Vector2f p,
                              unsigned size, sf::Color c, bool centred = false, bool boxed = false) {
    sf::Text t(sf::String::fromUtf8(s.begin(), s.end()), font, size);
    t.setFillColor(c);
    const sf::FloatRect b = t.getLocalBounds();
    if (centred) t.setOrigin(std::round(b.left + b.width / 2), 0);
    t.setPosition(std::round(p.x), std::round(p.y));
    const sf::FloatRect box(t.getPosition().x - (centred ? b.width / 2 : 0) - 3, p.y + b.top - 3, b.width + 6, b.height + 6);
    if (boxed) {
        sf::RectangleShape r({box.width, box.height});
        r.setPosition(box.left, box.top);
        r.setFillColor(sf::Color(255, 255, 255, 225));
        target.draw(r);
    }
    target.draw(t);
    return box;
}

// `s`, cut to n characters with "..." when longer.
inline std::string clip(std::string s, std::size_t n) {
    if (s.size() > n) s = s.substr(0, n - 3) + "...";
    return s;
}

inline void fill_rect(sf::RenderTarget& target, sf::FloatRect r, sf::Color fill, sf::Color outline = sf::Color::Transparent) {
    sf::RectangleShape s({r.width, r.height});
    s.setPosition(r.left, r.top);
    s.setFillColor(fill);
    if (outline != sf::Color::Transparent) {
        s.setOutlineColor(outline);
        s.setOutlineThickness(1);
    }
    target.draw(s);
}

}  // namespace hopsim::viz
