// Workload generators, the Cache handle and the runner (src/sim/cache/workload.h),
// and the cross-policy properties: OPT bounds every policy on every workload.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "sim/cache/workload.h"

namespace cache = scalebook::sim::cache;
using cache::PolicyKind;
using Kind = cache::WorkloadDesc::Kind;

namespace {
const PolicyKind kAll[] = {PolicyKind::Fifo,     PolicyKind::Lru,      PolicyKind::Lfu,      PolicyKind::Opt,
                           PolicyKind::RedisLru, PolicyKind::RedisLfu, PolicyKind::WTinyLfu, PolicyKind::Memcached};
}

TEST(CacheWorkload, GeneratorsAreDeterministic) {
  for (Kind k : {Kind::Zipf, Kind::Scan, Kind::Loop, Kind::Shifting}) {
    const cache::WorkloadDesc d{.kind = k, .requests = 5000, .keys = 300, .scan_every = 700, .scan_length = 50, .shift_every = 1000, .seed = 4};
    const auto a = cache::generate(d);
    EXPECT_EQ(a, cache::generate(d));
    EXPECT_EQ(a.size(), 5000u);
    if (k != Kind::Loop) {
      auto d2 = d;
      d2.seed = 5;
      EXPECT_NE(a, cache::generate(d2));
    }
  }
}

TEST(CacheWorkload, ZipfFrequenciesFollowThePowerLaw) {
  const auto t = cache::generate({.kind = Kind::Zipf, .requests = 400000, .keys = 1000, .alpha = 1.0, .seed = 2});
  std::map<std::uint64_t, double> f;
  for (auto k : t) f[k] += 1.0 / static_cast<double>(t.size());
  scalebook::sim::Zipf z(1000, 1.0);
  for (std::uint64_t r : {0u, 1u, 9u, 99u}) EXPECT_NEAR(f[r], z.probability(r), 0.1 * z.probability(r) + 0.0005) << r;
  // H(1000) = 7.4855: rank 0 has probability 1/H.
  EXPECT_NEAR(z.probability(0), 1.0 / 7.4854708606, 1e-6);
  EXPECT_NEAR(f[0] / f[1], 2.0, 0.1);
}

TEST(CacheWorkload, LoopScanAndShiftShapes) {
  const auto loop = cache::generate({.kind = Kind::Loop, .requests = 10, .loop_length = 4});
  EXPECT_EQ(loop, (std::vector<std::uint64_t>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}));

  const auto scan = cache::generate({.kind = Kind::Scan, .requests = 3000, .keys = 100, .scan_every = 500, .scan_length = 100});
  std::set<std::uint64_t> scan_keys;
  for (auto k : scan) {
    if (k >= cache::kScanKeyBase) {
      EXPECT_TRUE(scan_keys.insert(k).second);  // every scan key is new
    }
  }
  EXPECT_EQ(scan_keys.size(), 500u);  // 2500 background requests -> 5 bursts of 100
  EXPECT_GE(scan[500], cache::kScanKeyBase);  // the burst follows the 500th background request

  const auto shift = cache::generate({.kind = Kind::Shifting, .requests = 4000, .keys = 200, .shift_every = 1000});
  for (std::size_t i = 0; i < shift.size(); ++i) {
    EXPECT_GE(shift[i], (i / 1000) * 200);
    EXPECT_LT(shift[i], (i / 1000 + 1) * 200);
  }
}

TEST(CacheWorkload, PolicyNamesRoundTrip) {
  for (PolicyKind k : kAll) EXPECT_EQ(cache::parse_policy(cache::policy_name(k)), k);
  EXPECT_FALSE(cache::parse_policy("arc").has_value());
}

TEST(CacheWorkload, RunnerWindowsAddUpToTheTotal) {
  const auto t = cache::generate({.kind = Kind::Zipf, .requests = 10500, .keys = 2000, .seed = 3});
  for (PolicyKind k : kAll) {
    const auto r = cache::run({.kind = k, .capacity = 100}, t, {.interval_us = 1000, .window = 1000});
    ASSERT_EQ(r.window_hit_ratio.size(), 11u);  // 10 full windows and one of 500
    double hits = 0;
    for (std::size_t w = 0; w < 10; ++w) hits += r.window_hit_ratio[w] * 1000;
    hits += r.window_hit_ratio[10] * 500;
    EXPECT_NEAR(hits, static_cast<double>(r.total.hits), 1e-6) << cache::policy_name(k);
    EXPECT_EQ(r.total.requests(), t.size());
    EXPECT_EQ(r.total.misses - r.total.evictions - r.total.rejections, 100u) << cache::policy_name(k);  // full at the end
  }
}

TEST(CacheWorkload, CacheHandleIsASnapshot) {
  const auto t = cache::generate({.kind = Kind::Zipf, .requests = 4000, .keys = 500, .seed = 8});
  for (PolicyKind k : kAll) {
    cache::Cache a({.kind = k, .capacity = 50, .seed = 6}, t);
    for (std::size_t i = 0; i < 2000; ++i) a.access(t[i], static_cast<std::int64_t>(i) * 1000);
    cache::Cache b = a;
    std::vector<bool> ha, hb;
    for (std::size_t i = 2000; i < t.size(); ++i) {
      ha.push_back(a.access(t[i], static_cast<std::int64_t>(i) * 1000).hit);
      hb.push_back(b.access(t[i], static_cast<std::int64_t>(i) * 1000).hit);
    }
    EXPECT_EQ(ha, hb) << cache::policy_name(k);
    EXPECT_EQ(a.stats(), b.stats());
  }
}

