// Latency distributions (sim/net/latency.h): bounds, shape statistics, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "sim/net/latency.h"

namespace net = scalebook::sim::net;
using scalebook::sim::Rng;

namespace {

std::vector<std::int64_t> draw(const net::Latency& l, std::uint64_t seed, int n) {
  Rng rng(seed);
  std::vector<std::int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(net::sample_latency_us(l, rng));
  return out;
}

double mean(const std::vector<std::int64_t>& v) {
  double s = 0;
  for (auto x : v) s += static_cast<double>(x);
  return s / static_cast<double>(v.size());
}

double fraction_above(const std::vector<std::int64_t>& v, double x) {
  return static_cast<double>(std::count_if(v.begin(), v.end(), [x](std::int64_t s) { return s > x; })) /
         static_cast<double>(v.size());
}

}  // namespace

TEST(NetLatency, ConstantIsExactAndDrawsNothing) {
  Rng rng(5);
  const Rng before = rng;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(net::sample_latency_us(net::Latency::constant(2500), rng), 2500);
  EXPECT_EQ(std::memcmp(rng.state(), before.state(), 4 * sizeof(std::uint64_t)), 0);
}

TEST(NetLatency, UniformStaysInBoundsAndHitsEveryValue) {
  const auto v = draw(net::Latency::uniform(10, 13), 1, 4000);
  int hits[4] = {0, 0, 0, 0};
  for (auto x : v) {
    ASSERT_GE(x, 10);
    ASSERT_LE(x, 13);
    ++hits[x - 10];
  }
  for (int h : hits) EXPECT_NEAR(h, 1000, 150);  // sd ≈ 27
}

TEST(NetLatency, UniformMeanIsTheMidpoint) {
  const auto v = draw(net::Latency::uniform(1000, 5000), 2, 20000);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 1000);
  EXPECT_LE(*std::max_element(v.begin(), v.end()), 5000);
  EXPECT_NEAR(mean(v), 3000.0, 50.0);  // sd of the mean ≈ 8.2
}

TEST(NetLatency, UniformWithHiBelowLoIsConstantLo) {
  for (auto x : draw(net::Latency::uniform(700, 300), 3, 50)) EXPECT_EQ(x, 700);
}

TEST(NetLatency, LogNormalHasItsFloorMedianAndSpread) {
  const auto v = draw(net::Latency::log_normal(500, 2000, 0.5), 4, 20000);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 500);
  EXPECT_NEAR(fraction_above(v, 500 + 2000), 0.5, 0.015);
  // One sigma up: floor + median · e^0.5 is the 84.13th percentile.
  EXPECT_NEAR(fraction_above(v, 500 + 2000 * 1.6487212707), 0.1587, 0.012);
}

TEST(NetLatency, TailsRespectTheirCap) {
  for (const auto& l : {net::Latency::log_normal(100, 1000, 1.5, 3000), net::Latency::exponential(100, 1000, 3000)}) {
    const auto v = draw(l, 6, 5000);
    EXPECT_LE(*std::max_element(v.begin(), v.end()), 3000);
    EXPECT_GT(std::count(v.begin(), v.end(), 3000), 0);  // the cap is reached, not just respected by luck
  }
}

TEST(NetLatency, ExponentialHasItsFloorAndMean) {
  const auto v = draw(net::Latency::exponential(100, 1000), 7, 20000);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 100);
  EXPECT_NEAR(mean(v) - 100, 1000.0, 30.0);  // sd of the mean ≈ 7
  EXPECT_NEAR(fraction_above(v, 100 + 1000), 0.36788, 0.015);  // P(X > mean) = 1/e
}

TEST(NetLatency, SameSeedSameSamplesDifferentSeedDifferent) {
  const auto l = net::Latency::log_normal(0, 1000, 0.8);
  EXPECT_EQ(draw(l, 11, 500), draw(l, 11, 500));
  EXPECT_NE(draw(l, 11, 500), draw(l, 12, 500));
}
