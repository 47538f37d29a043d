#pragma once
// One packet followed hop by hop: a table with a column per reception along
// its path and a row per header field, each changed cell marked. At every
// router eth.src, eth.dst, the TTL and the IP checksum change; the addresses,
// ports and payload do not. `hopsim run SCENARIO --follow PKT` prints it and
// the viewer draws the same table.

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

struct HopTable {
    std::uint64_t pkt = 0;
    std::string title;                            // "fragment 2 of 3: payload bytes 552-1103", or empty
    std::vector<std::string> hops;                // column titles, "R1:eth0", "dropped at R2: queue-full"
    std::vector<std::size_t> events;              // the event each column shows (an index into the run's events)
    std::vector<std::string> fields;              // row names, "ipv4.ttl", in first-seen order
    std::vector<std::vector<std::string>> cells;  // [field][hop]; "-" where the hop has no such field
    std::vector<std::string> bystanders;          // received it and filtered it, not for them: "C:eth0"
    // The cell differs from the same field at the previous hop.
    bool changed(std::size_t field, std::size_t hop) const;
};

// The packet's path: one table, or one per fragment when a router split it
// (each with the hops before the split). A column per reception on the way,
// and a last one where it was dropped, if it was; receptions by bystanders
// that filtered a flooded or broadcast frame are listed apart, not as hops.
std::vector<HopTable> hop_tables(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt);
// The table that shows `event` (else the first): what the viewer draws for a selection.
HopTable hop_table(const Scenario& sc, const std::vector<RecordedEvent>& events, std::uint64_t pkt, std::size_t event = 0);

// The tables as text; `colour`: mark changes with ANSI colour as well as a '*'.
std::string format_hop_tables(const std::vector<HopTable>& tables, bool colour);

}  // namespace hopsim::sim
