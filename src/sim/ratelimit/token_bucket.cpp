#include "sim/ratelimit/token_bucket.h"

namespace scalebook::sim::ratelimit {

TokenBucket::TokenBucket(const Desc& d)
    : unit_(d.rate.period_us()),
      per_us_(d.rate.count),
      cap_(d.capacity * d.rate.period_us()),
      level_((d.initial_tokens < 0 || d.initial_tokens > d.capacity ? d.capacity : d.initial_tokens) *
             d.rate.period_us()),
      full_after_us_((cap_ + per_us_ - 1) / per_us_) {}

double TokenBucket::tokens(std::int64_t now_us) const {
  TokenBucket copy = *this;
  copy.refill(now_us);
  return static_cast<double>(copy.level_) / static_cast<double>(unit_);
}

}  // namespace scalebook::sim::ratelimit
