// Follower graph: determinism, CSR consistency against a brute-force edge set,
// the power-law body, celebrities, and the stated memory budget.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <utility>

#include "sim/fanout/graph.h"

namespace fo = scalebook::sim::fanout;

namespace {
fo::GraphDesc small(std::uint64_t seed) {
  return {.users = 400, .mean_followers = 12, .exponent = 2.25, .celebrities = 2, .celebrity_followers = 300,
          .seed = seed};
}
}  // namespace

TEST(FanoutGraph, SameSeedSameGraphDifferentSeedDifferentGraph) {
  const auto a = fo::FollowerGraph::generate(small(5));
  const auto b = fo::FollowerGraph::generate(small(5));
  const auto c = fo::FollowerGraph::generate(small(6));
  ASSERT_EQ(a.edges(), b.edges());
  bool same_c = a.edges() == c.edges();
  for (std::uint32_t u = 0; u < a.users(); ++u) {
    auto fa = a.followers_of(u), fb = b.followers_of(u);
    ASSERT_TRUE(std::equal(fa.begin(), fa.end(), fb.begin(), fb.end()));
    auto fc = c.followers_of(u);
    same_c = same_c && std::equal(fa.begin(), fa.end(), fc.begin(), fc.end());
  }
  EXPECT_FALSE(same_c);
}

TEST(FanoutGraph, BothDirectionsHoldTheSameEdgeSetWithoutSelfOrDuplicateEdges) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const auto g = fo::FollowerGraph::generate(small(seed));
    std::set<std::pair<std::uint32_t, std::uint32_t>> by_followers, by_followees;  // (follower, followee)
    for (std::uint32_t u = 0; u < g.users(); ++u) {
      for (auto f : g.followers_of(u)) {
        ASSERT_NE(f, u);
        ASSERT_TRUE(by_followers.insert({f, u}).second) << "duplicate edge";
      }
      auto fe = g.followees_of(u);
      ASSERT_TRUE(std::is_sorted(fe.begin(), fe.end()));
      for (auto e : fe) by_followees.insert({u, e});
    }
    EXPECT_EQ(by_followers, by_followees);
    EXPECT_EQ(by_followers.size(), g.edges());
    for (auto [f, e] : by_followers) ASSERT_TRUE(g.follows(f, e));
    EXPECT_FALSE(g.follows(0, 0));
  }
}

TEST(FanoutGraph, CelebritiesHaveExactlyTheirFollowerCount) {
  const auto g = fo::FollowerGraph::generate(small(3));
  EXPECT_EQ(g.follower_count(0), 300u);
  EXPECT_EQ(g.follower_count(1), 300u);
  // A celebrity followed by more than half the graph takes the selection-sampling path.
  fo::GraphDesc d = small(3);
  d.celebrity_followers = 399;  // everyone else
  const auto all = fo::FollowerGraph::generate(d);
  EXPECT_EQ(all.follower_count(0), 399u);
  for (std::uint32_t u = 1; u < all.users(); ++u) EXPECT_TRUE(all.follows(u, 0));
}

TEST(FanoutGraph, BodyMeanMatchesTheTargetAndEdgesAddUp) {
  for (double mean : {1.0, 5.0, 40.0, 100.0}) {
    const auto counts = fo::body_follower_counts(20000, 19999, mean, 2.25);
    double sum = 0;
    for (auto c : counts) sum += c;
    // The bisection picks the smallest x_min whose mean reaches the target: one step above at most.
    EXPECT_GE(sum / counts.size(), mean);
    EXPECT_LT(sum / counts.size(), mean * 1.01 + 0.01);
  }
  fo::GraphDesc d{.users = 10000, .mean_followers = 50, .exponent = 2.25, .celebrities = 0, .celebrity_followers = 1,
                  .seed = 1};
  const auto g = fo::FollowerGraph::generate(d);
  EXPECT_NEAR(static_cast<double>(g.edges()) / d.users, 50.0, 0.5);
}

TEST(FanoutGraph, BodyTailFollowsThePowerLawExponent) {
  // CCDF of a power law with density exponent a: P(X >= x) ∝ x^-(a-1). Fit the
  // log-log slope of the empirical CCDF between 4·x_min and the truncation.
  for (double a : {2.2, 2.3, 2.6}) {
    const std::uint32_t m = 200000;
    auto counts = fo::body_follower_counts(m, 1000000, 20.0, a);  // descending by construction
    ASSERT_TRUE(std::is_sorted(counts.rbegin(), counts.rend()));
    const double x_lo = 100, x_hi = 3000;
    auto ccdf = [&](double x) {
      std::uint32_t k = 0;
      while (k < m && counts[k] >= x) ++k;
      return static_cast<double>(k) / m;
    };
    const double slope = (std::log(ccdf(x_hi)) - std::log(ccdf(x_lo))) / (std::log(x_hi) - std::log(x_lo));
    EXPECT_NEAR(-slope, a - 1.0, 0.05) << "exponent " << a;
  }
}

TEST(FanoutGraph, MemoryIsTheStatedCsrBudget) {
  const auto g = fo::FollowerGraph::generate(small(1));
  // 2 directions × ((users + 1) offsets + edges ids) × 4 bytes.
  EXPECT_EQ(g.memory_bytes(), 4ull * (2 * (g.users() + 1ull) + 2 * g.edges()));
}

// graph.h's stated budget, on a real graph: 10^5 users at mean 100 followers give 10^7
// edges (the stratified sample hits the mean up to rounding), 80.8 MB of CSR arrays.
TEST(FanoutGraph, TenToTheFiveUsersAtMeanHundredAreTenToTheSevenEdgesIn81MB) {
  const auto g = fo::FollowerGraph::generate(
      {.users = 100000, .mean_followers = 100, .exponent = 2.25, .celebrities = 0, .celebrity_followers = 1, .seed = 7});
  EXPECT_NEAR(static_cast<double>(g.edges()), 1e7, 1e4);
  EXPECT_EQ(g.memory_bytes(), 4ull * (2 * (g.users() + 1ull) + 2 * g.edges()));
  EXPECT_NEAR(static_cast<double>(g.memory_bytes()), 80.8e6, 0.1e6);
}

TEST(FanoutGraph, ValidateNamesTheBadField) {
  fo::GraphDesc d = small(1);
  d.celebrity_followers = 400;
  EXPECT_NE(fo::validate(d).find("celebrity_followers"), std::string::npos);
  d = small(1);
  d.exponent = 1.0;
  EXPECT_NE(fo::validate(d).find("exponent"), std::string::npos);
  EXPECT_EQ(fo::validate(small(1)), "");
}
