#pragma once
// The scene model's output: what a picture is made of, in drawing order,
// with no graphics library behind it. The scene, the panel, the hop table and
// the quiz card write into a Canvas; a backend (SFML for the window and
// `render`, a 2D canvas in the browser) paints its items one by one. Every
// text carries the box it covers, so placement rules are checked on the model
// (`render --boxes`) and not on pixels.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hopsim::viz {

struct Vec {
    float x = 0, y = 0;
    friend Vec operator+(Vec a, Vec b) { return {a.x + b.x, a.y + b.y}; }
    friend Vec operator-(Vec a, Vec b) { return {a.x - b.x, a.y - b.y}; }
    friend Vec operator*(Vec a, float k) { return {a.x * k, a.y * k}; }
};

struct Box {
    float x = 0, y = 0, w = 0, h = 0;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
    bool contains(Vec p) const { return p.x >= x && p.x < x + w && p.y >= y && p.y < y + h; }
    bool overlaps(const Box& o) const { return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom(); }
    // Inside `o`, allowing half a pixel of rounding.
    bool inside(const Box& o) const { return x >= o.x - 0.5f && y >= o.y - 0.5f && right() <= o.right() + 0.5f && bottom() <= o.bottom() + 0.5f; }
    Box grown(float d) const { return {x - d, y - d, w + 2 * d, h + 2 * d}; }
};

struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba&) const = default;
    bool visible() const { return a != 0; }
};
inline constexpr Rgba kNone{0, 0, 0, 0};

enum class Face : std::uint8_t { Sans, Mono, Bold };

// How wide a text is: the backend knows its fonts. Sizes are whole pixels.
class Metrics {
public:
    virtual ~Metrics() = default;
    virtual float width(std::string_view utf8, Face face, int size) const = 0;
};

// Widths close to DejaVu's, for laying out without a display (tests, a model
// built before any font is loaded).
class ApproxMetrics final : public Metrics {
public:
    float width(std::string_view utf8, Face face, int size) const override;
};

// A text line's box is this many times its size tall: DejaVu's ink, ascenders
// to descenders, sits inside it when the text's top is the box's top.
inline constexpr float kLineHeight = 1.3f;

struct Item {
    enum class Kind : std::uint8_t { Rect, Polygon, Triangle, Line, Text } kind = Kind::Rect;
    Box box;           // Rect: the rectangle; Polygon: its bounding box (a regular polygon inscribed); Text: what it covers
    Vec a, b, c;       // Line: its ends (a, b); Triangle: its corners
    int sides = 0;     // Polygon
    Rgba fill, stroke; // Text: fill is the colour, stroke the backdrop behind it (kNone: none)
    float width = 0;   // the stroke's width (Line: the line's)
    std::string text;  // Text, UTF-8
    int size = 0;
    Face face = Face::Sans;
    int pane = -1;     // which part of the picture it belongs to (for --boxes)
};

enum class Align : std::uint8_t { Left, Centre, Right };

class Canvas {
public:
    explicit Canvas(const Metrics& m) : metrics_(m) {}

    void clear() { items_.clear(); }
    void rect(Box b, Rgba fill, Rgba stroke = kNone, float width = 1);
    void polygon(Vec centre, float radius, int sides, Rgba fill, Rgba stroke = kNone, float width = 1);
    void line(Vec a, Vec b, Rgba c, float width = 1);
    void triangle(Vec a, Vec b, Vec c, Rgba fill);
    // The box a text would cover with its top at y and its anchor at x.
    Box measure(std::string_view s, Vec at, int size, Face face = Face::Sans, Align align = Align::Left) const;
    // Draws it (on a white backdrop when `backdrop`); returns its box.
    Box text(std::string s, Vec at, int size, Rgba c, Face face = Face::Sans, Align align = Align::Left, bool backdrop = false);
    float width(std::string_view s, int size, Face face = Face::Sans) const { return metrics_.width(s, face, size); }
    // The longest start of `s` (ending in "...") no wider than w; `s` itself when it fits.
    std::string fit(const std::string& s, float w, int size, Face face = Face::Sans) const;

    const std::vector<Item>& items() const { return items_; }
    const Metrics& metrics() const { return metrics_; }
    int pane = -1;  // tag for the items drawn next

private:
    Item& add(Item::Kind kind);

    const Metrics& metrics_;
    std::vector<Item> items_;
};

// Words laid into lines no wider than `width`.
std::vector<std::string> wrap(const Canvas& c, const std::string& text, float width, int size, Face face = Face::Sans);

}  // namespace hopsim::viz
