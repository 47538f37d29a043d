#pragma once
// The SFML backend: paints a Canvas into a window or an offscreen texture,
// and measures text with the same fonts it draws with, so the boxes the scene
// model places are the boxes that get inked.

#include <SFML/Graphics.hpp>

#include "hopsim/viz/canvas.hpp"
#include "hopsim/viz/fonts.hpp"

namespace hopsim::viz {

class SfmlMetrics final : public Metrics {
public:
    explicit SfmlMetrics(const Fonts& f) : fonts_(f) {}
    float width(std::string_view utf8, Face face, int size) const override;

private:
    const Fonts& fonts_;
};

void paint(sf::RenderTarget& target, const Canvas& canvas, const Fonts& fonts);

}  // namespace hopsim::viz
