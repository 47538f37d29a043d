#pragma once
// One packet followed hop by hop: a table with a column per reception along
// its path and a row per header field, each changed cell marked. At every
// router eth.src, eth.dst, the TTL and the IP checksum change; the addresses,
// ports and payload do not. `hopsim run SCENARIO --follow PKT` prints it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace_recorder.hpp"

namespace hopsim::sim {

// A pkt id ("17") or a flow id ("hello-B": its first packet); nullopt if neither.
std::optional<std::uint64_t> resolve_packet(const Scenario& sc, const std::vector<RecordedEvent>& events,
                                            const std::string& which);

// `colour`: mark changes with ANSI colour as well as a '*'.
std::string hop_table(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt, bool colour);

}  // namespace hopsim::sim
