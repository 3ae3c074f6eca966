// FIFO, exact LRU, exact LFU and Belady's OPT: hand-computed traces, naive
// reference implementations on random traces, an exhaustive search for the
// optimum on tiny traces, and the classic properties (LRU's loop of C+1 keys,
// OPT >= every policy).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

#include "sim/cache/baselines.h"
#include "sim/core/rng.h"

namespace cache = scalebook::sim::cache;
using scalebook::sim::Rng;

namespace {

using Trace = std::vector<std::uint64_t>;

template <typename P>
std::vector<bool> hits_of(P& p, const Trace& t) {
  std::vector<bool> out;
  for (auto k : t) out.push_back(p.access(k, 0).hit);
  return out;
}

Trace random_trace(std::uint64_t seed, std::size_t n, std::uint64_t keys) {
  Rng rng(seed);
  Trace t(n);
  for (auto& k : t) k = rng.uniform_int(keys);
  return t;
}

// Naive references: a vector in victim-first order, linear scans.
std::uint64_t naive_lru_hits(const Trace& t, std::size_t c) {
  std::vector<std::uint64_t> v;  // LRU first
  std::uint64_t hits = 0;
  for (auto k : t) {
    auto it = std::find(v.begin(), v.end(), k);
    if (it != v.end()) {
      ++hits;
      v.erase(it);
    } else if (v.size() == c) {
      v.erase(v.begin());
    }
    v.push_back(k);
  }
  return hits;
}

std::uint64_t naive_fifo_hits(const Trace& t, std::size_t c) {
  std::vector<std::uint64_t> v;
  std::uint64_t hits = 0;
  for (auto k : t) {
    if (std::find(v.begin(), v.end(), k) != v.end()) {
      ++hits;
      continue;
    }
    if (v.size() == c) v.erase(v.begin());
    v.push_back(k);
  }
  return hits;
}

std::uint64_t naive_lfu_hits(const Trace& t, std::size_t c) {
  struct E {
    std::uint64_t key, freq, last;
  };
  std::vector<E> v;
  std::uint64_t hits = 0, seq = 0;
  for (auto k : t) {
    ++seq;
    auto it = std::find_if(v.begin(), v.end(), [&](const E& e) { return e.key == k; });
    if (it != v.end()) {
      ++hits;
      ++it->freq;
      it->last = seq;
      continue;
    }
    if (v.size() == c) {
      auto victim = std::min_element(v.begin(), v.end(), [](const E& a, const E& b) {
        return a.freq != b.freq ? a.freq < b.freq : a.last < b.last;
      });
      v.erase(victim);
    }
    v.push_back({k, 1, seq});
  }
  return hits;
}

// The true optimum by exhaustive search: at every miss try every legal choice
// (bypass, insert into a free slot, or replace any resident key). Tiny traces only.
std::uint64_t brute_force_optimum(const Trace& t, std::size_t c) {
  std::map<std::pair<std::size_t, std::vector<std::uint64_t>>, std::uint64_t> memo;
  std::function<std::uint64_t(std::size_t, std::vector<std::uint64_t>)> best = [&](std::size_t i, std::vector<std::uint64_t> s) -> std::uint64_t {
    if (i == t.size()) return 0;
    std::sort(s.begin(), s.end());
    auto key = std::make_pair(i, s);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    std::uint64_t r;
    if (std::find(s.begin(), s.end(), t[i]) != s.end()) {
      r = 1 + best(i + 1, s);
    } else {
      r = best(i + 1, s);  // bypass
      if (s.size() < c) {
        auto s2 = s;
        s2.push_back(t[i]);
        r = std::max(r, best(i + 1, s2));
      } else {
        for (std::size_t j = 0; j < s.size(); ++j) {
          auto s2 = s;
          s2[j] = t[i];
          r = std::max(r, best(i + 1, s2));
        }
      }
    }
    memo.emplace(key, r);
    return r;
  };
  return best(0, {});
}

}  // namespace

TEST(CacheBaselines, FifoHandTrace) {
  cache::Fifo f(3);
  // 1m 2m 3m 1h 4m(evicts 1) 1m(evicts 2) 2m(evicts 3)
  EXPECT_EQ(hits_of(f, {1, 2, 3, 1, 4, 1, 2}), (std::vector<bool>{false, false, false, true, false, false, false}));
  EXPECT_EQ(f.stats(), (cache::CacheStats{.hits = 1, .misses = 6, .evictions = 3}));
  EXPECT_EQ(f.order(), (Trace{4, 1, 2}));
}

