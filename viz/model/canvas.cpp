#include "hopsim/viz/canvas.hpp"

#include <cmath>
#include <sstream>

namespace hopsim::viz {

namespace {

// Advance widths of ASCII 32..126 in 1/2048 em, from Debian's fonts-dejavu-core
// (viz/tools/advance_table.py); every other character counts as an arrow's 1716.
constexpr std::uint16_t kSans[95] = {
    651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716, 651,  739,  651,  690,  1303, 1303, 1303, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 690,  690,  1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587,
    1540, 604,  604,  1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799,
    690,  799,  1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721,  1300, 1298, 569,  569,  1186, 569,  1995, 1298, 1253,
    1300, 1300, 842,  1067, 803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716};
constexpr std::uint16_t kBold[95] = {
    713,  934,  1067, 1716, 1425, 2052, 1786, 627,  936,  936,  1071, 1716, 778,  850,  778,  748,  1425, 1425, 1425, 1425,
    1425, 1425, 1425, 1425, 1425, 1425, 819,  819,  1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681,
    1714, 762,  762,  1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936,
    748,  936,  1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891,  1466, 1458, 702,  702,  1362, 702,  2134, 1458, 1407,
    1466, 1466, 1010, 1219, 979,  1458, 1335, 1892, 1321, 1335, 1192, 1458, 748,  1458, 1716};
constexpr std::uint16_t kMono = 1233, kOther = 1716;

// Space between a text's ink and the edge of its box.
constexpr float kPad = 2;

}  // namespace

float ApproxMetrics::width(std::string_view s, Face face, int size) const {
    long units = 0;
    for (unsigned char c : s) {
        if ((c & 0xc0) == 0x80) continue;  // a UTF-8 continuation byte: counted with its lead
        if (face == Face::Mono) units += kMono;
        else if (c >= 32 && c < 127) units += (face == Face::Bold ? kBold : kSans)[c - 32];
        else units += kOther;
    }
    return static_cast<float>(units) * static_cast<float>(size) / 2048.f;
}

Item& Canvas::add(Item::Kind kind) {
    Item& i = items_.emplace_back();
    i.kind = kind;
    i.pane = pane;
    return i;
}

void Canvas::rect(Box b, Rgba fill, Rgba stroke, float width) {
    Item& i = add(Item::Kind::Rect);
    i.box = b;
    i.fill = fill;
    i.stroke = stroke;
    i.width = width;
}

void Canvas::polygon(Vec centre, float radius, int sides, Rgba fill, Rgba stroke, float width) {
    Item& i = add(Item::Kind::Polygon);
    i.box = {centre.x - radius, centre.y - radius, 2 * radius, 2 * radius};
    i.sides = sides;
    i.fill = fill;
    i.stroke = stroke;
    i.width = width;
}

void Canvas::line(Vec a, Vec b, Rgba c, float width) {
    Item& i = add(Item::Kind::Line);
    i.a = a;
    i.b = b;
    i.stroke = c;
    i.width = width;
}

void Canvas::triangle(Vec a, Vec b, Vec c, Rgba fill) {
    Item& i = add(Item::Kind::Triangle);
    i.a = a;
    i.b = b;
    i.c = c;
    i.fill = fill;
}

Box Canvas::measure(std::string_view s, Vec at, int size, Face face, Align align) const {
    const float w = std::ceil(metrics_.width(s, face, size)) + 2 * kPad;
    float x = at.x - kPad;
    if (align == Align::Centre) x = at.x - w / 2;
    if (align == Align::Right) x = at.x - w + kPad;
    return {std::round(x), std::round(at.y), w, std::ceil(static_cast<float>(size) * kLineHeight)};
}

Box Canvas::text(std::string s, Vec at, int size, Rgba c, Face face, Align align, bool backdrop) {
    const Box box = measure(s, at, size, face, align);
    Item& i = add(Item::Kind::Text);
    i.box = box;
    i.fill = c;
    i.stroke = backdrop ? Rgba{255, 255, 255, 225} : kNone;
    i.text = std::move(s);
    i.size = size;
    i.face = face;
    return box;
}

std::string Canvas::fit(const std::string& s, float w, int size, Face face) const {
    if (metrics_.width(s, face, size) + 2 * kPad <= w) return s;
    // The longest start that fits with "...", found by halving: prefix widths only grow.
    std::vector<std::size_t> ends;  // where each character ends
    for (std::size_t i = 1; i <= s.size(); ++i)
        if (i == s.size() || (static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) ends.push_back(i);
    std::size_t lo = 0, hi = ends.size();  // characters kept: lo fits (0 always does), hi does not
    while (hi - lo > 1) {
        const std::size_t mid = (lo + hi) / 2;
        if (metrics_.width(s.substr(0, ends[mid - 1]) + "...", face, size) + 2 * kPad <= w) lo = mid;
        else hi = mid;
    }
    if (lo == 0) return metrics_.width("...", face, size) + 2 * kPad <= w ? "..." : "";
    return s.substr(0, ends[lo - 1]) + "...";
}

std::vector<std::string> wrap(const Canvas& c, const std::string& text, float width, int size, Face face) {
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string line;
    for (std::string w; words >> w;) {
        std::string longer = line.empty() ? w : line + " " + w;
        if (!line.empty() && c.width(longer, size, face) > width) {
            lines.push_back(std::move(line));
            line = std::move(w);
        } else {
            line = std::move(longer);
        }
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

}  // namespace hopsim::viz
