#include "hopsim/sim/trace_pcap.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

namespace hopsim::sim {

std::string PcapSink::file_name(const Scenario& sc, int link) {
    std::string name = sc.link_name(link);
    for (char& c : name)
        if (c == ':') c = '.';
    return fmt::format("link{:02}_{}.pcap", link, name);
}

Result<std::unique_ptr<PcapSink>, std::string> PcapSink::open(const std::string& dir, const Scenario& sc) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Unexpected<std::string>{fmt::format("create directory {}: {}", dir, ec.message())};
    auto sink = std::unique_ptr<PcapSink>(new PcapSink());
    for (std::size_t i = 0; i < sc.links.size(); ++i) {
        auto w = net::PcapWriter::open((std::filesystem::path(dir) / file_name(sc, static_cast<int>(i))).string());
        if (!w) return Unexpected<std::string>{w.error()};
        sink->writers_.push_back(std::move(*w));
    }
    return sink;
}

void PcapSink::on_event(const TraceEvent& e) {
    if (e.ev == Ev::Tx && e.link >= 0) writers_[static_cast<std::size_t>(e.link)].write(e.t.count(), e.bytes);
}

void PcapSink::finish() {
    for (auto& w : writers_) w.close();
}

}  // namespace hopsim::sim