TEST(CacheBaselines, LruHandTrace) {
  cache::Lru l(3);
  // 1m 2m 3m 1h [2 3 1] 4m evicts 2 [3 1 4] 1h [3 4 1] 2m evicts 3 [4 1 2]
  EXPECT_EQ(hits_of(l, {1, 2, 3, 1, 4, 1, 2}), (std::vector<bool>{false, false, false, true, false, true, false}));
  EXPECT_EQ(l.stats(), (cache::CacheStats{.hits = 2, .misses = 5, .evictions = 2}));
  EXPECT_EQ(l.order(), (Trace{4, 1, 2}));
}

TEST(CacheBaselines, LruEvictedKeyIsReported) {
  cache::Lru l(2);
  l.access(1);
  l.access(2);
  l.access(1);
  const auto r = l.access(3);
  EXPECT_FALSE(r.hit);
  EXPECT_TRUE(r.evicted);
  EXPECT_EQ(r.evicted_key, 2u);
  EXPECT_FALSE(l.contains(2));
}

TEST(CacheBaselines, LfuEvictsLeastFrequent) {
  cache::Lfu l(2);
  // 1m(f1) 1h(f2) 2m(f1) 3m evicts 2 (f1 < f2) 2m evicts 3 3m evicts 2
  EXPECT_EQ(hits_of(l, {1, 1, 2, 3, 2, 3}), (std::vector<bool>{false, true, false, false, false, false}));
  EXPECT_TRUE(l.contains(1));
  EXPECT_EQ(l.frequency(1), 2u);
  EXPECT_EQ(l.stats().evictions, 3u);
}

TEST(CacheBaselines, LfuTieGoesToLeastRecentlyUsed) {
  cache::Lfu l(2);
  l.access(1);
  l.access(2);
  l.access(2);  // f(2) = 2, last = 3
  l.access(1);  // f(1) = 2, last = 4
  const auto r = l.access(3);  // tie at frequency 2: 2 is the least recently used
  EXPECT_EQ(r.evicted_key, 2u);
  cache::Lfu m(2);
  m.access(7);
  m.access(8);
  EXPECT_EQ(m.access(9).evicted_key, 7u);  // tie at 1: the older one
}

TEST(CacheBaselines, LfuForgetsCountOnEviction) {
  cache::Lfu l(1);
  for (int i = 0; i < 5; ++i) l.access(1);
  l.access(2);  // 1 is evicted (the only resident)
  EXPECT_EQ(l.frequency(1), 0u);
  l.access(1);
  EXPECT_EQ(l.frequency(1), 1u);
}

TEST(CacheBaselines, OptHandTraceWithAndWithoutBypass) {
  const Trace t{1, 2, 3, 1, 2};
  cache::Opt with(2, t, true);
  // 3's next use is never: bypassed, then 1 and 2 hit.
  EXPECT_EQ(hits_of(with, t), (std::vector<bool>{false, false, false, true, true}));
  EXPECT_EQ(with.stats().rejections, 1u);
  EXPECT_EQ(with.stats().evictions, 0u);
  cache::Opt forced(2, t, false);
  // MIN must insert 3: evicts 2 (next use 4 > 3), 1 hits, 2 misses.
  EXPECT_EQ(hits_of(forced, t), (std::vector<bool>{false, false, false, true, false}));
  EXPECT_EQ(forced.stats().evictions, 2u);
}

TEST(CacheBaselines, OptBypassBeatsForcedMin) {
  const Trace t{1, 2, 1};
  cache::Opt with(1, t, true), forced(1, t, false);
  hits_of(with, t);
  hits_of(forced, t);
  EXPECT_EQ(with.stats().hits, 1u);
  EXPECT_EQ(forced.stats().hits, 0u);
}

TEST(CacheBaselines, OptRefusesAKeyOutOfOrder) {
  cache::Opt o(2, {1, 2});
  EXPECT_THROW(o.access(2), std::logic_error);
  o.access(1);
  o.access(2);
  EXPECT_THROW(o.access(3), std::logic_error);  // past the end
}

