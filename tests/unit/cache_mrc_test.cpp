// One-pass LRU hit ratios (sim/cache/mrc.h) against one Lru run per size.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "sim/cache/baselines.h"
#include "sim/cache/mrc.h"
#include "sim/cache/workload.h"
#include "sim/core/rng.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace scalebook::sim::cache {
namespace {

std::uint64_t lru_hits(const std::vector<std::uint64_t>& trace, std::size_t capacity) {
  Lru lru(capacity);
  for (std::uint64_t k : trace) lru.access(k);
  return lru.stats().hits;
}

TEST(CacheMrc, StackDistancesGiveExactlyTheHitsOfAnLruRunAtEverySize) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    const std::uint64_t universe = 2 + rng.uniform_int(80);
    std::vector<std::uint64_t> trace(200 + rng.uniform_int(800));
    for (auto& k : trace) k = rng.uniform_int(universe);
    const LruStackDistances d(trace);
    EXPECT_EQ(d.requests(), trace.size());
    EXPECT_EQ(d.cold_misses(), std::set<std::uint64_t>(trace.begin(), trace.end()).size());
    for (std::size_t c = 1; c <= universe + 2; ++c) ASSERT_EQ(d.hits(c), lru_hits(trace, c)) << "seed " << seed << " capacity " << c;
  }
}

TEST(CacheMrc, KnownDistancesOnAHandTrace) {
  // a b c a b c: each repeat has stack distance 3; a a: distance 1.
  const LruStackDistances d({1, 2, 3, 1, 2, 3, 3});
  EXPECT_EQ(d.cold_misses(), 3u);
  EXPECT_EQ(d.hits(1), 1u);  // the final 3 after 3
  EXPECT_EQ(d.hits(2), 1u);
  EXPECT_EQ(d.hits(3), 4u);
  EXPECT_EQ(d.hits(100), 4u);
  EXPECT_EQ(d.hits(0), 0u);
  ASSERT_EQ(d.max_distance(), 3u);
  EXPECT_EQ(d.histogram()[3], 3u);
}

TEST(CacheMrc, TheCurveUsesOnePassForLruAndStillMatchesRuns) {
  const auto trace = generate({.kind = WorkloadDesc::Kind::Zipf, .requests = 20000, .keys = 2000, .alpha = 0.8, .seed = 3});
  const std::vector<std::size_t> sizes = {1, 10, 50, 100, 500, 1000, 5000};
  const auto curve = hit_ratio_curve({.kind = PolicyKind::Lru}, trace, sizes);
  for (std::size_t i = 0; i < sizes.size(); ++i)
    EXPECT_DOUBLE_EQ(curve[i], static_cast<double>(lru_hits(trace, sizes[i])) / static_cast<double>(trace.size()));
}

}  // namespace
}  // namespace scalebook::sim::cache
