#pragma once
// What each child does once its channel is open.

#include "two_processes.hpp"

namespace hopsim::ipc {

// Bulk: the producer sends the source in messages of plan.message_size; the
// consumer checks every byte (and, where the transport keeps them, every
// message's length) against the same source.
int bulk_producer(Channel& ch, Shared& sh, const RunPlan& plan);
int bulk_consumer(Channel& ch, Shared& sh, const RunPlan& plan);

// Round trips: the producer times plan.round_trips echoes of a
// plan.ping_size message (after 100 not counted, to warm the caches).
int round_trip_producer(Channel& ch, Shared& sh, const RunPlan& plan);
int echo_consumer(Channel& ch, Shared& sh, const RunPlan& plan);

}  // namespace hopsim::ipc
