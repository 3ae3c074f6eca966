// tail_at_scale.h — a request fanned out to K leaves waits for the slowest
// (Dean & Barroso, "The Tail at Scale", CACM 2013), and what hedged requests buy.
//
// Models: each of K leaves answers after an independent latency drawn from a
// ServiceDesc (queueing.h's distributions; no queueing: the leaves are idle, which
// isolates the fan-out effect). The request's latency is the maximum over leaves.
// Hedged requests: when a leaf has not answered hedge_after_us after it was asked,
// a second copy goes to another replica (independent latency); the leaf's answer
// is the first of the two, and the copy is cancelled then. Extra load = copies
// sent / leaf requests. hedge_after_us is typically the leaf's p95.
// Invariants: with no hedging, P(request > t) = 1 − P(leaf ≤ t)^K; a hedge never
// makes a leaf slower.
// Not modelled: tied requests (copies queued at two servers that cancel each other
// when one starts: needs the servers' queues), the load the hedges add feeding back
// into latency, correlated slowness across leaves.
#pragma once
#include <cstdint>

#include "sim/core/metrics.h"
#include "sim/lb/queueing.h"

namespace scalebook::sim::lb {

struct FanoutDesc {
  int leaves = 0;                // K; 0 → 100
  ServiceDesc leaf;              // leaf latency distribution
  std::int64_t hedge_after_us = 0;  // 0 → no hedging
  std::uint64_t requests = 0;    // 0 → 10000
  std::uint64_t seed = 1;
};

struct FanoutResult {
  LogHistogram latency_us;        // per request (max over leaves)
  LogHistogram leaf_latency_us;   // per leaf, after hedging
  std::uint64_t leaf_requests = 0;
  std::uint64_t hedges = 0;
  double extra_load() const { return leaf_requests ? static_cast<double>(hedges) / leaf_requests : 0.0; }
};

FanoutResult run_fanout(const FanoutDesc& desc);

}  // namespace scalebook::sim::lb
