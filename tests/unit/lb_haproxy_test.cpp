// sim/lb/haproxy.h without a live haproxy: HAProxy's own reg-test for roundrobin
// (reg-tests/balance/balance-rr.vtc, 2.6), full cycles that the live oracle
// (lb_haproxy_oracle_test.cpp) confirmed against haproxy 2.6.12, long-run shares,
// weight 0, and leastconn's keys worked by hand from lb_fwlc.c.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/lb/haproxy.h"

namespace scalebook::sim::lb {
namespace {

using Algo = HaproxyBalancer::Algorithm;

// n picks, each connection ended before the next pick; servers as letters.
std::string sequence(HaproxyBalancer& b, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    const int p = b.pick();
    s += p < 0 ? '-' : static_cast<char>('a' + p);
    b.release(p);
  }
  return s;
}

std::string sequence(const std::vector<int>& weights, Algo algo, int n) {
  HaproxyBalancer b(weights, algo);
  return sequence(b, n);
}

// reg-tests/balance/balance-rr.vtc: four equal servers, five clients one after
// the other: srv1, srv2, srv3, srv4, srv1.
TEST(LbHaproxyRoundRobin, RegTestBalanceRr) { EXPECT_EQ(sequence({1, 1, 1, 1}, Algo::kRoundRobin, 5), "abcda"); }

// One full cycle (the total weight) in full. fwrr starts every server from the
// "init" tree heaviest first, then places each at next_weight/eweight steps:
// the heavy server is picked in runs, not interleaved as nginx's smooth WRR
// ("aabacaa") would.
TEST(LbHaproxyRoundRobin, FullCycles) {
  EXPECT_EQ(sequence({5, 1, 1}, Algo::kRoundRobin, 7), "aaabaac");
  EXPECT_EQ(sequence({3, 2, 1}, Algo::kRoundRobin, 6), "abacab");
  EXPECT_EQ(sequence({10, 7, 3, 1}, Algo::kRoundRobin, 21), "abacababadbacababacab");
  EXPECT_EQ(sequence({1, 2, 3, 4, 5}, Algo::kRoundRobin, 15), "edcedbecdeaecdb") << "heaviest first, not config order";
  EXPECT_EQ(sequence({7, 5, 3, 2, 1, 1, 1, 1}, Algo::kRoundRobin, 21), "abcadbaefacbabdacbagh");
}

// With static weights the cycle repeats exactly, so every window of one total
// weight holds each server exactly weight times, and at every prefix each
// server is within one pick of its exact share (a little more for 256 vs 1).
TEST(LbHaproxyRoundRobin, ExactSharesOverALongRun) {
  const std::vector<std::vector<int>> cases = {{5, 1, 1}, {3, 2, 1}, {10, 7, 3, 1}, {1, 2, 3, 4, 5},
                                               {100, 1},  {256, 1, 13, 7, 2, 1, 1}};
  for (const auto& w : cases) {
    int total = 0;
    for (int x : w) total += x;
    HaproxyBalancer b(w, Algo::kRoundRobin);
    std::vector<long> count(w.size(), 0);
    double worst = 0;
    const int cycles = 50;
    for (int i = 1; i <= cycles * total; ++i) {
      ++count[static_cast<std::size_t>(b.pick())];
      for (std::size_t k = 0; k < w.size(); ++k)
        worst = std::max(worst, std::fabs(static_cast<double>(count[k]) - static_cast<double>(w[k]) * i / total));
      if (i % total == 0) {
        for (std::size_t k = 0; k < w.size(); ++k) ASSERT_EQ(count[k], static_cast<long>(w[k]) * (i / total));
      }
    }
    EXPECT_LE(worst, total > 200 ? 2.5 : 1.0) << "weights starting " << w[0] << ", total " << total;
  }
}

TEST(LbHaproxyRoundRobin, WeightZeroIsNeverPicked) {
  const std::string s = sequence({2, 0, 1, 0}, Algo::kRoundRobin, 300);
  EXPECT_EQ(s.find('b'), std::string::npos);
  EXPECT_EQ(s.find('d'), std::string::npos);
  EXPECT_EQ(s.substr(0, 6), "aacaac");
  EXPECT_EQ(sequence({0, 0}, Algo::kRoundRobin, 3), "---") << "no usable server";
}

// HAProxy's parser rejects weights above 256; the model clamps them.
TEST(LbHaproxyRoundRobin, WeightsAboveTheMaximumAreClamped) {
  EXPECT_EQ(sequence({300, 1}, Algo::kRoundRobin, 600), sequence({256, 1}, Algo::kRoundRobin, 600));
}

// Connections do not change roundrobin's picks.
TEST(LbHaproxyRoundRobin, HeldConnectionsDoNotMatter) {
  HaproxyBalancer held({3, 2, 1}, Algo::kRoundRobin);
  std::string s;
  for (int i = 0; i < 12; ++i) s += static_cast<char>('a' + held.pick());
  EXPECT_EQ(s, sequence({3, 2, 1}, Algo::kRoundRobin, 12));
  EXPECT_EQ(held.conns(0), 6);
}

// The trees are held by index, so a copy carries on exactly like the original.
TEST(LbHaproxyRoundRobin, ACopyContinuesIdentically) {
  HaproxyBalancer a({10, 7, 3, 1}, Algo::kRoundRobin);
  (void)sequence(a, 9);
  HaproxyBalancer b = a;
  EXPECT_EQ(sequence(a, 50), sequence(b, 50));
}

// lb_fwlc.c keys an idle server 0 whatever its weight, so with connections
// that end before the next request, leastconn rotates in configuration order
// (each released server re-enters behind the other idle ones).
TEST(LbHaproxyLeastConn, SequentialRequestsRotateWhateverTheWeights) {
  EXPECT_EQ(sequence({5, 1, 1}, Algo::kLeastConn, 9), "abcabcabc");
  EXPECT_EQ(sequence({1, 3}, Algo::kLeastConn, 4), "abab");
}

// Held connections, keys (n + 1)·4096/eweight for n > 0, eweight = 16·w. {3,1}:
// a, b idle (0, 0) → a (a: 2·4096/48 = 170); b 0 → b (b: 512); a 170 → a (256);
// a → a (341); a → a (426); a → a (512); a 512 = b 512 and b was re-inserted
// first → b (1024); a 512 → a.
TEST(LbHaproxyLeastConn, HeldConnectionsWeightedKeys) {
  HaproxyBalancer lc({3, 1}, Algo::kLeastConn);
  std::string s;
  for (int i = 0; i < 8; ++i) s += static_cast<char>('a' + lc.pick());
  EXPECT_EQ(s, "abaaaaba");
  EXPECT_EQ(lc.conns(0), 6);
  EXPECT_EQ(lc.conns(1), 2);
}

// A release moves the server to its new key, behind servers already there.
TEST(LbHaproxyLeastConn, ReleaseRepositionsBehindEqualKeys) {
  HaproxyBalancer lc({1, 1, 1}, Algo::kLeastConn);
  EXPECT_EQ(lc.pick(), 0);
  EXPECT_EQ(lc.pick(), 1);
  EXPECT_EQ(lc.pick(), 2);  // all at 1 connection, tree order a, b, c
  lc.release(1);            // b back to key 0: alone there
  EXPECT_EQ(lc.pick(), 1);  // b: 1 connection again, now behind a and c
  lc.release(2);
  lc.release(0);            // c then a at key 0
  EXPECT_EQ(lc.pick(), 2);
  EXPECT_EQ(lc.pick(), 0);
  EXPECT_EQ(lc.pick(), 1) << "all at 1 again: b has waited longest at that key";
}

TEST(LbHaproxyLeastConn, WeightZeroIsNeverPicked) {
  HaproxyBalancer lc({2, 0, 1}, Algo::kLeastConn);
  for (int i = 0; i < 100; ++i) EXPECT_NE(lc.pick(), 1);
  EXPECT_EQ(lc.conns(1), 0);
  lc.release(1);  // nothing to release: ignored
  EXPECT_EQ(lc.conns(1), 0);
  EXPECT_EQ(sequence({0}, Algo::kLeastConn, 2), "--");
}

}  // namespace
}  // namespace scalebook::sim::lb
