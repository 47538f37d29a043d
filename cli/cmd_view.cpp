// hopsim view: the pictures in a window, with controls: play, pause, step,
// scrub, and the event list and layer inspector to pick frames apart.

#include <fmt/core.h>

#include <SFML/Graphics.hpp>
#include <algorithm>
#include <cmath>

#include "hopsim/viz/quiz_card.hpp"
#include "viz_commands.hpp"
#include "hopsim/sim/units.hpp"
#include "picture_setup.hpp"

namespace hopsim::cli {

namespace {


// The filter cycle: every event, then each protocol.
std::optional<viz::Proto> next_filter(std::optional<viz::Proto> f) {
    if (!f) return viz::kFrameProtos[0];
    const auto* it = std::find(std::begin(viz::kFrameProtos), std::end(viz::kFrameProtos), *f);
    if (it + 1 >= std::end(viz::kFrameProtos)) return std::nullopt;
    return *(it + 1);
}

class Window {
public:
    explicit Window(Picture& p) : p_(p), player_(*p.player), canvas_(*p.metrics), v_(p.view), speed_(p.speed), t_(p.view.look.t) {
        v_.panel = player_.panes().size() == 1;  // two panes need the width; [i] shows it
    }

    int run() {
        sf::RenderWindow window(sf::VideoMode(p_.width, p_.height), "hopsim", sf::Style::Titlebar | sf::Style::Close,
                                sf::ContextSettings(0, 0, 4));
        window.setPosition({0, 0});  // under Xvfb a new window may open partly off-screen
        window.setFramerateLimit(60);
        sf::Clock clock;
        while (window.isOpen()) {
            sf::Event ev;
            while (window.pollEvent(ev)) {
                if (ev.type == sf::Event::Closed) window.close();
                if (ev.type == sf::Event::TextEntered && searching_) type(ev.text.unicode);
                else if (ev.type == sf::Event::KeyPressed && !searching_ && !key(ev.key.code)) window.close();
                if (ev.type == sf::Event::MouseMoved) hover({static_cast<float>(ev.mouseMove.x), static_cast<float>(ev.mouseMove.y)});
                if (ev.type == sf::Event::MouseButtonPressed)
                    click({static_cast<float>(ev.mouseButton.x), static_cast<float>(ev.mouseButton.y)});
                if (ev.type == sf::Event::MouseWheelScrolled)
                    wheel({static_cast<float>(ev.mouseWheelScroll.x), static_cast<float>(ev.mouseWheelScroll.y)}, ev.mouseWheelScroll.delta);
            }
            const double dt = clock.restart().asSeconds();
            if (playing_) t_ = std::min(player_.advance(t_, static_cast<std::int64_t>(static_cast<double>(speed_) * dt)), player_.end_time());
            stop_for_question();
            v_.look.t = t_;
            v_.look.recent = speed_ / 2;
            v_.status = fmt::format("{}  x{}/s  [h] help", playing_ ? "playing" : "paused", sim::SimTime::ns(speed_).to_string());
            if (!p_.quiz.empty()) v_.status += fmt::format("  quiz {} of {} right", card_.right, card_.asked);
            if (searching_) v_.status = fmt::format("search: {}_   (enter: done, escape: clear)", v_.sel.search);
            hits_ = player_.draw(canvas_, size(), v_);
            if (asking_) viz::draw_quiz_card(canvas_, player_.pane_area(0, size(), v_), card_);
            draw_bar();
            if (help_) draw_help();
            viz::paint(window, canvas_, *p_.fonts);
            window.display();
        }
        return kExitOk;
    }

private:
    const viz::Timeline& timeline() const { return player_.panes()[static_cast<std::size_t>(v_.focus)]->timeline(); }
    viz::Vec size() const { return {static_cast<float>(p_.width), static_cast<float>(p_.height)}; }

    void select(int event) {
        v_.sel.event = event;
        v_.sel.field = -1;
        if (event >= 0) t_ = timeline().events()[static_cast<std::size_t>(event)].t;
        playing_ = false;
    }

