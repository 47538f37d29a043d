#pragma once
// A hub: one half-duplex collision domain with CSMA/CD (IEEE 802.3 clause 4).
//
// Model. The hub is a point that repeats every bit it hears to every other
// port. Each station (a host, switch or router port linked to the hub) is at
// its link's propagation delay from it. A station with a frame to send senses
// the carrier (any other station's signal present at its position) and defers
// until it is idle (1-persistent); the frame's wire time includes the
// inter-frame gap. Two signals overlapping at the hub collide: the hub traces
// a `collision`, each sender notices when the other signal reaches it, stops,
// sends a 32-bit jam and backs off for k slot times (512 bit times), k drawn
// uniformly from [0, 2^min(n,10)) after the n-th collision; the 16th collision
// drops the frame with reason `collision`. A frame repeated without collision
// is received by every other station at the end of its signal.
// Not modelled: link loss on hub links, late collisions (no cable is that
// long), the capture effect's fine timing, and hub-to-hub cascades.

#include "hopsim/sim/ring_queue.hpp"
#include <vector>

#include "hopsim/sim/device.hpp"
#include "hopsim/sim/engine.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/scenario.hpp"

namespace hopsim::sim {

struct Network;

class Hub final : public Device, public Medium, public EventTarget {
public:
    Hub(Network& net, int node, int ports, std::int64_t bps);

    // The station at hub port `port` is (dev, dev_port), `delay` away, on `link`.
    void add_station(int port, Device* dev, int dev_port, SimTime delay, int link, int queue_limit);

    void transmit(int side, FrameRef f) override;  // side = the hub port
    void on_frame(int, FrameRef) override {}       // a hub never receives as a device
    void on_event(const Event& e) override;

private:
    enum Kind : std::uint32_t { kTry, kAtHub, kHubEnd, kDetect, kSenderEnd, kDeliver };
    struct Station {
        Device* dev = nullptr;
        int dev_port = -1;
        SimTime delay;
        int link = -1;
        int queue_limit = 100;
        RingQueue<FrameRef> queue;
        int attempts = 0;         // collisions suffered by the head frame
        int current = -1;         // transmission in progress, or -1
        bool try_pending = false;
        Rng backoff;
    };
    struct Transmission {
        int station = -1;
        FrameRef frame = 0;
        std::uint64_t wire_id = 0;
        std::uint64_t repeat_id = 0;  // first of the ids the hub's copies get
        SimTime start, end;           // at the sender
        SimTime hub_start, hub_end;   // at the hub
        bool at_hub = false, collided = false, aborted = false;
        bool sender_finished = false, hub_finished = false;
        bool owns_frame = false;  // after a clean send the frame leaves the station's queue
    };

    void try_send(int s);
    void begin(int s);
    void arrive(int tx);
    void detect(int tx);
    void hub_end(int tx);
    void sender_end(int tx);
    void deliver(int tx, int s);
    // Latest time another station's signal is present at station s, if any now.
    SimTime carrier_until(int s) const;
    int new_tx();
    void forget_old();

    std::int64_t bps_;
    SimTime slot_, jam_;
    std::vector<Station> stations_;
    std::vector<Transmission> txs_;
    std::vector<int> live_;  // transmissions whose signal may still be on the medium
    std::vector<int> free_;
    std::vector<int> hit_;   // scratch for arrive()
    SimTime max_delay_;
};

}  // namespace hopsim::sim
