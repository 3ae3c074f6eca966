// Property tests over many seeds: what moves when a node joins or leaves, for
// each strategy, against the ideal K/(N+1); oracles for ring lookups.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/sharding/hash.h"
#include "sim/sharding/metrics.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {
namespace {

// Nodes whose names depend on the seed, so each seed is an independent ring.
std::vector<Node> seeded_nodes(std::uint64_t seed, std::size_t n) {
  std::vector<Node> nodes;
  for (std::size_t i = 0; i < n; ++i) nodes.push_back(Node{.host = "s" + std::to_string(seed) + "-n" + std::to_string(i)});
  return nodes;
}

struct AddResult {
  MoveStats moves;
  std::string new_node;
};

AddResult add_one_node(Strategy strategy, std::uint64_t seed, std::size_t n, std::size_t keys, std::uint32_t vnodes = 160) {
  const Workload w = make_workload({.keys = keys, .seed = seed});
  Sharder s(ShardingDesc{.strategy = strategy, .nodes = seeded_nodes(seed, n), .vnodes = vnodes}, w.keys);
  const auto before = assignment(s, w.keys);
  OperationDesc op{.op = Operation::AddNode, .new_node = Node{.host = "s" + std::to_string(seed) + "-new"}};
  const double ideal = apply_operation(s, op, w);
  const auto after = assignment(s, w.keys);
  return {move_stats(before, after, ideal, op, op.new_node.name()), op.new_node.name()};
}

TEST(ShardingConsistency, AddedNodeReceivesAllMovedKeysRingJumpRendezvousKetama) {
  for (Strategy strategy : {Strategy::Ring, Strategy::Jump, Strategy::Rendezvous, Strategy::Ketama}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      for (std::size_t n : {1u, 2u, 5u, 13u}) {
        const AddResult r = add_one_node(strategy, seed, n, 3000);
        EXPECT_TRUE(r.moves.moves_only_involve_changed_node)
            << strategy_name(strategy) << " seed " << seed << " n " << n;
        EXPECT_GT(r.moves.moved, 0u) << strategy_name(strategy) << " seed " << seed << " n " << n;
      }
    }
  }
}

TEST(ShardingConsistency, RemovedNodeLosesOnlyItsOwnKeys) {
  for (Strategy strategy : {Strategy::Ring, Strategy::Rendezvous, Strategy::Ketama, Strategy::Bounded}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const Workload w = make_workload({.keys = 3000, .seed = seed});
      Sharder s(ShardingDesc{.strategy = strategy, .nodes = seeded_nodes(seed, 8), .epsilon = 10.0}, w.keys);
      const auto before = assignment(s, w.keys);
      const std::string removed = s.nodes()[3].name();
      OperationDesc op{.op = Operation::RemoveNode, .target = 3};
      const double ideal = apply_operation(s, op, w);
      EXPECT_DOUBLE_EQ(ideal, 1.0 / 8);
      const MoveStats m = move_stats(before, assignment(s, w.keys), ideal, op, removed);
      EXPECT_TRUE(m.moves_only_involve_changed_node) << strategy_name(strategy) << " seed " << seed;
      // Exactly the removed node's keys moved.
      EXPECT_EQ(m.moved, static_cast<std::uint64_t>(std::count(before.begin(), before.end(), removed)));
    }
  }
}

TEST(ShardingConsistency, JumpRemovingTheLastBucketMovesOnlyItsKeys) {
  const Workload w = make_workload({.keys = 5000, .seed = 3});
  Sharder s(ShardingDesc{.strategy = Strategy::Jump, .nodes = generated_nodes(10)}, w.keys);
  const auto before = assignment(s, w.keys);
  const std::string last = s.nodes().back().name();
  OperationDesc op{.op = Operation::RemoveNode, .target = 9};
  const MoveStats m = move_stats(before, assignment((apply_operation(s, op, w), s), w.keys), 0.1, op, last);
  EXPECT_TRUE(m.moves_only_involve_changed_node);
}

TEST(ShardingConsistency, MovedFractionIsNearTheIdealOverManySeeds) {
  // Jump and rendezvous: the moved fraction is a binomial sample around 1/(N+1).
  // Ring/ketama: the new node's arc share varies with its points (~1/sqrt(V) relative),
  // so each seed is looser but the mean over seeds converges to the ideal.
  struct Case {
    Strategy strategy;
    double per_seed_rel_tolerance;
    double mean_rel_tolerance;
  };
  for (const Case c : {Case{Strategy::Jump, 0.12, 0.03}, Case{Strategy::Rendezvous, 0.12, 0.03},
                       Case{Strategy::Ring, 0.5, 0.06}, Case{Strategy::Ketama, 0.5, 0.06}}) {
    for (std::size_t n : {4u, 10u, 30u}) {
      double sum = 0.0;
      const int seeds = 20;
      for (int seed = 1; seed <= seeds; ++seed) {
        const AddResult r = add_one_node(c.strategy, static_cast<std::uint64_t>(seed) * 101 + n, n, 10000);
        const double ideal = 1.0 / static_cast<double>(n + 1);
        EXPECT_DOUBLE_EQ(r.moves.ideal_fraction, ideal);
        EXPECT_NEAR(r.moves.moved_fraction, ideal, c.per_seed_rel_tolerance * ideal)
            << strategy_name(c.strategy) << " n " << n << " seed " << seed;
        sum += r.moves.moved_fraction;
      }
      EXPECT_NEAR(sum / seeds, 1.0 / static_cast<double>(n + 1), c.mean_rel_tolerance / static_cast<double>(n + 1))
          << strategy_name(c.strategy) << " n " << n;
    }
  }
}

