// hopsim grade --task TASK.json SUBMISSION...: score each student's scenario
// by what its traffic does (grade.hpp), a table for the instructor, a CSV for
// the gradebook and feedback a student can read.

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "hopsim/sim/grade.hpp"
#include "output_file.hpp"

namespace hopsim::cli {

namespace {

struct Options {
    std::string task;
    std::vector<std::string> submissions;
    std::string csv, feedback;
    bool json = false;
};

// Files as given; a folder stands for its .json files, in name order.
std::vector<std::string> expand(const std::vector<std::string>& given) {
    std::vector<std::string> out;
    for (const std::string& g : given) {
        std::error_code ec;
        if (!std::filesystem::is_directory(g, ec)) {
            out.push_back(g);
            continue;
        }
        std::vector<std::string> inside;
        for (const auto& e : std::filesystem::directory_iterator(g, ec))
            if (e.path().extension() == ".json") inside.push_back(e.path().string());
        std::sort(inside.begin(), inside.end());
        out.insert(out.end(), inside.begin(), inside.end());
    }
    return out;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

std::string csv(const std::vector<sim::Grade>& grades) {
    std::string out = "submission,score,max,failed\n";
    for (const sim::Grade& g : grades)
        out += fmt::format("{},{},{},{}\n", csv_field(g.submission), g.score, g.max,
                           csv_field(g.problems.empty() ? joined(g.failed(), ";") : "load"));
    return out;
}

std::string table(const sim::Task& t, const std::vector<sim::Grade>& grades) {
    std::size_t width = 10;
    for (const sim::Grade& g : grades) width = std::max(width, g.submission.size());
    std::string out = fmt::format("task {}: {} submission{}\n\n{:<{}}  {:>9}  {}\n", t.name, grades.size(), grades.size() == 1 ? "" : "s",
                                  "submission", width, "score", "failed");
    for (const sim::Grade& g : grades) {
        std::string failed = g.problems.empty() ? joined(g.failed(), ", ") : "does not load";
        if (!g.reverted.empty()) failed += fmt::format("{}{} change{} put back", failed.empty() ? "" : "; ", g.reverted.size(), g.reverted.size() == 1 ? "" : "s");
        out += fmt::format("{:<{}}  {:>9}  {}\n", g.submission, width, fmt::format("{}/{}", g.score, g.max), failed);
    }
    return out;
}

std::string json(const sim::Task& t, const std::vector<sim::Grade>& grades) {
    using Json = nlohmann::ordered_json;
    Json j{{"task", t.name}, {"submissions", Json::array()}};
    for (const sim::Grade& g : grades) {
        Json s{{"submission", g.submission}, {"score", g.score}, {"max", g.max}, {"failed", g.failed()},
               {"problems", g.problems}, {"reverted", g.reverted}, {"results", Json::array()}};
        for (const auto& r : g.results)
            s["results"].push_back({{"id", r.id}, {"pass", r.pass}, {"points", r.points}, {"expected", r.expected}, {"evidence", r.evidence}});
        j["submissions"].push_back(std::move(s));
    }
    return j.dump(2) + "\n";
}

int run(const Options& o) {
    auto task = sim::load_task_file(o.task);
    if (!task) {
        for (const std::string& p : task.error()) fmt::print(stderr, "{}: {}\n", o.task, p);
        return kExitBadInput;
    }
    std::vector<sim::Grade> grades;
    const std::vector<std::string> files = expand(o.submissions);
    if (files.empty()) return fmt::print(stderr, "hopsim grade: no .json submissions in {}\n", joined(o.submissions, ", ")), kExitBadInput;
    for (const std::string& f : files) {
        if (files.size() > 20) fmt::print(stderr, "\rgrading {} of {}", grades.size() + 1, files.size());
        grades.push_back(sim::grade_submission(*task, f));
    }
    if (files.size() > 20) fmt::print(stderr, "\n");
    if (o.json) {
        fmt::print("{}", json(*task, grades));
    } else {
        fmt::print("{}", table(*task, grades));
        for (const sim::Grade& g : grades) fmt::print("\n{}", sim::grade_feedback(*task, g));
    }
    if (!o.csv.empty())
        if (const std::string e = write_file(o.csv, csv(grades)); !e.empty()) return fmt::print(stderr, "hopsim grade: {}\n", e), kExitFailed;
    if (!o.feedback.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.feedback, ec);
        for (const sim::Grade& g : grades) {
            const std::string name = std::filesystem::path(g.submission).stem().string() + ".txt";
            if (const std::string e = write_file((std::filesystem::path(o.feedback) / name).string(), sim::grade_feedback(*task, g)); !e.empty())
                return fmt::print(stderr, "hopsim grade: {}\n", e), kExitFailed;
        }
    }
    return kExitOk;
}

}  // namespace

Command add_grade(CLI::App& app) {
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("grade", "Score students' scenarios by what their traffic does, against a task");
    cmd->add_option("--task", o->task, "The task file: starting scenario, what may change, the grader's traffic and expectations")->required();
    cmd->add_option("SUBMISSION", o->submissions, "Submitted scenario files, or folders of them")->required();
    cmd->add_option("--csv", o->csv, "Also write submission,score,max,failed to FILE (failed: expectation ids, ';'-separated)");
    cmd->add_option("--feedback", o->feedback, "Also write each submission's feedback to DIR/NAME.txt");
    cmd->add_flag("--json", o->json, "Print every grade and result as JSON instead of the table and feedback");
    cmd->footer("A submission that does not load scores 0, with its located error as feedback; the batch goes on.\n"
                "Changes outside the task's may_change parts are put back before the run (and listed).\n"
                "Exit status 2 only for a bad task or command line.\n"
                "Example: hopsim grade --task lessons/static-routes/task.json submissions/ --csv grades.csv");
    return {cmd, [o] { return run(*o); }};
}

}  // namespace hopsim::cli