    // The neighbour of the selection (or of t) in the filtered list.
    void step_list(int dir) {
        const auto& rows = timeline().events_about(v_.sel.filter);
        if (rows.empty()) return;
        auto it = std::lower_bound(rows.begin(), rows.end(), v_.sel.event);
        if (v_.sel.event < 0) it = std::upper_bound(rows.begin(), rows.end(), timeline().last_event_at(t_));
        if (dir < 0 && it != rows.begin()) --it;
        else if (dir > 0 && it != rows.end() && *it == v_.sel.event) ++it;
        if (it != rows.end()) select(*it);
    }

    // --quiz: playing into a question's instant stops there and asks.
    void stop_for_question() {
        if (asking_ || next_q_ >= p_.quiz.size() || t_ < p_.quiz[next_q_].t) return;
        t_ = p_.quiz[next_q_].t;
        playing_ = false;
        asking_ = true;
        help_ = false;
        card_.question = &p_.quiz[next_q_];
        card_.number = static_cast<int>(next_q_) + 1;
        card_.total = static_cast<int>(p_.quiz.size());
        card_.chosen = -1;
        card_.revealed = false;
    }

    // A question on the card: 1-9 answers it, then space plays on. False: the key was not the quiz's.
    bool quiz_key(sf::Keyboard::Key k) {
        if (!asking_) return false;
        if (!card_.revealed && k >= sf::Keyboard::Num1 && k <= sf::Keyboard::Num9) {
            const int pick = k - sf::Keyboard::Num1;
            if (pick >= static_cast<int>(card_.question->choices.size())) return true;
            card_.chosen = pick;
            card_.revealed = true;
            card_.asked++;
            card_.right += pick == static_cast<int>(card_.question->answer);
            return true;
        }
        if (k == sf::Keyboard::Space) {
            if (card_.revealed) {  // the answer seen: play on into what happens
                asking_ = false;
                next_q_++;
                playing_ = true;
            }
            return true;
        }
        return false;
    }

    // False: quit.
    bool key(sf::Keyboard::Key k) {
        if (quiz_key(k)) return true;
        switch (k) {
            case sf::Keyboard::Escape:
            case sf::Keyboard::Q: return false;
            case sf::Keyboard::Space: playing_ = !playing_; break;
            case sf::Keyboard::Right: t_ = player_.next_event(t_), playing_ = false; break;
            case sf::Keyboard::Left: t_ = player_.prev_event(t_), playing_ = false; break;
            case sf::Keyboard::Up: speed_ *= 2; break;
            case sf::Keyboard::Down: speed_ = std::max<std::int64_t>(speed_ / 2, 10); break;
            case sf::Keyboard::Home: t_ = 0; break;
            case sf::Keyboard::H: help_ = !help_; break;
            case sf::Keyboard::A: v_.look.addresses = !v_.look.addresses; break;
            case sf::Keyboard::P: v_.look.ports = !v_.look.ports; break;
            case sf::Keyboard::T: next_tables(); break;
            case sf::Keyboard::Slash: searching_ = true, v_.panel = true; break;
            case sf::Keyboard::I: v_.panel = !v_.panel; break;
            case sf::Keyboard::D: v_.diff = !v_.diff; break;
            case sf::Keyboard::F:
                v_.sel.filter = next_filter(v_.sel.filter);
                v_.sel.found = viz::search_rows(timeline(), v_.sel.filter, v_.sel.search);
                break;
            case sf::Keyboard::LBracket: step_list(-1); break;
            case sf::Keyboard::RBracket: step_list(+1); break;
            case sf::Keyboard::Comma: v_.sel.field = std::max(v_.sel.field - 1, 0); break;
            case sf::Keyboard::Period:
                v_.sel.field = std::min(v_.sel.field + 1, static_cast<int>(viz::frame_fields(timeline(), v_.sel.event).size()) - 1);
                break;
            case sf::Keyboard::Tab:
                v_.focus = (v_.focus + 1) % static_cast<int>(player_.panes().size());
                v_.sel.event = v_.sel.field = -1;
                break;
            default: break;
        }
        return true;
    }

    // t: the tables shown cycle through as many as fit, then only the
    // routes, only the MAC tables, only the ARP caches (of the focus pane).
    void next_tables() {
        static constexpr sim::Table kCycle[] = {sim::Table::None, sim::Table::Route, sim::Table::Mac, sim::Table::Arp};
        const viz::TableStrip& strip = player_.scene(v_.focus).table_strip();
        for (int k = 0; k < 4; ++k) {
            table_kind_ = (table_kind_ + 1) % 4;
            v_.look.tables = table_kind_ ? strip.names(kCycle[table_kind_]) : std::vector<std::string>{};
            if (table_kind_ == 0 || !v_.look.tables.empty()) return;  // a kind the scenario has none of is skipped
        }
    }

