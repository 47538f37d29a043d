#pragma once
// hopsim check: the scenario run once, its "expect" list evaluated against
// that run. Tables asked for at an instant are read when the run reaches it
// (the run pauses there and goes on); everything else is read from the
// recorded trace and the flows' figures at the end.

#include <vector>

#include "hopsim/sim/expect.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

std::vector<ExpectResult> check_expectations(const Scenario& sc);

}  // namespace hopsim::sim
