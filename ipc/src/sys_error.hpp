#pragma once
// errno as a sentence a student can look up: "write to the pipe: Broken pipe
// (EPIPE): the reading end is closed (its process ended or closed it)".

#include <string>

namespace hopsim::ipc {

std::string sys_error(const std::string& action, int err);
std::string sys_error(const std::string& action);  // from errno

}  // namespace hopsim::ipc
