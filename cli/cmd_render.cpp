// hopsim render and hopsim view: the same pictures, into PNG files and an
// animation (headless, e.g. under xvfb-run) or into a window with controls.

#include <fmt/core.h>

#include <SFML/Graphics.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "hopsim/sim/units.hpp"
#include "hopsim/viz/display.hpp"
#include "hopsim/viz/player.hpp"
#include "scenario_input.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::vector<std::string> files;
    std::string out, gif, from, to, size = "1280x720", speed;
    int fps = 25, max_frames = 750;
};

struct Setup {
    std::unique_ptr<sf::Font> font;
    std::unique_ptr<viz::Player> player;
    unsigned width = 1280, height = 720;
};

std::optional<Setup> prepare(const Options& o, const char* cmd) {
    Setup s;
    if (std::sscanf(o.size.c_str(), "%ux%u", &s.width, &s.height) != 2 || s.width < 320 || s.height < 240 ||
        s.width > 7680 || s.height > 4320) {
        fmt::print(stderr, "hopsim {}: --size \"{}\": expected WIDTHxHEIGHT, e.g. 1280x720\n", cmd, o.size);
        return std::nullopt;
    }
    std::vector<std::unique_ptr<viz::Pane>> panes;
    for (const std::string& f : o.files) {
        auto sc = load_or_report(f);
        if (!sc) return std::nullopt;
        panes.push_back(std::make_unique<viz::Pane>(std::move(*sc)));
    }
    std::string why;
    if (!viz::display_available(cmd, why)) {
        fmt::print(stderr, "hopsim {}: {}\n", cmd, why);
        return std::nullopt;
    }
    const auto font_path = viz::find_font();
    s.font = std::make_unique<sf::Font>();
    if (!font_path || !s.font->loadFromFile(*font_path)) {
        fmt::print(stderr, "hopsim {}: no font found (install fonts-dejavu-core)\n", cmd);
        return std::nullopt;
    }
    s.player = std::make_unique<viz::Player>(std::move(panes), *s.font);
    return s;
}

std::optional<std::int64_t> time_option(const std::string& text, const char* name, std::int64_t fallback) {
    if (text.empty()) return fallback;
    auto d = sim::parse_duration(text);
    if (!d) {
        fmt::print(stderr, "hopsim render: {}: {}\n", name, d.error());
        return std::nullopt;
    }
    return d->count();
}

int run_render(const Options& o) {
    if (o.out.empty() && o.gif.empty()) {
        fmt::print(stderr, "hopsim render: say where the pictures go: --out DIR and/or --gif FILE\n");
        return kExitBadInput;
    }
    auto s = prepare(o, "render");
    if (!s) return kExitBadInput;
    const viz::Player& player = *s->player;
    auto from = time_option(o.from, "--from", 0), to = time_option(o.to, "--to", player.end_time());
    auto speed = time_option(o.speed, "--speed", player.natural_speed());
    if (!from || !to || !speed) return kExitBadInput;
    if (!o.out.empty()) std::filesystem::create_directories(o.out);

    sf::RenderTexture texture;
    if (!texture.create(s->width, s->height)) return fmt::print(stderr, "hopsim render: cannot create a {} texture\n", o.size), kExitFailed;
    std::FILE* ffmpeg = nullptr;
    if (!o.gif.empty()) {
        const std::string cmd = fmt::format(
            "ffmpeg -loglevel error -y -f rawvideo -pix_fmt rgba -s {}x{} -r {} -i - -vf "
            "\"split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=none\" '{}'",
            s->width, s->height, o.fps, o.gif);
        ffmpeg = ::popen(cmd.c_str(), "w");
        if (!ffmpeg) return fmt::print(stderr, "hopsim render: cannot start ffmpeg (install ffmpeg)\n"), kExitFailed;
    }
    const std::int64_t step = std::max<std::int64_t>(1, *speed / o.fps);
    int frames = 0;
    for (std::int64_t t = *from; t <= *to && frames < o.max_frames; t = player.advance(t, step), ++frames) {
        player.draw(texture, t, *speed / 2, fmt::format("frame {}", frames));
        texture.display();
        const sf::Image image = texture.getTexture().copyToImage();
        if (!o.out.empty()) image.saveToFile(fmt::format("{}/frame_{:05}.png", o.out, frames));
        if (ffmpeg) std::fwrite(image.getPixelsPtr(), 1, std::size_t{s->width} * s->height * 4, ffmpeg);
    }
    if (ffmpeg && ::pclose(ffmpeg) != 0) return fmt::print(stderr, "hopsim render: ffmpeg failed writing {}\n", o.gif), kExitFailed;
    fmt::print("rendered {} frames ({} per second of animation, {} of simulated time per second){}{}\n", frames, o.fps,
               sim::SimTime::ns(*speed).to_string(), o.out.empty() ? "" : " into " + o.out,
               o.gif.empty() ? "" : ", animation " + o.gif);
    return kExitOk;
}

