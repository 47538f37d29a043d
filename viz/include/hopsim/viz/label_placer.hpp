#pragma once
// Puts labels where they collide with nothing: each text goes to the first
// spot around its object (over it, below, above, right, left, then farther
// out) that stays inside the pane and clear of every text and shape placed
// before it; failing that at a smaller size, then shortened; and when even
// that does not fit it is counted, never drawn over something else. What is
// placed first keeps its spot, so static labels go in before moving ones and
// the picture stays still from frame to frame.

#include <optional>
#include <string>
#include <vector>

#include "hopsim/viz/canvas.hpp"

namespace hopsim::viz {

enum class Side : std::uint8_t { Over, Below, Above, Right, Left };

struct Label {
    std::string text;
    int size = 11, min_size = 0;  // min_size 0: size only
    Rgba colour;
    Face face = Face::Sans;
    bool backdrop = false;
    Side first = Side::Below;     // the side tried first; Over is tried only when first
    float gap = 2;
};

class LabelPlacer {
public:
    LabelPlacer(Canvas& c, Box bounds) : canvas_(c), bounds_(bounds) {}
    void block(Box b) { taken_.push_back(b); }
    bool clear(const Box& b) const;
    // The box the label got, or none (and counted in missed()).
    std::optional<Box> place(const Label& l, Box object);
    const std::vector<std::string>& missed() const { return missed_; }

private:
    std::optional<Box> try_at(const Label& l, const std::string& text, int size, Box object);

    Canvas& canvas_;
    Box bounds_;
    std::vector<Box> taken_;
    std::vector<std::string> missed_;
};

}  // namespace hopsim::viz
