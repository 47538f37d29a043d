#pragma once
// Private to real: one replayed flow as the summary JSON of `hopsim real`
// writes it, which `compare --json` embeds as the flow's "real" side.

#include "hopsim/real/loopback_replay.hpp"
#include "hopsim/sim/flow_json.hpp"

namespace hopsim::real::detail {

sim::detail::OrderedJson real_flow_json(const Scenario& sc, const RealRun& run, std::size_t flow);

}  // namespace hopsim::real::detail
