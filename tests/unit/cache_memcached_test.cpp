// memcached's segmented LRU (src/sim/cache/memcached.h): hand-scripted sequences
// computed from items.c (do_item_bump, do_item_update, lru_pull_tail,
// lru_maintainer_juggle, do_item_alloc_pull) with the memcached.c defaults.
#include <gtest/gtest.h>

#include <vector>

#include "sim/cache/baselines.h"
#include "sim/cache/memcached.h"
#include "sim/cache/workload.h"
#include "sim/core/rng.h"

namespace cache = scalebook::sim::cache;
using cache::MemcachedSlru;
using L = MemcachedSlru::Lru;
using Keys = std::vector<std::uint64_t>;

namespace {
constexpr std::int64_t kSec = 1000000;
constexpr std::int64_t kNever = std::int64_t{1} << 60;  // juggle only when the test says so
MemcachedSlru no_maintainer(std::size_t c) { return MemcachedSlru({.capacity = c, .juggle_interval_us = kNever}); }
}  // namespace

TEST(CacheMemcached, FetchedThenActiveOnTheSecondHit) {
  auto m = no_maintainer(10);
  m.access(1, 0);
  EXPECT_EQ(m.lru_of(1), L::Hot);
  EXPECT_FALSE(m.fetched(1));
  m.access(1, 1 * kSec);
  EXPECT_TRUE(m.fetched(1));
  EXPECT_FALSE(m.active(1));
  m.access(1, 2 * kSec);
  EXPECT_TRUE(m.active(1));
  EXPECT_EQ(m.lru_of(1), L::Hot);  // no move on a hit: only when it reaches a tail
}

TEST(CacheMemcached, JuggleSendsHotOverflowToCold) {
  auto m = no_maintainer(10);
  for (std::uint64_t k = 1; k <= 5; ++k) m.access(k, 0);
  m.juggle(0);
  // total 5, HOT limit 5*20/100 = 1: the four oldest go to COLD, in order.
  EXPECT_EQ(m.keys(L::Hot), (Keys{5}));
  EXPECT_EQ(m.keys(L::Cold), (Keys{1, 2, 3, 4}));
  EXPECT_EQ(m.counters().moves_to_cold, 4u);
}

TEST(CacheMemcached, ColdHitTwiceMovesToWarmAndWarmRescuesActiveTail) {
  auto m = no_maintainer(10);
  for (std::uint64_t k = 1; k <= 5; ++k) m.access(k, 0);
  m.juggle(0);
  m.access(2, 0);  // FETCHED
  EXPECT_EQ(m.lru_of(2), L::Cold);
  m.access(2, 0);  // ACTIVE in COLD: the async bump moves it to WARM and clears ACTIVE
  EXPECT_EQ(m.lru_of(2), L::Warm);
  EXPECT_FALSE(m.active(2));
  EXPECT_EQ(m.counters().moves_to_warm, 0u);  // do_item_update does not count it
  m.access(2, 0);  // ACTIVE again, in WARM
  EXPECT_TRUE(m.active(2));
  m.juggle(0);  // HOT pulls nothing, so WARM's tail is pulled: active -> relinked, ACTIVE cleared
  EXPECT_EQ(m.counters().moves_within_lru, 1u);
  EXPECT_FALSE(m.active(2));
  EXPECT_EQ(m.lru_of(2), L::Warm);
}

TEST(CacheMemcached, EvictsColdTail) {
  auto m = no_maintainer(5);
  for (std::uint64_t k = 1; k <= 5; ++k) m.access(k, 0);
  m.juggle(0);
  const auto r = m.access(6, 0);
  EXPECT_TRUE(r.evicted);
  EXPECT_EQ(r.evicted_key, 1u);
  EXPECT_EQ(m.counters().evicted, 1u);
  EXPECT_EQ(m.counters().evicted_unfetched, 1u);
  EXPECT_EQ(m.lru_of(6), L::Hot);
}