TEST(ShardingConsistency, ModNMovesAboutNOverNPlusOne) {
  for (std::size_t n : {2u, 5u, 10u, 50u}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const AddResult r = add_one_node(Strategy::ModN, seed, n, 20000);
      const double expected = static_cast<double>(n) / static_cast<double>(n + 1);
      EXPECT_NEAR(r.moves.moved_fraction, expected, 0.015) << "n " << n << " seed " << seed;
      EXPECT_FALSE(r.moves.moves_only_involve_changed_node);  // keys reshuffle between old nodes too
    }
  }
}

TEST(ShardingConsistency, RingLookupEqualsLinearScanOracle) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<Node> nodes = seeded_nodes(seed, 7);
    nodes[2].weight = 3;
    Sharder s(ShardingDesc{.strategy = Strategy::Ring, .nodes = nodes, .vnodes = 50});
    // Oracle: recompute every point independently and scan them all.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> points;
    for (std::uint32_t i = 0; i < nodes.size(); ++i)
      for (std::uint32_t j = 0; j < 50 * nodes[i].weight; ++j)
        points.emplace_back(hash64(nodes[i].name() + "#" + std::to_string(j)), i);
    ASSERT_EQ(points.size(), s.ring().points().size());
    const Workload w = make_workload({.keys = 2000, .seed = seed});
    for (const auto& key : w.keys) {
      const std::uint64_t h = hash64(key);
      std::pair<std::uint64_t, std::uint32_t> best{UINT64_MAX, UINT32_MAX}, lowest{UINT64_MAX, UINT32_MAX};
      for (const auto& p : points) {
        if (p.first >= h && p < best) best = p;
        if (p < lowest) lowest = p;
      }
      const std::uint32_t expected = best.second != UINT32_MAX ? best.second : lowest.second;
      ASSERT_EQ(s.node_for(key), expected) << key;
    }
  }
}

TEST(ShardingConsistency, WeightedSharesFollowWeights) {
  std::vector<Node> nodes = generated_nodes(4);
  nodes[0].weight = 1;
  nodes[1].weight = 2;
  nodes[2].weight = 3;
  nodes[3].weight = 4;
  const Workload w = make_workload({.keys = 100000, .seed = 9});  // K large: sampling error ≪ tolerance
  for (Strategy strategy : {Strategy::ModN, Strategy::Rendezvous, Strategy::Ring, Strategy::Ketama, Strategy::Directory,
                            Strategy::Range, Strategy::Bounded}) {
    Sharder s(ShardingDesc{.strategy = strategy, .nodes = nodes}, w.keys);
    const LoadStats load = load_stats(s, w);
    // Ring-family shares vary with the arcs of 160·w points (≈ 1/sqrt(160·w) relative);
    // the others are exact up to sampling.
    const bool arcs = strategy == Strategy::Ring || strategy == Strategy::Ketama || strategy == Strategy::Bounded;
    for (std::size_t i = 0; i < 4; ++i) {
      const double share = static_cast<double>(load.keys[i]) / 100000.0;
      const double ideal = (i + 1) / 10.0;
      EXPECT_NEAR(share, ideal, (arcs ? 0.3 : 0.05) * ideal) << strategy_name(strategy) << " node " << i;
    }
  }
}

TEST(ShardingConsistency, PreferenceListsHaveDistinctPhysicalNodes) {
  std::vector<Node> nodes = generated_nodes(6);
  const Workload w = make_workload({.keys = 500, .seed = 4});
  for (Strategy strategy : kAllStrategies) {
    Sharder s(ShardingDesc{.strategy = strategy, .nodes = nodes}, w.keys);
    for (const auto& key : w.keys) {
      for (std::uint32_t r : {1u, 3u, 6u, 9u}) {
        auto list = s.preference_list(key, r);
        ASSERT_EQ(list.size(), std::min<std::size_t>(r, 6)) << strategy_name(strategy);
        EXPECT_EQ(list[0], s.node_for(key)) << strategy_name(strategy);
        std::sort(list.begin(), list.end());
        EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end()) << strategy_name(strategy);
      }
    }
  }
}

TEST(ShardingConsistency, RingPreferenceListIsTheClockwiseWalk) {
  Sharder s(ShardingDesc{.strategy = Strategy::Ring, .nodes = generated_nodes(5), .vnodes = 20});
  const auto& pts = s.ring().points();
  for (const std::string key : {"a", "b", "user:42", "cart:7"}) {
    std::vector<std::uint32_t> expected;
    std::size_t i = s.ring().point_index(hash64(key));
    while (expected.size() < 3) {
      if (std::find(expected.begin(), expected.end(), pts[i].node) == expected.end()) expected.push_back(pts[i].node);
      i = (i + 1) % pts.size();
    }
    EXPECT_EQ(s.preference_list(key, 3), expected);
  }
}

}  // namespace
}  // namespace scalebook::sim::sharding
