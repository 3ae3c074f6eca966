#include "sim/ratelimit/stripe_bucket.h"

#include <algorithm>

#include "sim/core/virtual_time.h"

namespace scalebook::sim::ratelimit {

Decision StripeBucket::decide(std::int64_t now_us, std::int64_t requested) {
  const std::int64_t now_s = us_to_s_floor(now_us);  // Time.now.to_i
  const double delta = static_cast<double>(std::max<std::int64_t>(0, now_s - last_refreshed_s_));
  const double filled = std::min(capacity_, tokens_ + delta * rate_per_s_);
  const bool allowed = filled >= static_cast<double>(requested);
  tokens_ = allowed ? filled - static_cast<double>(requested) : filled;
  last_refreshed_s_ = now_s;
  return allowed ? Decision::admit() : Decision::reject();
}

}  // namespace scalebook::sim::ratelimit
