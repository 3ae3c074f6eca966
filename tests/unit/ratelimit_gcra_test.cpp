// GCRA against redis-cell's own documented examples: the README's
// `CL.THROTTLE user123 15 30 60` reply and the `it_rate_limits` case table in
// redis-cell-impl/src/lib.rs (limit 5 = max_burst 4, 1 per second).
#include <gtest/gtest.h>

#include "sim/ratelimit/gcra.h"

namespace rl = scalebook::sim::ratelimit;

namespace {
constexpr std::int64_t kMs = 1000000;   // ns
constexpr std::int64_t kS = 1000000000;  // ns
}  // namespace

TEST(RateLimitGcra, ReadmeExample) {
  rl::Gcra g({.max_burst = 15, .count = 30, .period_s = 60});
  const auto r = g.throttle(1234 * kS, 1);
  EXPECT_FALSE(r.limited);        // 1) 0
  EXPECT_EQ(r.limit, 16);         // 2) 16
  EXPECT_EQ(r.remaining, 15);     // 3) 15
  EXPECT_EQ(r.retry_after_s, -1); // 4) -1
  EXPECT_EQ(r.reset_after_s, 2);  // 5) 2
}

TEST(RateLimitGcra, RedisCellRateLimitsTable) {
  struct Case {
    std::int64_t at_ms, volume, remaining, reset_after_ns, retry_after_ns;
    bool limited;
  };
  const Case cases[] = {
      {0, 6, 5, 0, -1 * kS, true},  // you can never make a request larger than the maximum
      {0, 1, 4, 1 * kS, -1 * kS, false},
      {0, 1, 3, 2 * kS, -1 * kS, false},
      {0, 1, 2, 3 * kS, -1 * kS, false},
      {0, 1, 1, 4 * kS, -1 * kS, false},
      {0, 1, 0, 5 * kS, -1 * kS, false},
      {0, 1, 0, 5 * kS, 1 * kS, true},
      {3000, 1, 2, 3000 * kMs, -1 * kS, false},
      {3100, 1, 1, 3900 * kMs, -1 * kS, false},
      {4000, 1, 1, 4000 * kMs, -1 * kS, false},
      {8000, 1, 4, 1000 * kMs, -1 * kS, false},
      {9500, 1, 4, 1000 * kMs, -1 * kS, false},
      {9500, 0, 4, 1 * kS, -1 * kS, false},  // zero volume peeks
      {9500, 2, 2, 3 * kS, -1 * kS, false},
      {9500, 5, 2, 3 * kS, 3 * kS, true},
  };
  rl::Gcra g({.max_burst = 4, .count = 1, .period_s = 1});
  const std::int64_t start = 1700000000 * kS;
  int i = 0;
  for (const auto& c : cases) {
    const auto r = g.throttle(start + c.at_ms * kMs, c.volume);
    EXPECT_EQ(r.limited, c.limited) << "case " << i;
    EXPECT_EQ(r.limit, 5) << "case " << i;
    EXPECT_EQ(r.remaining, c.remaining) << "case " << i;
    EXPECT_EQ(r.reset_after_ns, c.reset_after_ns) << "case " << i;
    EXPECT_EQ(r.retry_after_ns, c.retry_after_ns) << "case " << i;
    ++i;
  }
}

// The reply rounds a partial second up only when the millisecond part is non-zero
// (whole_seconds() + 1 if subsec_milliseconds() > 0).
TEST(RateLimitGcra, ReplyRoundsUpPartialSeconds) {
  rl::Gcra g({.max_burst = 0, .count = 3, .period_s = 1});  // emission = (i64)(1e9/3) = 333333333 ns
  EXPECT_EQ(g.emission_interval_ns(), 333333333);
  auto a = g.throttle(0, 1);
  EXPECT_FALSE(a.limited);
  EXPECT_EQ(a.reset_after_ns, 333333333);
  EXPECT_EQ(a.reset_after_s, 1);
  auto b = g.throttle(0, 1);
  EXPECT_TRUE(b.limited);
  EXPECT_EQ(b.retry_after_ns, 333333333);
  EXPECT_EQ(b.retry_after_s, 1);
  // 0.5 ms before the TAT: retry_after 500000 ns has zero whole ms → 0 s (not rounded up).
  auto c = g.throttle(333333333 - 500000, 1);
  EXPECT_TRUE(c.limited);
  EXPECT_EQ(c.retry_after_ns, 500000);
  EXPECT_EQ(c.retry_after_s, 0);
}

// Over a long steady overload GCRA admits max_burst+1 at once, then exactly one per emission interval.
TEST(RateLimitGcra, SteadyStateRate) {
  rl::Gcra g({.max_burst = 4, .count = 10, .period_s = 1});
  int admitted = 0;
  for (std::int64_t t_us = 0; t_us < 10000000; t_us += 1000)  // 1000 r/s offered for 10 s
    admitted += g.decide(t_us).admitted();
  EXPECT_EQ(admitted, 5 + 99);  // burst of 5 at t=0, then every 100 ms from 100 ms to 9.9 s
}
