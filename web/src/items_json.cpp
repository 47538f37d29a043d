#include "items_json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace hopsim::web {

namespace {
std::uint32_t rgba(viz::Rgba c) {
    return static_cast<std::uint32_t>(c.r) << 24 | static_cast<std::uint32_t>(c.g) << 16 | static_cast<std::uint32_t>(c.b) << 8 | c.a;
}
}  // namespace

void append_items_json(const viz::Canvas& c, std::string& out) {
    out += '[';
    bool first = true;
    for (const viz::Item& i : c.items()) {
        if (!first) out += ',';
        first = false;
        switch (i.kind) {
            case viz::Item::Kind::Rect:
                fmt::format_to(std::back_inserter(out), "[\"r\",{},{},{},{},{},{},{}]", i.box.x, i.box.y, i.box.w, i.box.h, rgba(i.fill), rgba(i.stroke), i.width);
                break;
            case viz::Item::Kind::Polygon:
                fmt::format_to(std::back_inserter(out), "[\"p\",{},{},{},{},{},{},{},{}]", i.box.x, i.box.y, i.box.w, i.box.h, i.sides, rgba(i.fill), rgba(i.stroke), i.width);
                break;
            case viz::Item::Kind::Triangle:
                fmt::format_to(std::back_inserter(out), "[\"v\",{},{},{},{},{},{},{}]", i.a.x, i.a.y, i.b.x, i.b.y, i.c.x, i.c.y, rgba(i.fill));
                break;
            case viz::Item::Kind::Line:
                fmt::format_to(std::back_inserter(out), "[\"l\",{},{},{},{},{},{}]", i.a.x, i.a.y, i.b.x, i.b.y, rgba(i.stroke), i.width);
                break;
            case viz::Item::Kind::Text:
                out += "[\"t\",";
                out += nlohmann::json(i.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                fmt::format_to(std::back_inserter(out), ",{},{},{},{},{},{},{},{}]", i.box.x, i.box.y, i.size, static_cast<int>(i.face), rgba(i.fill),
                               i.stroke.visible() ? 1 : 0, i.box.w, i.box.h);
                break;
        }
    }
    out += ']';
}

}  // namespace hopsim::web
