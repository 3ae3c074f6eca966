// Oracle tests for src/sim/core: event queue order, digest, windowed metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/event_queue.h"
#include "sim/core/metrics.h"
#include "sim/core/rng.h"
#include "sim/core/virtual_time.h"

namespace sim = scalebook::sim;

TEST(CoreEventQueue, PopsInTimeOrderAndFifoForTies) {
  sim::EventQueue<int> q;
  sim::Rng rng(7);
  std::vector<std::pair<std::int64_t, int>> pushed;
  for (int i = 0; i < 2000; ++i) {
    const auto t = static_cast<std::int64_t>(rng.uniform_int(50));  // many ties
    q.push(t, i);
    pushed.emplace_back(t, i);
  }
  // Oracle: a stable sort by time keeps push order among equal times.
  std::stable_sort(pushed.begin(), pushed.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (const auto& [t, i] : pushed) {
    ASSERT_FALSE(q.empty());
    auto e = q.pop();
    EXPECT_EQ(e.time_us, t);
    EXPECT_EQ(e.payload, i);
  }
  EXPECT_TRUE(q.empty());
}

TEST(CoreDigest, MatchesPublishedFnv1a64Vectors) {
  // Test vectors from the FNV reference (Landon Curt Noll's fnv test suite).
  EXPECT_EQ(sim::fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(sim::fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(sim::fnv1a64("foobar"), 0x85944171f73967e8ull);
  sim::TraceDigest d;
  d.add_u64(0x0102030405060708ull);  // little-endian bytes 08 07 ... 01
  EXPECT_EQ(d.value(), sim::fnv1a64(std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8)));
  EXPECT_EQ(sim::TraceDigest().hex(), "cbf29ce484222325");
}

TEST(CoreVirtualTime, FloorAndFormatting) {
  EXPECT_EQ(sim::us_to_ms_floor(1999), 1);
  EXPECT_EQ(sim::us_to_ms_floor(-1), -1);
  EXPECT_EQ(sim::us_to_s_floor(999999), 0);
  EXPECT_EQ(sim::format_us_as_ms(12000), "12");
  EXPECT_EQ(sim::format_us_as_ms(12500), "12.5");
  EXPECT_EQ(sim::format_us_as_ms(1), "0.001");
  EXPECT_EQ(sim::clamp_step_us(5000000, 100000), 100000);
  EXPECT_EQ(sim::clamp_step_us(-5, 100000), 0);
}

TEST(CoreMetrics, HistogramQuantilesWithinStatedError) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    sim::Rng rng(seed);
    sim::LogHistogram h;
    std::vector<std::uint64_t> values;
    for (int i = 0; i < 5000; ++i) {
      const auto v = static_cast<std::uint64_t>(rng.power_law(10.0, 2.2));
      values.push_back(v);
      h.add(v);
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
      // Nearest-rank oracle.
      auto rank = static_cast<std::size_t>(std::ceil(q * values.size()));
      const double truth = static_cast<double>(values[rank - 1]);
      const double got = static_cast<double>(h.quantile(q));
      EXPECT_LE(std::abs(got - truth), truth * sim::LogHistogram::kRelativeError + 0.5)
          << "seed " << seed << " q " << q;
    }
    EXPECT_EQ(h.count(), values.size());
    EXPECT_EQ(h.max(), values.back());
    EXPECT_EQ(h.min(), values.front());
  }
}

TEST(CoreMetrics, BucketsTileTheRange) {
  for (int b = 0; b + 1 < sim::LogHistogram::kBuckets; ++b) {
    EXPECT_EQ(sim::LogHistogram::bucket_high(b) + 1, sim::LogHistogram::bucket_low(b + 1)) << b;
    EXPECT_EQ(sim::LogHistogram::bucket_of(sim::LogHistogram::bucket_low(b)), b);
    EXPECT_EQ(sim::LogHistogram::bucket_of(sim::LogHistogram::bucket_high(b)), b);
  }
}

TEST(CoreMetrics, WindowedCounterMatchesBruteForceOverWholeBuckets) {
  sim::Rng rng(3);
  sim::WindowedCounter c(1000000, 10);  // 1 s in 100 ms buckets
  std::vector<std::int64_t> times;
  std::int64_t t = 0;
  for (int i = 0; i < 5000; ++i) {
    t += static_cast<std::int64_t>(rng.uniform_int(3000));
    c.add(t);
    times.push_back(t);
    // Oracle: events in the 10 whole buckets ending with the current one.
    const std::int64_t bucket_start = t / 100000 * 100000;
    const std::int64_t from = bucket_start - 900000;
    const auto n = std::count_if(times.begin(), times.end(), [&](std::int64_t x) { return x >= from && x <= t; });
    ASSERT_EQ(c.count(t), n) << i;
  }
  EXPECT_DOUBLE_EQ(c.rate_per_s(t), static_cast<double>(c.count(t)));
}

TEST(CoreMetrics, WindowedHistogramForgetsOldSamples) {
  sim::WindowedHistogram h(1000000, 4);
  h.add(0, 1000);
  h.add(100000, 5);
  EXPECT_EQ(h.snapshot(100000).count(), 2u);
  EXPECT_EQ(h.snapshot(1100000).count(), 0u);  // both sub-windows aged out
  h.add(1100000, 7);
  EXPECT_EQ(h.snapshot(1100000).quantile(0.5), 7u);
}
