#pragma once
// A scenario's payload as the socket client's byte source: a {"size": N}
// pattern is served from its one stored period, so replaying a gigabyte
// holds 64 KiB, as the simulation does.

#include <algorithm>

#include "hopsim/netstack/socket/byte_source.hpp"
#include "hopsim/sim/payload.hpp"

namespace hopsim::real {

class PayloadSource final : public net::sock::ByteSource {
public:
    explicit PayloadSource(const sim::Payload& p) : p_(p) {}
    std::size_t size() const override { return p_.size(); }
    net::Bytes window(std::size_t offset, std::size_t max) const override {
        return p_.slice(offset, std::min({max, sim::Payload::kMaxSlice, p_.size() - offset}));
    }

private:
    const sim::Payload& p_;
};

}  // namespace hopsim::real
