#pragma once
// The colours every part of the picture shares.

#include "hopsim/viz/canvas.hpp"

namespace hopsim::viz {

inline constexpr Rgba kBackground{250, 250, 247}, kInk{40, 44, 52}, kMuted{120, 124, 130}, kLink{170, 174, 180};
inline constexpr Rgba kHost{66, 110, 180}, kHub{214, 140, 30}, kSwitch{30, 140, 130}, kRouter{130, 80, 170};
inline constexpr Rgba kAlert{210, 40, 40}, kFresh{255, 236, 150}, kSelect{200, 220, 250}, kPanel{242, 243, 245};
inline constexpr Rgba kChanged{255, 214, 120}, kWhite{255, 255, 255}, kSelected{20, 90, 220};
inline constexpr Rgba kForwarding{60, 160, 80};

// A VLAN's colour: a few well-separated hues, the same for the same VLAN id.
inline Rgba vlan_colour(std::uint16_t vid) {
    static constexpr Rgba kHues[] = {{230, 120, 40}, {60, 130, 220}, {160, 80, 190}, {40, 160, 120}, {200, 60, 110}, {150, 130, 40}};
    return kHues[vid % (sizeof kHues / sizeof kHues[0])];
}

}  // namespace hopsim::viz
