#include "sim/lb/tail_at_scale.h"

#include <algorithm>

#include "sim/core/rng.h"

namespace scalebook::sim::lb {

FanoutResult run_fanout(const FanoutDesc& d) {
  FanoutResult r;
  Rng rng(d.seed);
  const int k = d.leaves > 0 ? d.leaves : 100;
  const std::uint64_t n = d.requests ? d.requests : 10000;
  for (std::uint64_t q = 0; q < n; ++q) {
    double slowest = 0.0;
    for (int leaf = 0; leaf < k; ++leaf) {
      double t = sample_service_us(d.leaf, rng);
      ++r.leaf_requests;
      if (d.hedge_after_us > 0 && t > static_cast<double>(d.hedge_after_us)) {
        ++r.hedges;
        t = std::min(t, static_cast<double>(d.hedge_after_us) + sample_service_us(d.leaf, rng));
      }
      r.leaf_latency_us.add(static_cast<std::uint64_t>(t + 0.5));
      slowest = std::max(slowest, t);
    }
    r.latency_us.add(static_cast<std::uint64_t>(slowest + 0.5));
  }
  return r;
}

}  // namespace scalebook::sim::lb
