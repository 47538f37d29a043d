#pragma once
// hopsim grade: a student's scenario scored by what its traffic does. A task
// names the starting scenario, the parts a student may change, the traffic
// the grader sends and the expectations with their points. A submission's
// changes outside the permitted parts are reported and put back as they
// were (they earn nothing); the grader's traffic and expectations replace
// the submission's own; the run is checked (expect_check.hpp) and scored.

#include <string>
#include <vector>

#include "hopsim/sim/expect.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::sim {

struct Task {
    std::string name, description;
    std::string start;                    // the starting scenario's JSON text
    std::vector<std::string> may_change;  // "nodes.*.routes", "nodes.H1.kind": a part and all below it
    std::string traffic, expect, run;     // JSON arrays / object the grader puts in ("" for expect: none, an error)
};

// Reads a task file; the starting scenario ("scenario": a path relative to
// the task file, or the scenario itself) is read with it. Errors are located.
Result<Task, std::vector<std::string>> load_task_file(const std::string& path);

struct Grade {
    std::string submission;               // its path, as given
    int score = 0, max = 0;
    std::vector<std::string> problems;    // it did not load: why (score 0)
    std::vector<std::string> reverted;    // changes outside the permitted parts, put back
    std::vector<ExpectResult> results;
    std::vector<std::string> failed() const;  // ids of the expectations that failed
};

Grade grade_submission(const Task& task, const std::string& path);

// What a student reads: the score, what was put back, every failed
// expectation with what the run showed (or why the file did not load).
std::string grade_feedback(const Task& task, const Grade& g);

}  // namespace hopsim::sim