    // Typing a search: the list keeps the rows whose line contains it.
    void type(sf::Uint32 c) {
        if (c == '\r' || c == '\n') searching_ = false;
        else if (c == 27) searching_ = false, v_.sel.search.clear();
        else if (c == 8 && !v_.sel.search.empty()) v_.sel.search.pop_back();
        else if (c >= 32 && c < 127 && !(c == '/' && v_.sel.search.empty())) v_.sel.search += static_cast<char>(c);  // not the key that began it
        v_.sel.found = viz::search_rows(timeline(), v_.sel.filter, v_.sel.search);
        v_.sel.list_scroll = 0;
    }

    void wheel(viz::Vec p, float delta) {
        const int steps = static_cast<int>(delta > 0 ? std::ceil(delta) : std::floor(delta));
        for (const viz::PanelHit& h : hits_) {
            if (!h.rect.contains(p)) continue;
            if (h.part == viz::PanelHit::Part::List) v_.sel.list_scroll += 3 * steps;
            if (h.part == viz::PanelHit::Part::Hex) v_.sel.hex_scroll -= 2 * steps;
        }
    }

    void hover(viz::Vec p) {
        const int pane = player_.pane_at(p, size(), v_);
        v_.look.hover = pane == v_.focus ? player_.node_at(pane, p, size(), v_) : -1;
    }

    void click(viz::Vec p) {
        if (p.y > size().y - viz::Player::kLegendHeight - 4) {  // the bar along the bottom: scrub
            t_ = static_cast<std::int64_t>(static_cast<double>(player_.end_time()) * p.x / size().x);
            playing_ = false;
            return;
        }
        for (const viz::PanelHit& h : hits_) {
            if (!h.rect.contains(p)) continue;
            if (h.event >= 0) select(h.event);
            if (h.field >= 0) v_.sel.field = h.field;
            if (h.event >= 0 || h.field >= 0) return;
        }
        const int pane = player_.pane_at(p, size(), v_);
        if (pane < 0) return;
        v_.look.t = t_;
        if (const viz::Flight* f = player_.flight_at(pane, p, size(), v_)) {
            v_.focus = pane;
            const std::int64_t keep = t_;
            select(f->event);
            t_ = keep;  // the frame stays where it was clicked
        }
    }

    void draw_bar() {
        const float w = size().x * static_cast<float>(t_) / static_cast<float>(std::max<std::int64_t>(1, player_.end_time()));
        canvas_.rect({0, size().y - viz::Player::kLegendHeight - 2, w, 4}, {40, 120, 220});
    }

    void draw_help() {
        std::vector<std::string> lines;
        std::string all = kViewKeys;
        for (std::size_t start = 0; start < all.size();) {
            const std::size_t end = std::min(all.find('\n', start), all.size());
            lines.push_back(all.substr(start, end - start));
            start = end + 1;
        }
        float w = 0;
        for (const auto& l : lines) w = std::max(w, canvas_.width(l, 13));
        canvas_.rect({40, 40, w + 24, 19 * static_cast<float>(lines.size()) + 16}, {255, 255, 255, 240}, {120, 124, 130});
        for (std::size_t k = 0; k < lines.size(); ++k) canvas_.text(lines[k], {52, 48 + 19 * static_cast<float>(k)}, 13, {40, 44, 52});
    }

    Picture& p_;
    const viz::Player& player_;
    viz::Canvas canvas_;
    viz::View v_;
    std::int64_t speed_, t_;
    bool playing_ = true, help_ = true, searching_ = false;
    int table_kind_ = 0;  // t: which tables are shown (see next_tables)
    std::size_t next_q_ = 0;  // --quiz: the next question to ask
    bool asking_ = false;
    viz::QuizCard card_;
    std::vector<viz::PanelHit> hits_;
};

}  // namespace

Command add_view(CLI::App& app) {
    auto o = std::make_shared<PictureOptions>();
    return {add_view_command(app, *o), [o] {
                auto p = prepare_picture(*o, "view");
                if (!p) return kExitBadInput;
                return Window(*p).run();
            }};
}

}  // namespace hopsim::cli
