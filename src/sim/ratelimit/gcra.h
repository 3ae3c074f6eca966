// gcra.h — GCRA exactly as redis-cell's CL.THROTTLE computes it.
//
// Models brandur/redis-cell (redis-cell-impl/src/lib.rs RateLimiter::rate_limit
// and redis-cell/src/lib.rs ThrottleCommand), `CL.THROTTLE key max_burst count
// period [quantity]`, all in integer nanoseconds:
//   emission_interval = (i64)((period_s·1e9 as f64) / (count as f64))   (Rate::per_period, truncating)
//   delay_variation_tolerance (dvt) = emission_interval · (max_burst + 1)
//   limit = max_burst + 1
//   tat = stored TAT, or now when the key is missing
//   increment = emission_interval · quantity
//   new_tat = max(now, tat) + increment;  allow_at = new_tat - dvt;  diff = now - allow_at
//   diff < 0  → limited; retry_after = -diff if increment <= dvt else -1 s; ttl = tat - now
//   otherwise → allowed; store new_tat; ttl = new_tat - now
//   next = dvt - ttl; remaining = next > -emission ? (i64)(next_µs as f64 / emission_µs as f64) : 0
//   reset_after = ttl
// and the reply rounds retry_after and reset_after UP to whole seconds when
// they have a non-zero millisecond part (whole_seconds() + 1 if
// subsec_milliseconds() > 0): a sub-millisecond remainder is NOT rounded up.
// quantity 0 peeks without storing.
// Note: redis-cell before its `time` 0.3 port tested `diff.num_seconds() < 0`,
// which let requests through up to 1 s early; we model the current `diff < 0`.
// Does NOT model: the key's TTL expiry (an expired key behaves exactly like
// one whose TAT is in the past, which the max() above gives), CAS retries
// (commands are atomic inside Redis), Redis' own clock source.
#pragma once
#include <cstdint>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

// One CL.THROTTLE reply.
struct ThrottleReply {
  bool limited = false;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t retry_after_s = -1;
  std::int64_t reset_after_s = -1;
  // The unrounded durations (ns), for charts and tests.
  std::int64_t retry_after_ns = -1000000000;
  std::int64_t reset_after_ns = 0;
};

class Gcra {
 public:
  struct Desc {
    std::int64_t max_burst = 5;
    std::int64_t count = 10;     // count per period
    std::int64_t period_s = 1;
  };
  explicit Gcra(const Desc& d);

  // Models CL.THROTTLE at now (ns since the run's epoch).
  ThrottleReply throttle(std::int64_t now_ns, std::int64_t quantity = 1);
  Decision decide(std::int64_t now_us) { return throttle(now_us * 1000).limited ? Decision::reject() : Decision::admit(); }

  std::int64_t emission_interval_ns() const { return emission_; }
  std::int64_t tat_ns() const { return tat_; }  // -1 = no key

 private:
  std::int64_t emission_, dvt_, limit_;
  std::int64_t tat_ = -1;
};

}  // namespace scalebook::sim::ratelimit
