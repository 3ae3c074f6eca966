// Window counters: sliding log vs a brute-force count, the fixed window's 2N
// boundary burst, Cloudflare's estimate, keyed LRU eviction and the
// distributed counter's over-admission.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/core/rng.h"
#include "sim/ratelimit/distributed.h"
#include "sim/ratelimit/keyed_table.h"
#include "sim/ratelimit/runner.h"
#include "sim/ratelimit/token_bucket.h"
#include "sim/ratelimit/traffic.h"
#include "sim/ratelimit/windows.h"

namespace rl = scalebook::sim::ratelimit;
using scalebook::sim::Rng;

TEST(RateLimitSlidingLog, EqualsBruteForceCount) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Rng rng(seed);
    const std::int64_t limit = 1 + static_cast<std::int64_t>(rng.uniform_int(12));
    const std::int64_t window = 1000 + static_cast<std::int64_t>(rng.uniform_int(2000000));
    rl::SlidingLog log({limit, window});
    std::vector<std::int64_t> admitted;  // brute-force history
    std::int64_t t = 0;
    for (int i = 0; i < 1500; ++i) {
      t += rng.bernoulli(0.3) ? 0 : static_cast<std::int64_t>(rng.uniform_int(window / 4 + 1));
      const auto in_window =
          std::count_if(admitted.begin(), admitted.end(), [&](std::int64_t a) { return a > t - window && a <= t; });
      const bool want = in_window < limit;
      ASSERT_EQ(log.decide(t).admitted(), want) << "seed " << seed << " i " << i;
      if (want) admitted.push_back(t);
    }
  }
}

TEST(RateLimitFixedWindow, AdmitsTwiceItsLimitAcrossABoundary) {
  rl::LimiterConfig c;
  c.rate = {10, 1};
  c.window_us = 1000000;  // limit 10 per window
  rl::TrafficDesc t;
  t.pattern = rl::Pattern::Boundary;
  t.window_us = c.window_us;
  t.spike_count = 10;
  t.duration_us = 10000000;
  const auto requests = rl::generate_traffic(t);
  c.algorithm = rl::Algorithm::FixedWindow;
  const auto fixed = rl::run_limiter(c, requests);
  EXPECT_EQ(fixed.summary.max_released_per_window, 20);  // 2N within 20 µs
  EXPECT_EQ(fixed.summary.rejected, 0u);
  c.algorithm = rl::Algorithm::SlidingLog;
  const auto log = rl::run_limiter(c, requests);
  EXPECT_EQ(log.summary.max_released_per_window, 10);
  EXPECT_EQ(log.summary.rejected, fixed.summary.admitted / 2);
}

// Cloudflare's worked example: 42 requests in the previous minute, 18 in the current
// one, 15 s into it: 42·(60-15)/60 + 18 = 49.5.
TEST(RateLimitSlidingCounter, CloudflareWorkedExample) {
  const std::int64_t minute = 60000000;
  rl::SlidingCounter c({100, minute});
  for (int i = 0; i < 42; ++i) ASSERT_TRUE(c.decide(1000000 + i).admitted());
  for (int i = 0; i < 18; ++i) ASSERT_TRUE(c.decide(minute + 1000000 + i).admitted());
  EXPECT_DOUBLE_EQ(c.estimate(minute + 15000000), 49.5);
  // With limit 50: 42 in window 0 are admitted; 1 s into window 1 the estimate is
  // 42·59/60 + cur, so cur may reach 8 (41.3 + 7 + 1 <= 50). At 15 s: 42·45/60 + 8 = 39.5,
  // and requests fit while 31.5 + cur + 1 <= 50, i.e. cur <= 17: exactly 10 more.
  rl::SlidingCounter tight({50, minute});
  for (int i = 0; i < 42; ++i) ASSERT_TRUE(tight.decide(1000000 + i).admitted());
  int first = 0;
  for (int i = 0; i < 9; ++i) first += tight.decide(minute + 1000000 + i).admitted();
  EXPECT_EQ(first, 8);
  EXPECT_DOUBLE_EQ(tight.estimate(minute + 15000000), 39.5);
  int more = 0;
  for (int i = 0; i < 20; ++i) more += tight.decide(minute + 15000000).admitted();
  EXPECT_EQ(more, 10);
}

