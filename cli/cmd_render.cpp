// hopsim render: the window's pictures headless (e.g. under xvfb-run), into
// numbered PNG files and/or an animation assembled by ffmpeg.

#include <fmt/core.h>

#include <SFML/Graphics.hpp>
#include <SFML/OpenGL.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "hopsim/viz/quiz_card.hpp"
#include "viz_commands.hpp"
#include "hopsim/sim/units.hpp"
#include "ffmpeg_pipe.hpp"
#include "output_file.hpp"
#include "picture_setup.hpp"

namespace hopsim::cli {

namespace {

std::optional<std::int64_t> time_option(const std::string& text, const char* name, std::int64_t fallback) {
    if (text.empty()) return fallback;
    auto d = sim::parse_duration(text);
    if (!d) {
        fmt::print(stderr, "hopsim render: {} \"{}\": {}\n", name, text, d.error());
        return std::nullopt;
    }
    return d->count();
}

// --boxes: every text of one frame with the box it covers, and the areas of
// the parts of the picture, so a test can check that no two texts overlap
// and none leaves its part.
nlohmann::json frame_boxes(const viz::Canvas& c, const viz::Player& player, const viz::View& view, viz::Vec size, std::int64_t t) {
    nlohmann::json areas = nlohmann::json::array(), texts = nlohmann::json::array();
    auto area = [&](int pane, const char* what, viz::Box b) {
        if (b.w > 0 && b.h > 0) areas.push_back({{"pane", pane}, {"what", what}, {"x", b.x}, {"y", b.y}, {"w", b.w}, {"h", b.h}});
    };
    for (std::size_t p = 0; p < player.panes().size(); ++p) area(static_cast<int>(p), "scenario", player.pane_area(static_cast<int>(p), size, view));
    area(viz::Player::kHopTablePane, "hop table", player.diff_area(size, view));
    if (view.panel) area(viz::Player::kPanelPane, "panel", viz::Player::panel_area(size));
    area(viz::Player::kLegendPane, "legend", {0, size.y - viz::Player::kLegendHeight, size.x, viz::Player::kLegendHeight});
    for (const viz::Item& i : c.items())
        if (i.kind == viz::Item::Kind::Text)
            texts.push_back({{"pane", i.pane}, {"text", i.text}, {"x", i.box.x}, {"y", i.box.y}, {"w", i.box.w}, {"h", i.box.h}});
    return {{"t_ns", t}, {"areas", std::move(areas)}, {"texts", std::move(texts)}};
}

// --quiz: two stills per question, the question at its instant and the
// answer revealed a second of animation later, as the window would show them.
int render_quiz(const PictureOptions& o, Picture& s, sf::RenderTexture& texture) {
    const viz::Player& player = *s.player;
    viz::Canvas canvas(*s.metrics);
    const viz::Vec size{static_cast<float>(s.width), static_cast<float>(s.height)};
    viz::View view = s.view;
    int written = 0;
    for (std::size_t i = 0; i < s.quiz.size(); ++i) {
        viz::QuizCard card{&s.quiz[i], static_cast<int>(i) + 1, static_cast<int>(s.quiz.size()), -1, false, 0, 0, false};
        for (const bool revealed : {false, true}) {
            card.revealed = revealed;
            view.look.t = revealed ? std::min(player.advance(s.quiz[i].t, s.speed), player.end_time()) : s.quiz[i].t;
            view.status = fmt::format("question {} of {}", i + 1, s.quiz.size());
            player.draw(canvas, size, view);
            viz::draw_quiz_card(canvas, player.pane_area(0, size, view), card);
            viz::paint(texture, canvas, *s.fonts);
            texture.display();
            const std::string png = fmt::format("{}/quiz_{:02}_{}.png", o.out, i + 1, revealed ? "answer" : "question");
            if (!texture.getTexture().copyToImage().saveToFile(png)) return fmt::print(stderr, "hopsim render: cannot write {}\n", png), kExitFailed;
            ++written;
        }
    }
    fmt::print("rendered {} question{} as {} pictures into {}\n", s.quiz.size(), s.quiz.size() == 1 ? "" : "s", written, o.out);
    return kExitOk;
}

int run_render(const PictureOptions& o) {
    if (o.out.empty() && o.gif.empty()) {
        fmt::print(stderr, "hopsim render: say where the pictures go: --out DIR and/or --gif FILE\n");
        return kExitBadInput;
    }
    if (o.quiz && (o.out.empty() || !o.gif.empty()))
        return fmt::print(stderr, "hopsim render: --quiz draws stills: give --out DIR (and no --gif)\n"), kExitBadInput;
    auto s = prepare_picture(o, "render");
    if (!s) return kExitBadInput;
    const viz::Player& player = *s->player;
    auto from = time_option(o.from, "--from", s->view.look.t), to = time_option(o.to, "--to", player.end_time());
    if (!from || !to) return kExitBadInput;
    if (std::error_code e; !o.out.empty() && !std::filesystem::create_directories(o.out, e) && e)
        return fmt::print(stderr, "hopsim render: cannot create {}: {}\n", o.out, e.message()), kExitFailed;

    sf::RenderTexture texture;
    if (!texture.create(s->width, s->height)) return fmt::print(stderr, "hopsim render: cannot create a {} texture\n", o.size), kExitFailed;
    if (o.quiz) return render_quiz(o, *s, texture);
    FfmpegPipe ffmpeg;
    if (!o.gif.empty())
        if (const std::string e = ffmpeg.start(static_cast<int>(s->width), static_cast<int>(s->height), o.fps, o.gif); !e.empty())
            return fmt::print(stderr, "hopsim render: {}\n", e), kExitFailed;
    const std::int64_t step = std::max<std::int64_t>(1, s->speed / o.fps);
    // Per frame: drawing until the GL has finished (what a window pays before
    // its swap), and drawing plus reading the pixels back (what a file costs).
    std::vector<double> draw_ms, read_ms;
    viz::View view = s->view;
    viz::Canvas canvas(*s->metrics);
    const viz::Vec size{static_cast<float>(s->width), static_cast<float>(s->height)};
    nlohmann::json boxes = nlohmann::json::array();
    for (std::int64_t t = *from; t <= *to && static_cast<int>(draw_ms.size()) < o.max_frames; t = player.advance(t, step)) {
        view.look.t = t;
        view.status = fmt::format("frame {}", draw_ms.size());
        sf::Clock clock;
        player.draw(canvas, size, view);
        viz::paint(texture, canvas, *s->fonts);
        texture.display();
        glFinish();
        if (!o.boxes.empty()) boxes.push_back(frame_boxes(canvas, player, view, size, t));
        draw_ms.push_back(clock.getElapsedTime().asSeconds() * 1000);
        const sf::Image image = texture.getTexture().copyToImage();
        read_ms.push_back(clock.getElapsedTime().asSeconds() * 1000);
        const std::string png = fmt::format("{}/frame_{:05}.png", o.out, draw_ms.size() - 1);
        if (!o.out.empty() && !image.saveToFile(png))
            return fmt::print(stderr, "hopsim render: cannot write {}\n", png), kExitFailed;
        if (!o.gif.empty() && !ffmpeg.write(image.getPixelsPtr(), std::size_t{s->width} * s->height * 4)) break;
    }
    if (!o.gif.empty())
        if (const std::string e = ffmpeg.finish(); !e.empty())
            return fmt::print(stderr, "hopsim render: writing {}: {}\n", o.gif, e), kExitFailed;
    if (!o.boxes.empty())
        if (const std::string e = write_file(o.boxes, nlohmann::json{{"width", s->width}, {"height", s->height}, {"frames", std::move(boxes)}}.dump(1) + "\n"); !e.empty())
            return fmt::print(stderr, "hopsim render: --boxes: {}\n", e), kExitFailed;
    std::sort(draw_ms.begin(), draw_ms.end());
    std::sort(read_ms.begin(), read_ms.end());
    fmt::print("rendered {} {} ({} per second of animation, {} of simulated time per second){}{}\n", draw_ms.size(), draw_ms.size() == 1 ? "frame" : "frames", o.fps,
               sim::SimTime::ns(s->speed).to_string(), o.out.empty() ? "" : " into " + o.out, o.gif.empty() ? "" : ", animation " + o.gif);
    if (!draw_ms.empty())
        fmt::print("per frame: drawing {:.1f} ms median ({:.1f} slowest), with reading the pixels back {:.1f} ms ({:.1f})\n",
                   draw_ms[draw_ms.size() / 2], draw_ms.back(), read_ms[read_ms.size() / 2], read_ms.back());
    return kExitOk;
}

}  // namespace

Command add_render(CLI::App& app) {
    auto o = std::make_shared<PictureOptions>();
    return {add_render_command(app, *o), [o] { return run_render(*o); }};
}

}  // namespace hopsim::cli
