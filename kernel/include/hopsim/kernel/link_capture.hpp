#pragma once
// One link captured at one of its veth ends, into a classic pcap file with
// the kernel's own receive timestamps. A packet socket (AF_PACKET, every
// protocol, both directions) opened inside the namespace, so capture starts
// the moment open() returns: no capture tool to wait for, and no frame held
// back in a capture buffer when the run ends.

#include <memory>
#include <string>

#include "hopsim/netstack/pcap_writer.hpp"
#include "hopsim/netstack/result.hpp"

namespace hopsim::kernel {

class LinkCapture {
public:
    static Result<std::unique_ptr<LinkCapture>, std::string> open(const std::string& netns, const std::string& ifname,
                                                                   const std::string& path);
    LinkCapture(const LinkCapture&) = delete;
    LinkCapture& operator=(const LinkCapture&) = delete;
    ~LinkCapture();

    void drain();                 // writes every frame waiting in the socket
    bool close();                 // drains, then closes the file; false if a write failed
    std::uint64_t frames() const { return frames_; }
    const std::string& path() const { return path_; }

private:
    LinkCapture(int fd, net::PcapWriter w, std::string path) : fd_(fd), writer_(std::move(w)), path_(std::move(path)) {}
    int fd_;
    net::PcapWriter writer_;
    std::string path_;
    std::uint64_t frames_ = 0;
};

}  // namespace hopsim::kernel