TEST(CacheWorkload, OptBoundsEveryPolicyOnEveryWorkload) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    for (Kind wk : {Kind::Zipf, Kind::Scan, Kind::Loop, Kind::Shifting}) {
      const auto t = cache::generate({.kind = wk, .requests = 6000, .keys = 400, .alpha = 0.8, .scan_every = 900, .scan_length = 120,
                                      .loop_length = 60 + seed, .shift_every = 1500, .seed = seed});
      const std::size_t cap = 10 + 5 * seed;
      const auto opt = cache::run({.kind = PolicyKind::Opt, .capacity = cap}, t);
      for (PolicyKind k : kAll) {
        const auto r = cache::run({.kind = k, .capacity = cap, .seed = seed}, t, {.interval_us = 250000});
        ASSERT_GE(opt.total.hits, r.total.hits) << cache::policy_name(k) << " seed " << seed << " workload " << static_cast<int>(wk);
      }
    }
  }
}

TEST(CacheWorkload, LruLoopOfCapacityPlusOneThroughTheRunner) {
  const auto t = cache::generate({.kind = Kind::Loop, .requests = 10100, .loop_length = 101});
  EXPECT_EQ(cache::run({.kind = PolicyKind::Lru, .capacity = 100}, t).total.hits, 0u);
  EXPECT_EQ(cache::run({.kind = PolicyKind::Fifo, .capacity = 100}, t).total.hits, 0u);
  // OPT keeps 99 of the 101 keys across every pass: hits = passes after the first × 99 ... roughly.
  EXPECT_GT(cache::run({.kind = PolicyKind::Opt, .capacity = 100}, t).total.hit_ratio(), 0.95);
}

TEST(CacheWorkload, ShiftingWorkingSetShowsInTheWindows) {
  // LFU clings to the old set's counts; LRU recovers within a window of the shift.
  const auto t = cache::generate({.kind = Kind::Shifting, .requests = 40000, .keys = 500, .alpha = 1.0, .shift_every = 20000, .seed = 1});
  const auto lru = cache::run({.kind = PolicyKind::Lru, .capacity = 100}, t, {.window = 2000});
  const auto lfu = cache::run({.kind = PolicyKind::Lfu, .capacity = 100}, t, {.window = 2000});
  ASSERT_EQ(lru.window_hit_ratio.size(), 20u);
  EXPECT_GT(lru.window_hit_ratio[11], lru.window_hit_ratio[9] - 0.05);  // LRU back to normal right after the shift
  EXPECT_LT(lfu.window_hit_ratio[11], 0.5 * lfu.window_hit_ratio[9]);   // exact LFU is stuck with yesterday's hits
}

TEST(CacheWorkload, HitRatioCurveIsMonotoneForLruAndBoundedByOpt) {
  const auto t = cache::generate({.kind = Kind::Zipf, .requests = 20000, .keys = 3000, .seed = 9});
  const std::vector<std::size_t> sizes{10, 50, 100, 500, 1000, 3000};
  const auto lru = cache::hit_ratio_curve({.kind = PolicyKind::Lru}, t, sizes);
  const auto opt = cache::hit_ratio_curve({.kind = PolicyKind::Opt}, t, sizes);
  ASSERT_EQ(lru.size(), sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(lru[i], lru[i - 1]);  // LRU is a stack algorithm: no Belady anomaly
    }
    EXPECT_GE(opt[i], lru[i]);
  }
  // With room for every key, only cold misses remain.
  std::set<std::uint64_t> distinct(t.begin(), t.end());
  EXPECT_DOUBLE_EQ(lru.back(), 1.0 - static_cast<double>(distinct.size()) / static_cast<double>(t.size()));
}

TEST(CacheWorkload, ParseTrace) {
  const auto t = cache::parse_trace("# a comment\n1\n  2\t512\n\nuser:42 100\r\n18446744073709551615\n18446744073709551616");
  ASSERT_EQ(t.error, "");
  EXPECT_EQ(t.keys, (std::vector<std::uint64_t>{1, 2, cache::fnv1a64("user:42"), 18446744073709551615ull, cache::fnv1a64("18446744073709551616")}));
  EXPECT_EQ(t.sizes, (std::vector<std::uint64_t>{0, 512, 100, 0, 0}));
  EXPECT_EQ(cache::fnv1a64(""), 0xcbf29ce484222325ull);  // the FNV-1a offset basis
  EXPECT_EQ(cache::fnv1a64("a"), 0xaf63dc4c8601ec8cull);  // published FNV-1a 64 test vector
  EXPECT_EQ(cache::parse_trace("1\n2 0\n").error, "line 2: size '0' is not a positive integer");
  EXPECT_EQ(cache::parse_trace("1\n2\n3 x\n").error, "line 3: size 'x' is not a positive integer");
  EXPECT_EQ(cache::parse_trace("1 2 3").error, "line 1: expected 'KEY [SIZE]', got 3 fields");
  EXPECT_TRUE(cache::parse_trace("1 2 3").keys.empty());
  EXPECT_TRUE(cache::parse_trace("").keys.empty());
  EXPECT_EQ(cache::parse_trace("7\n").keys, (std::vector<std::uint64_t>{7}));
}
