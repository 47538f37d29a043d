#pragma once
// The quiz card over the picture: the question, its numbered choices, and
// once answered (or revealed) the right choice in green, a wrong pick in red,
// and what the run did. `hopsim view --quiz` and `render --quiz` draw it.

#include "hopsim/sim/quiz.hpp"
#include "hopsim/viz/canvas.hpp"

namespace hopsim::viz {

struct QuizCard {
    const sim::Question* question = nullptr;
    int number = 0, total = 0;  // "question 2 of 5"
    int chosen = -1;            // the student's pick, -1: none yet
    bool revealed = false;
    int right = 0, asked = 0;   // the score so far
    bool interactive = true;    // the window: say which keys to press
};

// Draws along the top of `area`; returns the card's height.
float draw_quiz_card(Canvas& c, Box area, const QuizCard& card);

}  // namespace hopsim::viz
