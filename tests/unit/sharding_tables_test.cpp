// Maglev, bounded loads, directory and range partitioning: invariants and oracles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/sharding/hash.h"
#include "sim/sharding/metrics.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {
namespace {

// Maglev's Pseudocode 1 with the permutation table materialised, as in the paper.
std::vector<int> maglev_oracle(const std::vector<Node>& nodes, std::uint64_t m) {
  const std::size_t n = nodes.size();
  std::vector<std::vector<std::uint64_t>> permutation(n, std::vector<std::uint64_t>(m));
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t offset = hash64(nodes[i].name(), 0x4D41'474C'4556ull) % m;
    const std::uint64_t skip = hash64(nodes[i].name(), 0x534B'4950ull) % (m - 1) + 1;
    for (std::uint64_t j = 0; j < m; ++j) permutation[i][j] = (offset + j * skip) % m;
  }
  std::vector<std::uint64_t> next(n, 0);
  std::vector<int> entry(m, -1);
  std::uint64_t filled = 0;
  while (true) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t c = permutation[i][next[i]];
      while (entry[c] >= 0) {
        next[i] = next[i] + 1;
        c = permutation[i][next[i]];
      }
      entry[c] = static_cast<int>(i);
      next[i] = next[i] + 1;
      filled = filled + 1;
      if (filled == m) return entry;
    }
  }
}

TEST(ShardingMaglev, TableEqualsPaperPseudocode) {
  for (std::uint64_t m : {7u, 251u, 1009u, 65537u}) {
    for (std::size_t n : {1u, 3u, 7u}) {
      if (n > m) continue;
      const auto nodes = generated_nodes(n);
      MaglevTable t;
      t.build(nodes, static_cast<std::uint32_t>(m));
      const auto oracle = maglev_oracle(nodes, m);
      ASSERT_EQ(t.entries().size(), m);
      for (std::uint64_t e = 0; e < m; ++e) ASSERT_EQ(static_cast<int>(t.entries()[e]), oracle[e]) << "m " << m << " e " << e;
    }
  }
}

TEST(ShardingMaglev, FullFillWithNearEqualShares) {
  for (std::size_t n : {1u, 2u, 10u, 100u, 1000u}) {
    MaglevTable t;
    t.build(generated_nodes(n), 65537);
    std::vector<std::uint64_t> count(n, 0);
    for (auto e : t.entries()) {
      ASSERT_LT(e, n);
      ++count[e];
    }
    const auto [lo, hi] = std::minmax_element(count.begin(), count.end());
    EXPECT_LE(*hi - *lo, 1u) << "n " << n;  // nodes take turns: ⌊M/N⌋ or ⌈M/N⌉ entries each
  }
}

TEST(ShardingMaglev, RemovingANodeDisruptsFewOtherEntries) {
  for (std::size_t n : {10u, 100u}) {
    std::vector<Node> nodes = generated_nodes(n);
    MaglevTable before, after;
    before.build(nodes, 65537);
    const std::string removed = nodes[n / 2].name();
    nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(n / 2));
    after.build(nodes, 65537);
    std::size_t changed_other = 0, survivors = 0;
    for (std::size_t e = 0; e < 65537; ++e) {
      const std::uint32_t b = before.entries()[e];
      if (b == n / 2) continue;  // the removed node's entries must change
      ++survivors;
      const std::string before_name = generated_node(b).name();
      if (before_name != nodes[after.entries()[e]].name()) ++changed_other;
    }
    // The paper (§5.3, Figure 12) reports a few percent at most; ring-like schemes change none.
    EXPECT_LT(static_cast<double>(changed_other) / static_cast<double>(survivors), 0.03) << "n " << n;
    EXPECT_GT(changed_other, 0u) << "Maglev trades a little disruption for perfect balance";
  }
}

TEST(ShardingBounded, LoadsNeverExceedTheCapacity) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    for (double eps : {0.0, 0.05, 0.25, 1.0}) {
      for (std::size_t n : {3u, 10u, 37u}) {
        const std::size_t keys = 1000 + seed * 97;
        const Workload w = make_workload({.keys = keys, .seed = seed});
        Sharder s(ShardingDesc{.strategy = Strategy::Bounded, .nodes = generated_nodes(n), .vnodes = 40, .epsilon = eps},
                  w.keys);
        auto check = [&](const char* when) {
          const double mean = static_cast<double>(keys) / static_cast<double>(s.nodes().size());
          const auto cap = static_cast<std::uint64_t>(std::ceil((1.0 + eps) * mean - 1e-9));
          const LoadStats load = load_stats(s, w);
          for (std::size_t i = 0; i < s.nodes().size(); ++i)
            ASSERT_LE(load.keys[i], cap) << when << " seed " << seed << " eps " << eps << " n " << n;
          std::uint64_t total = 0;
          for (auto k : load.keys) total += k;
          ASSERT_EQ(total, keys);
        };
        check("initial");
        apply_operation(s, {.op = Operation::AddNode}, w);
        check("after add");
        apply_operation(s, {.op = Operation::RemoveNode, .target = 0}, w);
        check("after remove");
      }
    }
  }
}

