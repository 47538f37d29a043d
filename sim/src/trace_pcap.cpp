#include "hopsim/sim/trace_pcap.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
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
        const std::string path = (std::filesystem::path(dir) / file_name(sc, static_cast<int>(i))).string();
        auto w = net::PcapWriter::open(path);
        if (!w) {
            // Leave no half set behind: the files made so far go again.
            const bool out_of_files = errno == EMFILE || errno == ENFILE;
            sink->writers_.clear();
            for (const std::string& made : sink->paths_) std::filesystem::remove(made, ec);
            if (out_of_files)
                return Unexpected<std::string>{fmt::format(
                    "{} links need {} open pcap files and the limit of open files ran out at {} (raise it with ulimit -n)",
                    sc.links.size(), sc.links.size(), i)};
            return Unexpected<std::string>{w.error()};
        }
        sink->writers_.push_back(std::move(*w));
        sink->paths_.push_back(path);
    }
    return sink;
}

void PcapSink::on_event(const TraceEvent& e) {
    if (e.ev == Ev::Tx && e.link >= 0) writers_[static_cast<std::size_t>(e.link)].write(e.t.count(), e.bytes);
}

void PcapSink::finish() {
    for (std::size_t i = 0; i < writers_.size(); ++i)
        if (!writers_[i].close() && error_.empty())
            error_ = fmt::format("cannot write {}: {}", paths_[i], std::strerror(writers_[i].error()));
}

}  // namespace hopsim::sim
