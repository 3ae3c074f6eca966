// stripe_bucket.h — the token bucket of Stripe's published rate-limiter example.
//
// Models: the Redis Lua script from Stripe's "Scaling your API with rate
// limiters" post (Paul Tarjan, 2017): tokens and a last-refreshed timestamp,
// `now` passed in as WHOLE SECONDS (the caller sends Time.now.to_i), so refill
// happens in whole-second steps:
//   delta = max(0, now - last_refreshed)
//   filled = min(capacity, last_tokens + delta * rate)
//   allowed = filled >= requested; new_tokens = allowed ? filled - requested : filled
//   store new_tokens and now (also when rejected: an equivalent write)
// A missing key starts full (last_tokens = capacity, last_refreshed = 0).
// Arithmetic is IEEE double, as Lua numbers are.
// Consequence readers can see: within one second no tokens come back, so with
// rate 10r/s and capacity 10 a client gets 10 at 12:00:00.999 and 10 more at
// 12:00:01.000 — up to 2x capacity in 1 ms.
// Does NOT model: the keys' TTL (floor(2·capacity/rate) s; an expired key
// starts full, which the min() above already gives), Redis' %.17g string
// round-trip of numbers (exact for the values this model produces with
// integer per-second rates; r/m rates give non-integer tokens), replication lag.
#pragma once
#include <cstdint>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

class StripeBucket {
 public:
  struct Desc {
    std::int64_t capacity = 10;
    RateSpec rate{};
  };
  explicit StripeBucket(const Desc& d)
      : capacity_(static_cast<double>(d.capacity)), rate_per_s_(d.rate.per_s()), tokens_(capacity_) {}

  Decision decide(std::int64_t now_us, std::int64_t requested = 1);
  double tokens() const { return tokens_; }

 private:
  double capacity_;
  double rate_per_s_;
  double tokens_;
  std::int64_t last_refreshed_s_ = 0;
};

}  // namespace scalebook::sim::ratelimit
