#include "hopsim/viz/quiz_card.hpp"

#include <fmt/core.h>

#include <sstream>

namespace hopsim::viz {

namespace {

// Words laid into lines no wider than `width` pixels.
std::vector<std::string> wrap(const std::string& text, const sf::Font& font, unsigned size, float width, bool bold = false) {
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string line;
    for (std::string w; words >> w;) {
        const std::string longer = line.empty() ? w : line + " " + w;
        sf::Text measure(longer, font, size);
        if (bold) measure.setStyle(sf::Text::Bold);
        if (!line.empty() && measure.getLocalBounds().width > width) {
            lines.push_back(line);
            line = w;
        } else {
            line = longer;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

float draw_quiz_card(sf::RenderTarget& target, const Fonts& fonts, sf::FloatRect area, const QuizCard& card) {
    if (!card.question) return 0;
    const sim::Question& q = *card.question;
    constexpr unsigned kSize = 15;
    constexpr float kLine = 21, kPad = 12;
    const float width = std::min(area.width - 2 * kPad, 900.f);
    struct Line {
        std::string text;
        sf::Color colour;
        bool bold = false;
    };
    std::vector<Line> lines;
    const sf::Color ink(30, 34, 42), green(20, 130, 60), red(190, 40, 40), grey(90, 96, 106);
    lines.push_back({card.interactive ? fmt::format("Predict: question {} of {}   (score {} of {})", card.number, card.total, card.right, card.asked)
                                      : fmt::format("Predict: question {} of {}", card.number, card.total),
                     grey});
    for (const std::string& l : wrap(q.prompt, fonts.sans, kSize, width - 2 * kPad, true)) lines.push_back({l, ink, true});
    for (std::size_t c = 0; c < q.choices.size(); ++c) {
        sf::Color colour = ink;
        std::string mark;
        if (card.revealed && c == q.answer) colour = green, mark = "   <- right";
        else if (card.revealed && static_cast<int>(c) == card.chosen) colour = red, mark = "   <- your answer";
        lines.push_back({fmt::format("  [{}]  {}{}", c + 1, q.choices[c], mark), colour});
    }
    if (card.revealed) {
        for (const std::string& l : wrap(q.why, fonts.sans, kSize, width - 2 * kPad)) lines.push_back({l, green});
        if (card.interactive) lines.push_back({"Space: play on and watch it happen", grey});
    } else if (card.interactive) {
        lines.push_back({fmt::format("Press 1-{} to answer", q.choices.size()), grey});
    }
    const float height = static_cast<float>(lines.size()) * kLine + 2 * kPad;
    sf::RectangleShape box({width, height});
    box.setPosition(area.left + kPad, area.top + kPad);
    box.setFillColor(sf::Color(255, 252, 235, 245));
    box.setOutlineColor(sf::Color(200, 160, 40));
    box.setOutlineThickness(2);
    target.draw(box);
    float y = area.top + 2 * kPad;
    for (const Line& l : lines) {
        sf::Text text(sf::String::fromUtf8(l.text.begin(), l.text.end()), fonts.sans, kSize);
        text.setFillColor(l.colour);
        if (l.bold) text.setStyle(sf::Text::Bold);
        text.setPosition(area.left + 2 * kPad, y);
        target.draw(text);
        y += kLine;
    }
    return height + kPad;
}

}  // namespace hopsim::viz
