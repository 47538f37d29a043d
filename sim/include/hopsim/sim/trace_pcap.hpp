#pragma once
// One classic pcap file per link (contract section 4), holding every frame put
// on that wire, in both directions, stamped with the start of transmission.
// Files are named link<NN>_<end>-<end>.pcap, e.g. link00_A.eth0-S1.1.pcap.

#include <memory>
#include <string>
#include <vector>

#include "hopsim/netstack/pcap_writer.hpp"
#include "hopsim/netstack/result.hpp"
#include "hopsim/sim/scenario.hpp"
#include "hopsim/sim/trace.hpp"

namespace hopsim::sim {

class PcapSink final : public TraceSink {
public:
    // Creates the directory if needed and opens every file up front, so a bad
    // path fails before the run, with the path in the message.
    static Result<std::unique_ptr<PcapSink>, std::string> open(const std::string& dir, const Scenario& sc);
    static std::string file_name(const Scenario& sc, int link);

    void on_event(const TraceEvent& e) override;
    void finish() override;
    // After finish(): empty, or the first file that could not be written and why.
    const std::string& error() const { return error_; }

private:
    std::vector<net::PcapWriter> writers_;
    std::vector<std::string> paths_;
    std::string error_;
};

}  // namespace hopsim::sim
