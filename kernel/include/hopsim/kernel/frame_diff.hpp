#pragma once
// The simulator's capture of a link held against the kernel's, frame by
// frame. Frames are paired by what they are (addresses, protocol, ICMP
// type and sequence, ports, TCP flags, fragment offset), not by time, then
// every header field the dissector shows is compared, except the values
// each side is free to choose: the modelling choices listed here, once.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hopsim/netstack/pcap_reader.hpp"

namespace hopsim::kernel {

// Fields that differ by design: numbers either stack picks for itself (IP
// identification, the ICMP echo identifier, ephemeral ports, initial
// sequence numbers) and the checksums that cover them.
bool modelling_choice(std::string_view field);
// The same list, for the report and the docs.
const std::vector<std::string>& modelling_choices();

struct FrameDifference {
    std::size_t sim = 0, kernel = 0;  // 1-based frame numbers on the link, 0: no such frame on that side
    std::string field;                // "ipv4.ttl", or "frame" when a frame has no partner
    std::string sim_value, kernel_value;
    std::string what;                 // the unpaired frame, summarised ("ARP who-has 10.0.0.2")
    // A difference of timing, not of behaviour: a pure TCP ACK on one side
    // only (Linux acknowledges segments that reach a busy socket together
    // with one ACK), or data segments on one side only whose bytes the other
    // side sent cut differently. Reported, and not a disagreement.
    bool timing = false;
};

std::vector<FrameDifference> diff_link(const std::vector<net::PcapRecord>& sim, const std::vector<net::PcapRecord>& kernel);

}  // namespace hopsim::kernel
