#include "hopsim/viz/quiz_card.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace hopsim::viz {

float draw_quiz_card(Canvas& c, Box area, const QuizCard& card) {
    if (!card.question) return 0;
    const sim::Question& q = *card.question;
    constexpr int kSize = 15;
    constexpr float kLine = 21, kPad = 12;
    const float width = std::min(area.w - 2 * kPad, 900.f);
    struct Line {
        std::string text;
        Rgba colour;
        Face face = Face::Sans;
    };
    std::vector<Line> lines;
    constexpr Rgba ink{30, 34, 42}, green{20, 130, 60}, red{190, 40, 40}, grey{90, 96, 106};
    lines.push_back({card.interactive ? fmt::format("Predict: question {} of {}   (score {} of {})", card.number, card.total, card.right, card.asked)
                                      : fmt::format("Predict: question {} of {}", card.number, card.total),
                     grey});
    for (const std::string& l : wrap(c, q.prompt, width - 2 * kPad, kSize, Face::Bold)) lines.push_back({l, ink, Face::Bold});
    for (std::size_t k = 0; k < q.choices.size(); ++k) {
        Rgba colour = ink;
        std::string mark;
        if (card.revealed && k == q.answer) colour = green, mark = "   <- right";
        else if (card.revealed && static_cast<int>(k) == card.chosen) colour = red, mark = "   <- your answer";
        for (const std::string& l : wrap(c, fmt::format("  [{}]  {}{}", k + 1, q.choices[k], mark), width - 2 * kPad, kSize)) lines.push_back({l, colour});
    }
    if (card.revealed) {
        for (const std::string& l : wrap(c, q.why, width - 2 * kPad, kSize)) lines.push_back({l, green});
        if (card.interactive) lines.push_back({"Space: play on and watch it happen", grey});
    } else if (card.interactive) {
        lines.push_back({fmt::format("Press 1-{} to answer", q.choices.size()), grey});
    }
    const float height = static_cast<float>(lines.size()) * kLine + 2 * kPad;
    c.rect({area.x + kPad, area.y + kPad, width, height}, {255, 252, 235, 245}, {200, 160, 40}, 2);
    float y = area.y + 2 * kPad;
    for (const Line& l : lines) {
        c.text(l.text, {area.x + 2 * kPad, y}, kSize, l.colour, l.face);
        y += kLine;
    }
    return height + kPad;
}

}  // namespace hopsim::viz