const char* kHelp =
    "space  play / pause        right / left  next / previous event\n"
    "up / down  faster / slower  home  restart      click the bar  jump there\n"
    "h  this help               q or esc  quit";

int run_view(const Options& o) {
    auto s = prepare(o, "view");
    if (!s) return kExitBadInput;
    const viz::Player& player = *s->player;
    sf::RenderWindow window(sf::VideoMode(s->width, s->height), "hopsim", sf::Style::Titlebar | sf::Style::Close,
                            sf::ContextSettings(0, 0, 4));
    window.setPosition({0, 0});  // under Xvfb a new window may open partly off-screen
    window.setFramerateLimit(60);
    std::int64_t t = 0, speed = player.natural_speed();
    bool playing = true, help = true;
    sf::Clock clock;
    while (window.isOpen()) {
        sf::Event ev;
        while (window.pollEvent(ev)) {
            if (ev.type == sf::Event::Closed) window.close();
            if (ev.type == sf::Event::KeyPressed) {
                switch (ev.key.code) {
                    case sf::Keyboard::Escape:
                    case sf::Keyboard::Q: window.close(); break;
                    case sf::Keyboard::Space: playing = !playing; break;
                    case sf::Keyboard::Right: t = player.next_event(t), playing = false; break;
                    case sf::Keyboard::Left: t = player.prev_event(t), playing = false; break;
                    case sf::Keyboard::Up: speed *= 2; break;
                    case sf::Keyboard::Down: speed = std::max<std::int64_t>(speed / 2, 10); break;
                    case sf::Keyboard::Home: t = 0; break;
                    case sf::Keyboard::H: help = !help; break;
                    default: break;
                }
            }
            if (ev.type == sf::Event::MouseButtonPressed && ev.mouseButton.y > static_cast<int>(s->height) - 34)
                t = player.end_time() * ev.mouseButton.x / static_cast<int>(s->width), playing = false;
        }
        const double dt = clock.restart().asSeconds();
        if (playing) t = std::min(player.advance(t, static_cast<std::int64_t>(static_cast<double>(speed) * dt)), player.end_time());
        player.draw(window, t, speed / 2,
                    fmt::format("{}  x{}/s  [h] help", playing ? "playing" : "paused", sim::SimTime::ns(speed).to_string()));
        // The timeline bar: where t is in the run.
        sf::RectangleShape bar({static_cast<float>(s->width) * static_cast<float>(t) / static_cast<float>(std::max<std::int64_t>(1, player.end_time())), 4});
        bar.setPosition(0, static_cast<float>(s->height) - 36);
        bar.setFillColor(sf::Color(40, 120, 220));
        window.draw(bar);
        if (help) {
            sf::Text h(kHelp, *s->font, 14);
            h.setFillColor(sf::Color(40, 44, 52));
            h.setPosition(static_cast<float>(s->width) - 470, 40);
            sf::RectangleShape box({460, 70});
            box.setPosition(static_cast<float>(s->width) - 476, 36);
            box.setFillColor(sf::Color(255, 255, 255, 230));
            box.setOutlineColor(sf::Color(190, 190, 190));
            box.setOutlineThickness(1);
            window.draw(box);
            window.draw(h);
        }
        window.display();
    }
    return kExitOk;
}

void common(CLI::App* cmd, Options& o) {
    cmd->add_option("scenarios", o.files, "One scenario, or two to show side by side on one clock")->required()->expected(1, 2);
    cmd->add_option("--size", o.size, "Picture size WIDTHxHEIGHT")->capture_default_str();
    cmd->add_option("--speed", o.speed, "Simulated time per second of animation, e.g. 20us (default: a frame takes about a second per wire)");
}

}  // namespace

Command add_render(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("render", "Draw the animation headless: PNG frames and/or a GIF (run under xvfb-run without a display)");
    common(cmd, *o);
    cmd->add_option("--out", o->out, "Directory for frame_NNNNN.png");
    cmd->add_option("--gif", o->gif, "Write the animation with ffmpeg (.gif, or .mp4 by extension)");
    cmd->add_option("--fps", o->fps, "Frames per second of animation")->check(CLI::Range(1, 120))->capture_default_str();
    cmd->add_option("--from", o->from, "Start at this simulated time");
    cmd->add_option("--to", o->to, "Stop at this simulated time");
    cmd->add_option("--max-frames", o->max_frames, "Stop after this many frames")->capture_default_str();
    cmd->footer("Example: xvfb-run -a hopsim render scenarios/03-hub-vs-switch.json --out frames/ --gif lesson.gif");
    return {cmd, [o] { return run_render(*o); }};
}

Command add_view(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("view", "Open a window: frames hop by hop; play, pause, step, scrub");
    common(cmd, *o);
    cmd->footer(std::string("Keys:\n") + kHelp);
    return {cmd, [o] { return run_view(*o); }};
}

}  // namespace hopsim::cli
