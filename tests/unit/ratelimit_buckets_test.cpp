// Token bucket, Stripe's whole-second bucket and the shaping queue: property
// tests over many random traces (deterministic seeds) and hand-worked cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/core/rng.h"
#include "sim/ratelimit/shaper.h"
#include "sim/ratelimit/stripe_bucket.h"
#include "sim/ratelimit/token_bucket.h"

namespace rl = scalebook::sim::ratelimit;
using scalebook::sim::Rng;

namespace {
// Bursty random arrivals: clumps of simultaneous requests and idle gaps.
std::vector<std::int64_t> random_trace(Rng& rng, int n) {
  std::vector<std::int64_t> t;
  std::int64_t now = static_cast<std::int64_t>(rng.uniform_int(1000));
  for (int i = 0; i < n; ++i) {
    const auto r = rng.uniform_int(10);
    if (r < 4) now += 0;                                                     // same instant
    else if (r < 8) now += static_cast<std::int64_t>(rng.uniform_int(20000));  // < 20 ms
    else now += static_cast<std::int64_t>(rng.uniform_int(2000000));          // up to 2 s idle
    t.push_back(now);
  }
  return t;
}
}  // namespace

// For every interval [t_i, t_j] between two admitted requests:
// admitted(i..j) <= capacity + rate·(t_j - t_i), in exact integers:
// admitted·period_us <= capacity·period_us + count·(t_j - t_i).
TEST(RateLimitTokenBucket, NeverAdmitsMoreThanCapacityPlusRateTimesInterval) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Rng rng(seed);
    const rl::RateSpec rate{static_cast<std::int64_t>(1 + rng.uniform_int(50)), rng.bernoulli(0.3) ? 60 : 1};
    const std::int64_t capacity = 1 + static_cast<std::int64_t>(rng.uniform_int(20));
    rl::TokenBucket b({capacity, rate, -1});
    std::vector<std::int64_t> admitted;
    for (auto t : random_trace(rng, 400))
      if (b.decide(t).admitted()) admitted.push_back(t);
    ASSERT_FALSE(admitted.empty());
    for (std::size_t i = 0; i < admitted.size(); ++i)
      for (std::size_t j = i; j < admitted.size(); ++j) {
        const auto n = static_cast<std::int64_t>(j - i + 1);
        ASSERT_LE(n * rate.period_us(), capacity * rate.period_us() + rate.count * (admitted[j] - admitted[i]))
            << "seed " << seed << " i " << i << " j " << j;
      }
  }
}

// And it is not over-strict: under saturation it admits capacity + floor(rate·T).
TEST(RateLimitTokenBucket, SaturatedBucketAdmitsCapacityPlusRefill) {
  rl::TokenBucket b({10, {10, 1}, -1});
  int admitted = 0;
  for (std::int64_t t = 0; t <= 5000000; t += 1000) admitted += b.decide(t).admitted();  // 1000 r/s for 5 s
  EXPECT_EQ(admitted, 10 + 50);
  rl::TokenBucket slow({1, {7, 60}, 0});  // empty at 0, 7 per minute: a token every 60/7 s
  EXPECT_EQ(slow.decide(8571428).verdict, rl::Verdict::Reject);  // 8.571428 s: 59999996/60000000 of a token
  EXPECT_EQ(slow.decide(8571429).verdict, rl::Verdict::Admit);   // 8.571429 s: 60000003 units >= 60000000
  EXPECT_NEAR(slow.tokens(8571429 + 60000000 / 7), 1.0, 1e-6);
}

// Stripe's script sees Time.now.to_i: no refill within a second, a whole second's worth at
// each second boundary. 10 admitted at 0.999 s, and 10 more at 1.000 s.
TEST(RateLimitStripeBucket, RefillsInWholeSecondSteps) {
  rl::StripeBucket s({10, {10, 1}});
  rl::TokenBucket c({10, {10, 1}, -1});
  int stripe_a = 0, cont_a = 0;
  for (int i = 0; i < 11; ++i) {
    stripe_a += s.decide(999000).admitted();
    cont_a += c.decide(999000).admitted();
  }
  EXPECT_EQ(stripe_a, 10);
  EXPECT_EQ(cont_a, 10);
  int stripe_b = 0, cont_b = 0;
  for (int i = 0; i < 11; ++i) {
    stripe_b += s.decide(1000000).admitted();
    cont_b += c.decide(1000000).admitted();
  }
  EXPECT_EQ(stripe_b, 10);  // delta = 1 s → +10 tokens
  EXPECT_EQ(cont_b, 0);     // 1 ms of continuous refill = 0.01 token
  // Within the second nothing comes back.
  EXPECT_EQ(s.decide(1999999).verdict, rl::Verdict::Reject);
  EXPECT_EQ(s.decide(2000000).verdict, rl::Verdict::Admit);
}

// Shaper: releases (arrival + delay) never exceed the rate: for releases k < m,
// (m - k)·period_us <= (r_m - r_k + 1)·count (1 µs slack: delays are rounded up to µs).
// Queue never holds more than its capacity; delay <= capacity·period/count (+1 µs).
TEST(RateLimitShaper, OutputNeverExceedsRate) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Rng rng(seed * 7919);
    const rl::RateSpec rate{static_cast<std::int64_t>(1 + rng.uniform_int(100)), rng.bernoulli(0.3) ? 60 : 1};
    const std::int64_t cap = static_cast<std::int64_t>(rng.uniform_int(30));
    rl::Shaper s({rate, cap});
    std::vector<std::int64_t> releases;
    for (auto t : random_trace(rng, 400)) {
      ASSERT_LE(s.queued(t), cap);
      const auto d = s.decide(t);
      if (!d.admitted()) continue;
      ASSERT_LE(d.delay_us * rate.count, cap * rate.period_us() + rate.count) << "seed " << seed;
      releases.push_back(t + d.delay_us);
    }
    ASSERT_TRUE(std::is_sorted(releases.begin(), releases.end()));  // FIFO
    for (std::size_t k = 0; k < releases.size(); ++k)
      for (std::size_t m = k + 1; m < releases.size() && m < k + 50; ++m)
        ASSERT_LE(static_cast<std::int64_t>(m - k) * rate.period_us(), (releases[m] - releases[k] + 1) * rate.count)
            << "seed " << seed;
  }
}

// 10 r/s, queue of 3: a burst of 6 at t=0 → admit, delay 100/200/300 ms, reject, reject.
TEST(RateLimitShaper, HandWorkedBurst) {
  rl::Shaper s({{10, 1}, 3});
  std::vector<rl::Decision> got;
  for (int i = 0; i < 6; ++i) got.push_back(s.decide(0));
  const std::vector<rl::Decision> want = {rl::Decision::admit(),       rl::Decision::delay(100000),
                                          rl::Decision::delay(200000), rl::Decision::delay(300000),
                                          rl::Decision::reject(),      rl::Decision::reject()};
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.queued(0), 3);
  EXPECT_EQ(s.queued(150000), 2);
  EXPECT_EQ(s.decide(150000), rl::Decision::delay(250000));  // slot 400 ms
}
