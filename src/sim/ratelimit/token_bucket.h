// token_bucket.h — the classic token bucket with continuous refill.
//
// Models: a bucket of at most `capacity` tokens, refilled continuously at
// `rate` (count per period) and starting with `initial_tokens` (default: full)
// at time 0. A request costing c tokens is admitted iff the bucket holds >= c
// tokens, and then takes them; a rejected request changes nothing.
// Arithmetic is exact: one token is `period_us` units and each microsecond adds
// `count` units, so 7r/s or 1r/m never drift (no floating point).
// Invariant (tested over random traces): in any interval [t1, t2] the bucket
// admits at most capacity + rate·(t2 - t1) tokens' worth of requests.
// Does NOT model: queueing/delaying (see shaper.h), distributed state,
// per-request cost other than an integer, clocks that go backwards (an earlier
// `now_us` refills nothing).
#pragma once
#include <cstdint>

#include "sim/ratelimit/decision.h"

namespace scalebook::sim::ratelimit {

class TokenBucket {
 public:
  struct Desc {
    std::int64_t capacity = 10;       // tokens
    RateSpec rate{};                  // refill
    std::int64_t initial_tokens = -1; // -1 = full
  };
  explicit TokenBucket(const Desc& d);

  Decision decide(std::int64_t now_us, std::int64_t cost = 1) {
    refill(now_us);
    const std::int64_t need = cost * unit_;
    // Branch-free on purpose: under overload admit/reject is a coin flip, and a
    // mispredicted branch costs more than the whole decision (notably in Wasm).
    const bool ok = level_ >= need;
    level_ -= need & -static_cast<std::int64_t>(ok);
    return Decision{ok ? Verdict::Admit : Verdict::Reject, 0};
  }
  // Tokens in the bucket at now_us (fractional), for drawing. Does not change state.
  double tokens(std::int64_t now_us) const;

 private:
  void refill(std::int64_t now_us) {
    if (now_us <= last_us_) return;
    const std::int64_t elapsed = now_us - last_us_;
    last_us_ = now_us;
    // Compare before multiplying so a long idle gap cannot overflow: below
    // full_after_us_ the product is < cap_ + per_us_.
    if (elapsed >= full_after_us_) {
      level_ = cap_;
    } else {
      level_ += elapsed * per_us_;
      if (level_ > cap_) level_ = cap_;
    }
  }
  std::int64_t unit_;    // units per token (period in µs)
  std::int64_t per_us_;  // units added per µs (count)
  std::int64_t cap_;
  std::int64_t level_;
  std::int64_t full_after_us_;  // ceil(cap_ / per_us_): an empty bucket is full after this long
  std::int64_t last_us_ = 0;
};

}  // namespace scalebook::sim::ratelimit
