#pragma once
// The SFML backend: paints a Canvas into a window or an offscreen texture,
// and measures text with the same fonts it draws with, so the boxes the scene
// model places are the boxes that get inked.

#include <SFML/Graphics.hpp>
#include <array>
#include <map>
#include <vector>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/fonts.hpp"

namespace hopsim::viz {

class SfmlMetrics final : public Metrics {
public:
    explicit SfmlMetrics(const Fonts& f) : fonts_(f) {}
    float width(std::string_view utf8, Face face, int size) const override;

private:
    // ASCII advances and kerning pairs per face and size, filled as first
    // asked: asking SFML (FreeType underneath) for every character of every
    // label of every frame is what a 500-node picture would spend its time on.
    struct Table {
        std::array<float, 128> advance;
        std::vector<float> kerning;  // [previous * 128 + next]; NaN: not asked yet
    };
    Table& table(Face face, int size) const;
    const Fonts& fonts_;
    mutable std::map<std::pair<Face, int>, Table> tables_;
};

void paint(sf::RenderTarget& target, const Canvas& canvas, const Fonts& fonts);

}  // namespace hopsim::viz
