#include "hopsim/viz/sfml_backend.hpp"

#include <cmath>
#include <limits>

namespace hopsim::viz {

namespace {

constexpr float kTextPad = 2;  // as Canvas::measure pads a text's box
constexpr float kPi = 3.14159265358979f;

sf::Color to_sf(Rgba c) { return {c.r, c.g, c.b, c.a}; }

const sf::Font& font_of(const Fonts& f, Face face) { return face == Face::Mono ? f.mono : f.sans; }

sf::String decode(std::string_view s) { return sf::String::fromUtf8(s.begin(), s.end()); }

// Shapes go into one triangle batch until a text needs drawing over them: a
// draw call per shape is what makes a 500-node picture slow, not the shapes.
class Batch {
public:
    explicit Batch(sf::RenderTarget& t) : target_(t), tris_(sf::Triangles) {}
    ~Batch() { flush(); }
    void flush() {
        if (tris_.getVertexCount()) target_.draw(tris_);
        tris_.clear();
    }
    void quad(Vec a, Vec b, Vec c, Vec d, sf::Color col) {
        for (Vec v : {a, b, c, a, c, d}) tris_.append({{v.x, v.y}, col});
    }
    void vertex(Vec v, sf::Color c) { tris_.append({{v.x, v.y}, c}); }
    void segment(Vec a, Vec b, float w, sf::Color col) {
        const Vec d = b - a;
        const float len = std::sqrt(d.x * d.x + d.y * d.y);
        if (len <= 0) return;
        const Vec n = Vec{-d.y / len, d.x / len} * (w / 2);
        quad(a + n, b + n, b - n, a - n, col);
    }
    void rect(const Item& i) {
        const Box& b = i.box;
        if (i.fill.visible()) quad({b.x, b.y}, {b.right(), b.y}, {b.right(), b.bottom()}, {b.x, b.bottom()}, to_sf(i.fill));
        if (i.stroke.visible() && i.width > 0) {
            const float w = i.width;
            const sf::Color c = to_sf(i.stroke);
            quad({b.x - w, b.y - w}, {b.right() + w, b.y - w}, {b.right() + w, b.y}, {b.x - w, b.y}, c);
            quad({b.x - w, b.bottom()}, {b.right() + w, b.bottom()}, {b.right() + w, b.bottom() + w}, {b.x - w, b.bottom() + w}, c);
            quad({b.x - w, b.y}, {b.x, b.y}, {b.x, b.bottom()}, {b.x - w, b.bottom()}, c);
            quad({b.right(), b.y}, {b.right() + w, b.y}, {b.right() + w, b.bottom()}, {b.right(), b.bottom()}, c);
        }
    }
    void polygon(const Item& i) {
        const Vec c{i.box.x + i.box.w / 2, i.box.y + i.box.h / 2};
        const float r = i.box.w / 2;
        auto corner = [&](int k, float radius) {
            const float a = 2 * kPi * static_cast<float>(k) / static_cast<float>(i.sides) - kPi / 2;
            return Vec{c.x + radius * std::cos(a), c.y + radius * std::sin(a)};
        };
        for (int k = 0; k < i.sides; ++k)
            if (i.fill.visible()) {
                const Vec a = corner(k, r), b = corner(k + 1, r);
                for (Vec v : {c, a, b}) tris_.append({{v.x, v.y}, to_sf(i.fill)});
            }
        if (i.stroke.visible() && i.width > 0)  // outside the fill, as SFML's own outlines are
            for (int k = 0; k < i.sides; ++k)
                quad(corner(k, r), corner(k + 1, r), corner(k + 1, r + i.width), corner(k, r + i.width), to_sf(i.stroke));
    }

private:
    sf::RenderTarget& target_;
    sf::VertexArray tris_;
};

}  // namespace

SfmlMetrics::Table& SfmlMetrics::table(Face face, int size) const {
    auto [it, fresh] = tables_.try_emplace({face, size});
    if (fresh) {
        for (std::size_t c = 0; c < 128; ++c)
            it->second.advance[c] = font_of(fonts_, face).getGlyph(static_cast<sf::Uint32>(c), static_cast<unsigned>(size), face == Face::Bold).advance;
        it->second.kerning.assign(128 * 128, std::numeric_limits<float>::quiet_NaN());
    }
    return it->second;
}

float SfmlMetrics::width(std::string_view utf8, Face face, int size) const {
    const sf::Font& font = font_of(fonts_, face);
    const auto px = static_cast<unsigned>(size);
    Table& t = table(face, size);
    float w = 0;
    sf::Uint32 prev = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        // UTF-8 by hand: sf::String would allocate for every label of every frame.
        const auto b = static_cast<unsigned char>(utf8[i]);
        const std::size_t n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        sf::Uint32 c = n == 1 ? b : b & (0x3fu >> (n - 1));
        for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k) c = c << 6 | (static_cast<unsigned char>(utf8[i + k]) & 0x3fu);
        i += n;
        if (c < 128 && prev < 128) {
            float& k = t.kerning[prev * 128 + c];
            if (std::isnan(k)) k = font.getKerning(prev, c, px);
            w += k + t.advance[c];
        } else {
            w += font.getKerning(prev, c, px) + font.getGlyph(c, px, face == Face::Bold).advance;
        }
        prev = c;
    }
    return w;
}

void paint(sf::RenderTarget& target, const Canvas& canvas, const Fonts& fonts) {
    Batch batch(target);
    for (const Item& i : canvas.items()) {
        switch (i.kind) {
            case Item::Kind::Rect: batch.rect(i); break;
            case Item::Kind::Polygon: batch.polygon(i); break;
            case Item::Kind::Triangle:
                for (Vec v : {i.a, i.b, i.c}) batch.vertex(v, to_sf(i.fill));
                break;
            case Item::Kind::Line: batch.segment(i.a, i.b, std::max(1.f, i.width), to_sf(i.stroke)); break;
            case Item::Kind::Text: {
                if (i.stroke.visible()) {  // the backdrop
                    Item back;
                    back.box = i.box;
                    back.fill = i.stroke;
                    batch.rect(back);
                }
                batch.flush();
                sf::Text t(decode(i.text), font_of(fonts, i.face), static_cast<unsigned>(i.size));
                if (i.face == Face::Bold) t.setStyle(sf::Text::Bold);
                t.setFillColor(to_sf(i.fill));
                t.setPosition(std::round(i.box.x + kTextPad), std::round(i.box.y));
                target.draw(t);
                break;
            }
        }
    }
}

}  // namespace hopsim::viz
