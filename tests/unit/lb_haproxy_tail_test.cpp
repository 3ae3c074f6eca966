// HAProxy's balance algorithms (simplified, sim/lb/haproxy.h) by their documented
// rules, and the tail-at-scale fan-out (sim/lb/tail_at_scale.h) against its closed
// form 1 − P(leaf fast)^K, with and without hedged requests.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/lb/haproxy.h"
#include "sim/lb/tail_at_scale.h"

namespace scalebook::sim::lb {
namespace {

using Algo = HaproxyBalancer::Algorithm;

TEST(LbHaproxy, RoundRobinTakesTurnsAndHonoursWeights) {
  HaproxyBalancer even({1, 1, 1}, Algo::kRoundRobin);
  std::string s;
  for (int i = 0; i < 6; ++i) s += static_cast<char>('a' + even.pick());
  EXPECT_EQ(s, "abcabc");
  HaproxyBalancer weighted({5, 1, 0, 2}, Algo::kRoundRobin);
  int count[4] = {};
  for (int i = 0; i < 8000; ++i) ++count[weighted.pick()];
  EXPECT_EQ(count[0], 5000);
  EXPECT_EQ(count[1], 1000);
  EXPECT_EQ(count[2], 0) << "weight 0: never";
  EXPECT_EQ(count[3], 2000);
}

TEST(LbHaproxy, LeastConnRoundRobinsWithinEqualLoad) {
  HaproxyBalancer lc({1, 1, 1}, Algo::kLeastConn);
  std::string s;
  for (int i = 0; i < 6; ++i) {
    const int p = lc.pick();
    s += static_cast<char>('a' + p);
    lc.release(p);
  }
  EXPECT_EQ(s, "abcabc");
}

// Weights {2,1} (eweights 32 and 16), connections held. lb_fwlc.c keys a busy server by
// (conns + 1)·4096/eweight and an idle one by 0, whatever its weight: both idle, a
// inserted first → a (a: 256); b idle 0 < 256 → b (b: 512); 256 < 512 → a (a: 384);
// 384 < 512 → a (a: 512); a 512 = b 512, b repositioned earlier → b.
TEST(LbHaproxy, LeastConnWeightedByConnsPlusOneOverWeight) {
  HaproxyBalancer lc({2, 1}, Algo::kLeastConn);
  std::string s;
  for (int i = 0; i < 5; ++i) s += static_cast<char>('a' + lc.pick());
  EXPECT_EQ(s, "abaab");
  EXPECT_EQ(lc.conns(0), 3);
}

TEST(LbHaproxy, RandomTwoDrawsAvoidsTheLoadedServer) {
  HaproxyBalancer r2({1, 1, 1}, Algo::kRandom, 2, 7), r1({1, 1, 1}, Algo::kRandom, 1, 7);
  for (int i = 0; i < 10; ++i) {  // load server 0 with 10 connections
    while (r2.pick() != 0) {}
    while (r1.pick() != 0) {}
  }
  // Release everything on 1 and 2 so only server 0 is loaded.
  for (int s = 1; s <= 2; ++s) {
    while (r2.conns(s) > 0) r2.release(s);
    while (r1.conns(s) > 0) r1.release(s);
  }
  int two = 0, one = 0;
  const int n = 30000;
  for (int i = 0; i < n; ++i) {
    const int a = r2.pick(), b = r1.pick();
    two += a == 0;
    one += b == 0;
    r2.release(a);
    r1.release(b);
  }
  EXPECT_NEAR(one / static_cast<double>(n), 1.0 / 3, 0.015);
  EXPECT_NEAR(two / static_cast<double>(n), 1.0 / 9, 0.01) << "both draws must land on it";
}

ServiceDesc one_percent_take_a_second() {
  ServiceDesc d;
  d.kind = ServiceKind::kBimodal;
  d.mean_us = 1000;
  d.slow_fraction = 0.01;
  d.slow_us = 1e6;
  return d;
}

TEST(LbTailAtScale, FanoutOf100MakesMostRequestsSlow) {
  FanoutDesc d;
  d.leaves = 100;
  d.leaf = one_percent_take_a_second();
  d.requests = 20000;
  const auto r = run_fanout(d);
  const double p_slow = 1 - std::pow(0.99, 100);  // 0.634
  EXPECT_EQ(r.latency_us.quantile(1 - p_slow - 0.02), 1000u);
  EXPECT_EQ(r.latency_us.quantile(1 - p_slow + 0.02), 1000000u);
  EXPECT_EQ(r.hedges, 0u);
  d.leaves = 1;
  EXPECT_EQ(run_fanout(d).latency_us.quantile(0.98), 1000u) << "one leaf: p98 is fast";
}

TEST(LbTailAtScale, HedgingAfterTheLeafTailBuysTheTailForAbout1PercentMoreLoad) {
  FanoutDesc d;
  d.leaves = 100;
  d.leaf = one_percent_take_a_second();
  d.requests = 20000;
  d.hedge_after_us = 2000;
  const auto r = run_fanout(d);
  EXPECT_NEAR(r.extra_load(), 0.01, 0.001);
  // A leaf is slow only if both copies are (1e-4): requests slow with 1 − (1 − 1e-4)^100 ≈ 1 %.
  const auto p97 = r.latency_us.quantile(0.97);
  EXPECT_NEAR(static_cast<double>(p97), 3000.0, 3000.0 * LogHistogram::kRelativeError) << "hedged leaf: 2 ms + 1 ms";
  EXPECT_EQ(r.latency_us.quantile(0.999), 1000000u);
  d.hedge_after_us = 0;
  EXPECT_EQ(run_fanout(d).latency_us.quantile(0.97), 1000000u);
}

}  // namespace
}  // namespace scalebook::sim::lb