TEST(CacheMemcached, EmptyColdPullsHotTailFirstAndActiveItemsSurvive) {
  auto m = no_maintainer(3);
  for (std::uint64_t k = 1; k <= 3; ++k) m.access(k, 0);
  m.access(1, 0);
  m.access(1, 0);  // 1 is ACTIVE in HOT
  const auto r = m.access(4, 0);
  // COLD empty: HOT's tail 1 is ACTIVE -> WARM; again: 2 -> COLD; COLD evicts 2.
  EXPECT_EQ(r.evicted_key, 2u);
  EXPECT_EQ(m.lru_of(1), L::Warm);
  EXPECT_EQ(m.counters().moves_to_warm, 1u);
  EXPECT_EQ(m.counters().moves_to_cold, 1u);
}

TEST(CacheMemcached, HotItemsOlderThanHotMaxAgeDropToCold) {
  auto m = no_maintainer(100);
  for (std::uint64_t k = 1; k <= 50; ++k) m.access(k, 0);
  m.juggle(0);
  EXPECT_EQ(m.count(L::Hot), 10u);  // 50*20/100
  EXPECT_EQ(m.count(L::Cold), 40u);
  // At 100 s: cold_age = 100 s, hot_age = 0.2*100 = 20 s: every HOT item (100 s idle) goes.
  m.juggle(100 * kSec);
  EXPECT_EQ(m.count(L::Hot), 0u);
  EXPECT_EQ(m.count(L::Cold), 50u);
}

TEST(CacheMemcached, InvariantsOnRandomTraces) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    scalebook::sim::Rng rng(seed);
    const std::size_t cap = 1 + rng.uniform_int(200);
    MemcachedSlru m({.capacity = cap});
    for (int i = 0; i < 20000; ++i) {
      const std::uint64_t k = rng.uniform_int(3 * cap + 3);
      const auto r = m.access(k, static_cast<std::int64_t>(i) * 700);
      ASSERT_TRUE(m.contains(k) || (!r.hit && !r.admitted));
      ASSERT_LE(m.size(), cap);
      ASSERT_EQ(m.count(L::Hot) + m.count(L::Warm) + m.count(L::Cold), m.size());
      if (r.hit) {
        ASSERT_FALSE(r.evicted);
      }
    }
    EXPECT_EQ(m.stats().evictions, m.counters().evicted);
    EXPECT_EQ(m.stats().misses - m.stats().evictions - m.stats().rejections, m.size());
  }
}

TEST(CacheMemcached, StoreFailsWhenEverythingIsInWarm) {
  // do_item_alloc_pull only pulls COLD (evict) and then HOT: with every item in
  // WARM neither frees anything, the ten tries fail and the set is refused (out of
  // memory) until the maintainer juggles WARM's overflow down to COLD.
  auto m = no_maintainer(2);
  m.access(1, 0);
  m.access(2, 0);
  m.juggle(0);  // total 2: HOT limit 0 -> 40 % of 2 = 0 ... both go to COLD
  EXPECT_EQ(m.count(L::Cold), 2u);
  for (std::uint64_t k : {1u, 2u}) {
    m.access(k, 0);
    m.access(k, 0);  // hit twice in COLD: to WARM
  }
  EXPECT_EQ(m.count(L::Warm), 2u);
  const auto r = m.access(3, 0);
  EXPECT_FALSE(r.admitted);
  EXPECT_FALSE(m.contains(3));
  EXPECT_EQ(m.stats().rejections, 1u);
  m.juggle(0);  // WARM over its limit (2 > 0): its tail goes to COLD
  const auto r2 = m.access(3, 0);
  EXPECT_TRUE(r2.admitted);
  EXPECT_TRUE(r2.evicted);
}

TEST(CacheMemcached, ScanResistanceComparedWithLru) {
  // Zipf plus one-off scans: scan items enter HOT and flow to COLD unfetched, while
  // items hit twice live in WARM, so the hot set survives better than under LRU.
  const auto t = cache::generate({.kind = cache::WorkloadDesc::Kind::Scan, .requests = 100000, .keys = 5000, .alpha = 1.0,
                                  .scan_every = 2000, .scan_length = 400, .seed = 3});
  const auto mc = cache::run({.kind = cache::PolicyKind::Memcached, .capacity = 200}, t, {.interval_us = 1000});
  const auto lru = cache::run({.kind = cache::PolicyKind::Lru, .capacity = 200}, t, {.interval_us = 1000});
  EXPECT_GT(mc.total.hit_ratio(), lru.total.hit_ratio());
}