TEST(ShardingBounded, BoundedLoadsBalanceBetterThanThePlainRing) {
  const Workload w = make_workload({.keys = 20000, .seed = 5});
  Sharder ring(ShardingDesc{.strategy = Strategy::Ring, .nodes = generated_nodes(10), .vnodes = 10}, w.keys);
  Sharder bounded(ShardingDesc{.strategy = Strategy::Bounded, .nodes = generated_nodes(10), .vnodes = 10, .epsilon = 0.1},
                  w.keys);
  const LoadStats a = load_stats(ring, w), b = load_stats(bounded, w);
  EXPECT_GT(a.keys_max_over_mean, 1.1);
  EXPECT_LE(b.keys_max_over_mean, 1.1 + 1e-9);
  // Keys that fit stay where the ring puts them: only overflow is displaced.
  std::size_t same = 0;
  for (const auto& k : w.keys) same += ring.node_for(k) == bounded.node_for(k);
  EXPECT_GT(same, w.keys.size() / 2);
}

TEST(ShardingDirectory, AddNodeMovesTheMinimumToReachFairShares) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Workload w = make_workload({.keys = 1000 + seed, .seed = seed});
    Sharder s(ShardingDesc{.strategy = Strategy::Directory, .nodes = generated_nodes(4)}, w.keys);
    const auto before = assignment(s, w.keys);
    OperationDesc op{.op = Operation::AddNode};
    const double ideal = apply_operation(s, op, w);
    const MoveStats m = move_stats(before, assignment(s, w.keys), ideal, op, s.nodes().back().name());
    const LoadStats load = load_stats(s, w);
    EXPECT_TRUE(m.moves_only_involve_changed_node);
    EXPECT_EQ(m.moved, load.keys[4]);                   // every move filled the new node
    EXPECT_EQ(m.moved, (1000 + seed) / 5);              // …up to its fair share, and no further
    const auto [lo, hi] = std::minmax_element(load.keys.begin(), load.keys.end());
    EXPECT_LE(*hi - *lo, 1u);
  }
}

TEST(ShardingRange, HotRangeSplitLowersTheHottestNode) {
  const Workload w = make_workload({.keys = 5000, .skew = 1.1, .hot_range = true, .seed = 2});
  Sharder s(ShardingDesc{.strategy = Strategy::Range, .nodes = generated_nodes(5)}, w.keys);
  const LoadStats before = load_stats(s, w);
  EXPECT_GT(before.requests_max_over_mean, 3.0);  // the hot keys are adjacent: one range takes most requests
  double max_before = before.requests_max_over_mean;
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(s.split_hot_range(w.popularity));
  const LoadStats after = load_stats(s, w);
  EXPECT_LT(after.requests_max_over_mean, max_before);
  // Every key is still owned, and ranges are ordered.
  const auto& starts = s.ranges().starts();
  EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
  EXPECT_EQ(std::adjacent_find(starts.begin(), starts.end()), starts.end());
}

TEST(ShardingRange, ASingleHotKeyCannotBeSplit) {
  Sharder s(ShardingDesc{.strategy = Strategy::Range, .nodes = generated_nodes(2)}, {"a", "b"});
  // One key per range: the hottest range holds one key and cannot be split.
  EXPECT_FALSE(s.split_hot_range({0.9, 0.1}));
}

TEST(ShardingRange, AddNodeSplitsTheLargestRangeAndMovesOnlyToTheNewNode) {
  const Workload w = make_workload({.keys = 4000, .seed = 8});
  Sharder s(ShardingDesc{.strategy = Strategy::Range, .nodes = generated_nodes(4)}, w.keys);
  const auto before = assignment(s, w.keys);
  OperationDesc op{.op = Operation::AddNode};
  apply_operation(s, op, w);
  const MoveStats m = move_stats(before, assignment(s, w.keys), 0.2, op, s.nodes().back().name());
  EXPECT_TRUE(m.moves_only_involve_changed_node);
  EXPECT_EQ(m.moved, 500u);  // half of one 1000-key range
}

TEST(ShardingWorkload, ZipfPopularityIsNormalisedAndDeterministic) {
  const Workload a = make_workload({.keys = 1000, .skew = 1.0, .seed = 3});
  const Workload b = make_workload({.keys = 1000, .skew = 1.0, .seed = 3});
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.popularity, b.popularity);
  double sum = 0.0;
  for (double p : a.popularity) sum += p;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(a.popularity[0] / a.popularity[1], 2.0, 1e-9);  // P(1)/P(2) = 2^s
}

TEST(ShardingMetrics, PerfectBalanceHasZeroSpread) {
  std::vector<std::string> keys;
  for (int i = 0; i < 8; ++i) keys.push_back(std::to_string(i));
  Sharder s(ShardingDesc{.strategy = Strategy::Directory, .nodes = generated_nodes(4)}, keys);
  Workload w{keys, std::vector<double>(8, 1.0 / 8)};
  const LoadStats load = load_stats(s, w);
  EXPECT_DOUBLE_EQ(load.keys_max_over_mean, 1.0);
  EXPECT_DOUBLE_EQ(load.keys_cv, 0.0);
  EXPECT_DOUBLE_EQ(load.requests_cv, 0.0);
}

}  // namespace
}  // namespace scalebook::sim::sharding
