#include "picture_options.hpp"

namespace hopsim::cli {

const char* const kViewKeys =
    "space  play / pause              right / left  next / previous event\n"
    "up / down  faster / slower       home  restart;  click the bar  jump there\n"
    "click a frame or a list row  inspect it     [ / ]  previous / next in the list\n"
    ", / .  previous / next field      f  filter the list by protocol\n"
    "d  hop-by-hop table of the selected packet   a  IP and MAC addresses\n"
    "p  interface names / port numbers on links    /  search the list (enter: done)\n"
    "t  tables: as many as fit / all routes / all MAC tables / all ARP caches\n"
    "wheel over the list or the hex dump: scroll\n"
    "i  hide / show the panel   tab  other pane   h  this help   q  quit\n"
    "--quiz: 1-9  answer the question, then space  play on and see it happen\n"
    "hover a node: its interfaces";

namespace {
void add_common(CLI::App* cmd, PictureOptions& o) {
    // Two named positionals, so the usage line reads SCENARIO [SCENARIO2].
    auto take = [&o](const std::string& file) { o.files.push_back(file); };
    cmd->add_option_function<std::string>("SCENARIO", take, "Scenario JSON file")->required();
    cmd->add_option_function<std::string>("SCENARIO2", take, "A second scenario, shown side by side on the same clock");
    cmd->add_option("--size", o.size, "Picture size WIDTHxHEIGHT")->capture_default_str();
    cmd->add_option("--speed", o.speed, "Simulated time per second of animation, e.g. 20us (default: a frame takes about a second per wire)");
    cmd->add_flag("--addresses", o.addresses, "Show every node's IP and MAC addresses");
    cmd->add_flag("--ports", o.ports, "Show the interface name (eth0) or port number at each end of every link");
    cmd->add_option("--tables", o.tables, "Show only these tables, comma-separated NODE.mac, NODE.arp, NODE.routes or NODE.nat (e.g. R3.routes,S1.mac); default: all that fit")
        ->delimiter(',');
    cmd->add_option("--select", o.select, "Select event N of the first scenario (the number in the event list) and start at its time");
    cmd->add_option("--field", o.field, "Highlight this field of the selected frame in the inspector's hex dump, e.g. ipv4.ttl");
    cmd->add_flag("--diff", o.diff, "Show the selected packet's hop-by-hop header table");
    cmd->add_flag("--quiz", o.quiz, "Predict, then reveal: stop before what happens next and ask (switch, ttl, mac, arp, collision, stp questions from the run)");
    cmd->add_option("--kinds", o.quiz_kinds, "With --quiz: only these kinds, comma-separated (default: the scenario's quiz.kinds, else all)");
}
}  // namespace

CLI::App* add_render_command(CLI::App& app, PictureOptions& o) {
    auto* cmd = app.add_subcommand("render", "Draw the animation headless: PNG frames and/or a GIF (run under xvfb-run without a display)");
    add_common(cmd, o);
    cmd->add_option("--out", o.out, "Directory for frame_NNNNN.png");
    cmd->add_option("--gif", o.gif, "Write the animation with ffmpeg (.gif, or .mp4 by extension)");
    cmd->add_option("--fps", o.fps, "Frames per second of animation")->check(CLI::Range(1, 120))->capture_default_str();
    cmd->add_option("--from", o.from, "Start at this simulated time (default: 0, or the --select event's time)");
    cmd->add_option("--to", o.to, "Stop at this simulated time");
    cmd->add_option("--max-frames", o.max_frames, "Stop after this many frames")->check(CLI::Range(1, 1000000))->capture_default_str();
    cmd->add_flag("--panel", o.panel, "Include the event list and layer inspector on the right (as the window shows them)");
    cmd->add_option("--boxes", o.boxes, "Write every drawn text's box (pane, text, x, y, w, h) of every frame to this JSON file, with the panes' areas");
    cmd->footer(
        "Examples:\n"
        "  xvfb-run -a hopsim render scenarios/03-hub-vs-switch.json --out frames/ --gif lesson.gif\n"
        "  xvfb-run -a hopsim render scenarios/08-router-chain.json --panel --select 41 --field ipv4.ttl --max-frames 1 --out shot/\n"
        "  xvfb-run -a hopsim render scenarios/07-router-two-subnets.json --quiz --out quiz/   (quiz_NN_question.png, quiz_NN_answer.png)\n"
        "  xvfb-run -a hopsim render scenarios/11-traceroute.json --tables R1.routes,R3.routes --ports --max-frames 1 --out slide/");
    return cmd;
}

CLI::App* add_view_command(CLI::App& app, PictureOptions& o) {
    auto* cmd = app.add_subcommand("view", "Open a window: frames hop by hop; play, pause, step, scrub, inspect");
    add_common(cmd, o);
    cmd->footer(std::string("Keys:\n") + kViewKeys);
    return cmd;
}

}  // namespace hopsim::cli