TEST(CacheBaselines, OptMatchesExhaustiveSearchOnTinyTraces) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Rng rng(seed * 7919);
    const std::size_t n = 6 + rng.uniform_int(8);
    const std::size_t c = 1 + rng.uniform_int(3);
    const Trace t = random_trace(seed, n, 2 + rng.uniform_int(4));
    cache::Opt o(c, t);
    hits_of(o, t);
    ASSERT_EQ(o.stats().hits, brute_force_optimum(t, c)) << "seed " << seed;
  }
}

TEST(CacheBaselines, ExactPoliciesMatchNaiveReferences) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Rng rng(seed);
    const std::size_t c = 1 + rng.uniform_int(20);
    const Trace t = random_trace(seed + 1000, 2000, 5 + rng.uniform_int(60));
    cache::Lru lru(c);
    cache::Fifo fifo(c);
    cache::Lfu lfu(c);
    hits_of(lru, t);
    hits_of(fifo, t);
    hits_of(lfu, t);
    ASSERT_EQ(lru.stats().hits, naive_lru_hits(t, c)) << "seed " << seed;
    ASSERT_EQ(fifo.stats().hits, naive_fifo_hits(t, c)) << "seed " << seed;
    ASSERT_EQ(lfu.stats().hits, naive_lfu_hits(t, c)) << "seed " << seed;
  }
}

TEST(CacheBaselines, LruLoopOfCapacityPlusOneNeverHits) {
  for (std::size_t c : {1u, 2u, 7u, 100u}) {
    cache::Lru l(c);
    cache::Fifo f(c);
    for (int round = 0; round < 20; ++round)
      for (std::uint64_t k = 0; k <= c; ++k) {
        l.access(k);
        f.access(k);
      }
    EXPECT_EQ(l.stats().hits, 0u) << c;
    EXPECT_EQ(f.stats().hits, 0u) << c;
  }
  // OPT on the same loop keeps C-1 of every C+1 keys... at least it hits.
  Trace t;
  for (int round = 0; round < 20; ++round)
    for (std::uint64_t k = 0; k <= 7; ++k) t.push_back(k);
  cache::Opt o(7, t);
  hits_of(o, t);
  EXPECT_GT(o.stats().hit_ratio(), 0.7);
}

TEST(CacheBaselines, OptIsAnUpperBoundOnRandomTraces) {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed * 31);
    const std::size_t c = 1 + rng.uniform_int(40);
    const Trace t = random_trace(seed, 3000, 10 + rng.uniform_int(200));
    cache::Opt o(c, t);
    cache::Opt forced(c, t, false);
    cache::Lru lru(c);
    cache::Fifo fifo(c);
    cache::Lfu lfu(c);
    hits_of(o, t);
    hits_of(forced, t);
    hits_of(lru, t);
    hits_of(fifo, t);
    hits_of(lfu, t);
    ASSERT_GE(o.stats().hits, forced.stats().hits) << seed;
    ASSERT_GE(forced.stats().hits, lru.stats().hits) << seed;
    ASSERT_GE(forced.stats().hits, fifo.stats().hits) << seed;
    ASSERT_GE(forced.stats().hits, lfu.stats().hits) << seed;
  }
}

TEST(CacheBaselines, InvariantsHoldOnEveryRequest) {
  const Trace t = random_trace(42, 5000, 300);
  cache::Lru lru(50);
  cache::Lfu lfu(50);
  cache::Fifo fifo(50);
  cache::Opt opt(50, t);
  for (auto k : t) {
    for (auto r : {lru.access(k), lfu.access(k), fifo.access(k), opt.access(k)}) {
      if (r.hit) {
        EXPECT_FALSE(r.evicted);
      }
      if (r.evicted) {
        EXPECT_NE(r.evicted_key, k);
      }
    }
    EXPECT_TRUE(lru.contains(k));
    EXPECT_TRUE(lfu.contains(k));
    EXPECT_TRUE(fifo.contains(k));
    EXPECT_LE(lru.size(), 50u);
    EXPECT_LE(lfu.size(), 50u);
    EXPECT_LE(fifo.size(), 50u);
    EXPECT_LE(opt.size(), 50u);
  }
  EXPECT_EQ(lru.stats().requests(), t.size());
  EXPECT_EQ(lru.stats().misses - lru.stats().evictions, 50u);  // every miss past the fill evicts
}