// The estimate's error against the exact sliding log, measured by the runner: small for
// evenly spread traffic, larger for bursts that violate the "spread evenly" assumption.
TEST(RateLimitSlidingCounter, ErrorAgainstExactLogIsMeasured) {
  rl::LimiterConfig c;
  c.algorithm = rl::Algorithm::SlidingCounter;
  c.rate = {50, 1};
  c.window_us = 1000000;
  rl::TrafficDesc steady;
  steady.pattern = rl::Pattern::Steady;
  steady.load_per_s = 40;
  steady.duration_us = 20000000;
  const auto even = rl::run_limiter(c, rl::generate_traffic(steady)).summary;
  EXPECT_EQ(even.counter_samples, 800u);
  EXPECT_LT(even.counter_error_mean_abs, 1.0);
  rl::TrafficDesc bursty = steady;
  bursty.pattern = rl::Pattern::OnOff;
  bursty.period_us = 1000000;
  bursty.seed = 3;
  const auto onoff = rl::run_limiter(c, rl::generate_traffic(bursty)).summary;
  EXPECT_GT(onoff.counter_error_mean_abs, even.counter_error_mean_abs);
  // It never lets more than 2× the limit through in a sliding window.
  EXPECT_LE(onoff.max_released_per_window, 2 * c.window_limit());
}

// Eviction forgives: a throttled client that is evicted comes back with a full bucket.
TEST(RateLimitKeyed, LruEvictionForgetsTheLeastRecentClient) {
  rl::Keyed<rl::TokenBucket> k({1, {1, 60}, -1}, 2);
  EXPECT_TRUE(k.decide(0, 'A').admitted());
  EXPECT_FALSE(k.decide(1, 'A').admitted());
  EXPECT_TRUE(k.decide(2, 'B').admitted());
  EXPECT_FALSE(k.decide(3, 'A').admitted());  // A is now most recent; B is LRU
  EXPECT_TRUE(k.decide(4, 'C').admitted());   // evicts B
  EXPECT_EQ(k.evictions(), 1u);
  EXPECT_FALSE(k.decide(5, 'A').admitted());  // A kept its (empty) bucket
  EXPECT_TRUE(k.decide(6, 'B').admitted());   // B forgotten → full again; evicts C
  EXPECT_EQ(k.evictions(), 2u);
  EXPECT_EQ(k.clients(), 2u);
}

TEST(RateLimitKeyed, TableStaysBoundedUnderManyClients) {
  rl::LimiterConfig c;
  c.algorithm = rl::Algorithm::Gcra;
  c.max_clients = 100;
  rl::TrafficDesc t;
  t.pattern = rl::Pattern::ZipfClients;
  t.clients = 5000;
  t.load_per_s = 2000;
  t.duration_us = 5000000;
  const auto s = rl::run_limiter(c, rl::generate_traffic(t)).summary;
  EXPECT_EQ(s.clients, 100u);
  EXPECT_GT(s.evictions, 0u);
}

// Over-admission grows with the sync interval; a per-request shared counter never over-admits.
TEST(RateLimitDistributed, OverAdmissionGrowsWithSyncInterval) {
  rl::TrafficDesc t;
  t.pattern = rl::Pattern::Poisson;
  t.load_per_s = 400;
  t.duration_us = 20000000;
  t.seed = 11;
  const auto requests = rl::generate_traffic(t);
  rl::LimiterConfig c;
  c.algorithm = rl::Algorithm::Distributed;
  c.rate = {100, 1};
  c.window_us = 1000000;
  c.gateways = 4;
  std::vector<std::int64_t> over;
  for (std::int64_t sync_ms : {0, 1, 10, 50, 200, 1000}) {
    c.sync_us = sync_ms * 1000;
    over.push_back(rl::run_limiter(c, requests).summary.over_admission_max);
  }
  EXPECT_EQ(over[0], 0);
  for (std::size_t i = 1; i < over.size(); ++i) EXPECT_GE(over[i], over[i - 1]) << i;
  EXPECT_GT(over.back(), 100);                   // nearly N·limit when they never sync within a window
  EXPECT_LE(over.back(), (c.gateways - 1) * 100);  // each gateway admits at most `limit` alone
}

TEST(RateLimitTraffic, SameSeedSameStreamAndShapes) {
  rl::TrafficDesc t;
  t.pattern = rl::Pattern::Poisson;
  t.seed = 42;
  const auto a = rl::generate_traffic(t), b = rl::generate_traffic(t);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i].time_us, b[i].time_us);
  t.seed = 43;
  const auto c = rl::generate_traffic(t);
  EXPECT_TRUE(c.size() != a.size() || c[0].time_us != a[0].time_us);
  for (auto p : {rl::Pattern::Steady, rl::Pattern::Poisson, rl::Pattern::OnOff, rl::Pattern::Spike,
                 rl::Pattern::Boundary, rl::Pattern::ZipfClients}) {
    t.pattern = p;
    t.clients = 10;
    const auto r = rl::generate_traffic(t);
    ASSERT_FALSE(r.empty());
    for (std::size_t i = 1; i < r.size(); ++i) ASSERT_LE(r[i - 1].time_us, r[i].time_us);
    for (const auto& q : r) ASSERT_LT(q.client, 10u);
    ASSERT_LT(r.back().time_us, t.duration_us);
  }
  t.pattern = rl::Pattern::Steady;
  t.load_per_s = 15;
  EXPECT_EQ(rl::generate_traffic(t).size(), 150u);
}
