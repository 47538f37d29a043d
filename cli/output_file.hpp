#pragma once
// Output files whose every write is checked: a full disk or an unwritable
// path is an error that names the file, never a silent truncation.

#include <cstdio>
#include <string>
#include <string_view>

namespace hopsim::cli {

// Writes `text` to `path` (or standard output for "-"), whole: empty on
// success, else "cannot write PATH: reason".
std::string write_file(const std::string& path, std::string_view text);

// Flushes and closes `f` (only flushes standard output): empty on success,
// else "cannot write PATH: reason". `earlier_errno` is a failure already seen.
std::string close_file(std::FILE* f, const std::string& path, int earlier_errno = 0);

}  // namespace hopsim::cli
