// sim/sharding/rebalance.h: one membership change under one strategy, before and after.
// Against the published behaviour (ketama adding an 11th server to 10 moves about 1/11 of
// the keys, all to the new server; hash mod N moves about N/(N+1)), against a naive
// recomputation with the Sharder (every count, every sampled key's node, the arcs' owners),
// and its invariants: keys conserved, columns stable across the change, determinism; and
// the column slots and the sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "sim/sharding/metrics.h"
#include "sim/sharding/node.h"
#include "sim/sharding/rebalance.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {
namespace {

std::vector<std::size_t> first_keys(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

RebalanceDesc add_node(Strategy strategy, std::size_t nodes, std::size_t sample = 0) {
  return {.sharding = {.strategy = strategy, .nodes = generated_nodes(nodes)},
          .op = {.op = Operation::AddNode},
          .sample = first_keys(sample)};
}

// --- the published behaviour ---------------------------------------------------------

TEST(ShardingRebalance, KetamaAddingAnEleventhServerToTenMovesAboutOneEleventhAllToIt) {
  double sum = 0;
  const int seeds = 8;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const Workload w = make_workload({.keys = 20000, .seed = seed});
    const Rebalance r = rebalance(add_node(Strategy::Ketama, 10), w);
    EXPECT_EQ(r.nodes_before.size(), 10u);
    EXPECT_EQ(r.nodes_after.size(), 11u);
    EXPECT_DOUBLE_EQ(r.moves.ideal_fraction, 1.0 / 11);
    // 160 points per server: each seed within a few points of 1/11 ≈ 9.1 %.
    EXPECT_NEAR(r.moves.moved_fraction, 1.0 / 11, 0.03) << "seed " << seed;
    EXPECT_TRUE(r.moves.moves_only_involve_changed_node) << "seed " << seed;
    EXPECT_EQ(r.load_after.keys[10], r.moves.moved) << "every moved key went to the new server";
    sum += r.moves.moved_fraction;
  }
  EXPECT_NEAR(sum / seeds, 1.0 / 11, 0.01);
}

TEST(ShardingRebalance, HashModNMovesNearlyEveryKey) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const Workload w = make_workload({.keys = 20000, .seed = seed});
    const Rebalance r = rebalance(add_node(Strategy::ModN, 10), w);
    EXPECT_NEAR(r.moves.moved_fraction, 10.0 / 11, 0.02) << "seed " << seed;
    EXPECT_FALSE(r.moves.moves_only_involve_changed_node);
    // And the consistent strategies, on the same keys, move about a tenth as many.
    for (Strategy s : {Strategy::Ring, Strategy::Jump, Strategy::Rendezvous, Strategy::Maglev}) {
      const Rebalance c = rebalance(add_node(s, 10), w);
      EXPECT_LT(c.moves.moved * 5, r.moves.moved) << strategy_name(s);
      EXPECT_NEAR(c.moves.moved_fraction, 1.0 / 11, s == Strategy::Ring ? 0.04 : 0.02) << strategy_name(s);
    }
  }
}

TEST(ShardingRebalance, RemovingANodeMovesExactlyItsKeys) {
  const Workload w = make_workload({.keys = 10000, .seed = 3});
  for (Strategy s : {Strategy::Ring, Strategy::Ketama, Strategy::Rendezvous, Strategy::Jump, Strategy::Maglev}) {
    // Jump can only remove the last bucket without renumbering the others.
    const std::uint32_t target = s == Strategy::Jump ? 7 : 3;
    const Rebalance r = rebalance({.sharding = {.strategy = s, .nodes = generated_nodes(8)},
                                   .op = {.op = Operation::RemoveNode, .target = target}},
                                  w);
    EXPECT_EQ(r.changed_node, r.nodes_before[target].name());
    EXPECT_EQ(r.changed_column, target);
    EXPECT_EQ(r.node_after[target], kNoColumn) << "its column is empty after";
    EXPECT_DOUBLE_EQ(r.moves.ideal_fraction, 1.0 / 8);
    if (s == Strategy::Maglev) {  // Maglev trades a little extra disruption for its even table
      EXPECT_GE(r.moves.moved, r.load_before.keys[target]);
      EXPECT_LT(r.moves.moved, r.load_before.keys[target] * 13 / 10);
      continue;
    }
    EXPECT_EQ(r.moves.moved, r.load_before.keys[target]) << strategy_name(s);
    EXPECT_TRUE(r.moves.moves_only_involve_changed_node) << strategy_name(s);
  }
}

// --- against a naive recomputation ---------------------------------------------------

std::vector<RebalanceDesc> every_case() {
  std::vector<RebalanceDesc> out;
  std::string error;
  const std::vector<Node> listed = parse_node_list("10.0.0.1:11211,10.0.0.2:11211:2,10.0.0.3:11300", error);
  EXPECT_EQ(error, "");
  for (Strategy s : kAllStrategies) {
    for (Operation op : {Operation::None, Operation::AddNode, Operation::RemoveNode, Operation::SetWeight}) {
      RebalanceDesc d{.sharding = {.strategy = s, .nodes = generated_nodes(6), .vnodes = 40, .table_size = 251},
                      .op = {.op = op, .target = 2, .new_weight = op == Operation::SetWeight ? 3u : 1u},
                      .sample = first_keys(300)};
      out.push_back(d);
      d.sharding.nodes = listed;
      d.op.target = 1;
      out.push_back(d);
    }
  }
  out.push_back({.sharding = {.strategy = Strategy::Range, .nodes = generated_nodes(4)},
                 .op = {.op = Operation::SplitHotRange},
                 .sample = first_keys(300)});
  return out;
}

TEST(ShardingRebalance, EveryCountAndEverySampledKeyMatchesTheShardersOwnAnswer) {
  const Workload w = make_workload({.keys = 4000, .skew = 1.1, .hot_range = true, .seed = 5});
  for (const RebalanceDesc& d : every_case()) {
    SCOPED_TRACE(std::string(strategy_name(d.sharding.strategy)) + " " + std::string(operation_name(d.op.op)) + " " +
                 std::to_string(d.sharding.nodes.size()) + " nodes");
    const Rebalance r = rebalance(d, w);
    // The naive run: place, change, place again.
    Sharder s(d.sharding, w.keys);
    const auto before = assignment(s, w.keys);
    std::vector<std::uint32_t> from;
    for (std::size_t k : d.sample) from.push_back(s.node_for(w.keys[k]));
    bool split = false;
    if (d.op.op == Operation::SplitHotRange)
      split = s.split_hot_range(w.popularity);
    else
      apply_operation(s, d.op, w);
    const auto after = assignment(s, w.keys);
    std::uint64_t moved = 0;
    for (std::size_t i = 0; i < before.size(); ++i) moved += before[i] != after[i];
    EXPECT_EQ(r.moves.moved, moved);
    EXPECT_EQ(r.moves.keys, w.keys.size());
    EXPECT_EQ(r.split, split);
    EXPECT_EQ(r.nodes_after.size(), s.nodes().size());
    // Keys conserved, before and after.
    EXPECT_EQ(std::accumulate(r.load_before.keys.begin(), r.load_before.keys.end(), std::uint64_t{0}), w.keys.size());
    EXPECT_EQ(std::accumulate(r.load_after.keys.begin(), r.load_after.keys.end(), std::uint64_t{0}), w.keys.size());
    // Columns: the nodes before in order, then the ones that joined; each node keeps its column.
    ASSERT_EQ(r.node_before.size(), r.columns.size());
    ASSERT_EQ(r.node_after.size(), r.columns.size());
    for (std::size_t i = 0; i < r.nodes_before.size(); ++i) EXPECT_EQ(r.columns[i], r.nodes_before[i].name());
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      if (r.node_before[c] != kNoColumn) { EXPECT_EQ(r.nodes_before[r.node_before[c]].name(), r.columns[c]); }
      if (r.node_after[c] != kNoColumn) { EXPECT_EQ(r.nodes_after[r.node_after[c]].name(), r.columns[c]); }
      EXPECT_TRUE(r.node_before[c] != kNoColumn || r.node_after[c] != kNoColumn);
    }
    if (!r.changed_node.empty()) { EXPECT_EQ(r.columns.at(r.changed_column), r.changed_node); }
    // The sample: its node before and after, by column.
    ASSERT_EQ(r.from.size(), d.sample.size());
    for (std::size_t k = 0; k < d.sample.size(); ++k) {
      EXPECT_EQ(r.from[k], from[k]);
      EXPECT_EQ(r.columns[r.to[k]], s.nodes()[s.node_for(w.keys[d.sample[k]])].name());
      EXPECT_EQ(r.from[k] != r.to[k], before[d.sample[k]] != after[d.sample[k]]);
    }
    if (d.op.op == Operation::None) {
      EXPECT_EQ(r.moves.moved, 0u);
      EXPECT_EQ(r.load_after.keys, r.load_before.keys);
    }
  }
}

// The arcs tile the circle, and the arc a sampled key falls in is its node's (ring family).
TEST(ShardingRebalance, ArcsTileTheCircleAndOwnTheKeysInThem) {
  const Workload w = make_workload({.keys = 3000, .seed = 2});
  for (Strategy s : {Strategy::Ring, Strategy::Ketama}) {
    for (Operation op : {Operation::AddNode, Operation::RemoveNode}) {
      const Rebalance r = rebalance({.sharding = {.strategy = s, .nodes = generated_nodes(5), .vnodes = 8},
                                     .op = {.op = op, .target = 1},
                                     .sample = first_keys(1000)},
                                    w);
      for (const auto* arcs : {&r.arcs_before, &r.arcs_after}) {
        ASSERT_FALSE(arcs->empty());
        EXPECT_EQ(arcs->front().u0, 0.0);
        EXPECT_EQ(arcs->back().u1, 1.0);
        for (std::size_t i = 0; i < arcs->size(); ++i) {
          EXPECT_LE((*arcs)[i].u0, (*arcs)[i].u1);
          if (i) {
            EXPECT_EQ((*arcs)[i].u0, (*arcs)[i - 1].u1);
            EXPECT_NE((*arcs)[i].column, (*arcs)[i - 1].column) << "neighbouring arcs of one node are merged";
          }
        }
      }
      for (std::size_t k = 0; k < r.from.size(); ++k) {
        const double u = r.position[k];
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        auto owner = [u](const std::vector<CircleArc>& arcs) {
          for (const CircleArc& a : arcs)
            if (u > a.u0 && u <= a.u1) return a.column;
          return arcs.front().column;  // exactly 0: the first point's owner (the wrap)
        };
        EXPECT_EQ(owner(r.arcs_before), r.from[k]) << strategy_name(s) << " key " << k;
        EXPECT_EQ(owner(r.arcs_after), r.to[k]) << strategy_name(s) << " key " << k;
      }
    }
  }
}

TEST(ShardingRebalance, ArcsOnlyForTheRingFamilyAndWithinTheLimits) {
  const Workload w = make_workload({.keys = 500, .seed = 1});
  for (Strategy s : {Strategy::ModN, Strategy::Jump, Strategy::Rendezvous, Strategy::Maglev, Strategy::Range,
                     Strategy::Directory})
    EXPECT_TRUE(rebalance(add_node(s, 4), w).arcs_before.empty()) << strategy_name(s);
  EXPECT_FALSE(rebalance(add_node(Strategy::Bounded, 4), w).arcs_after.empty());
  RebalanceDesc d = add_node(Strategy::Ring, 20);  // 20 × 160 points, far more than 100 arcs
  d.max_arcs = 100;
  EXPECT_TRUE(rebalance(d, w).arcs_before.empty());
  d.max_arcs = 4000;
  d.max_circle_points = 1000;
  EXPECT_TRUE(rebalance(d, w).arcs_before.empty());
  const Rebalance k = rebalance(add_node(Strategy::Ketama, 4), w);
  EXPECT_EQ(k.ketama_points_before, 4u * 160u);
  EXPECT_EQ(k.ketama_points_after, 5u * 160u);
}

TEST(ShardingRebalance, DeterministicAndIndependentOfTheSample) {
  const Workload w = make_workload({.keys = 5000, .skew = 0.9, .seed = 11});
  for (Strategy s : {Strategy::Ring, Strategy::Bounded, Strategy::Range, Strategy::Directory}) {
    RebalanceDesc d = add_node(s, 7, 200);
    const Rebalance a = rebalance(d, w), b = rebalance(d, w);
    EXPECT_EQ(a.moves.moved, b.moves.moved);
    EXPECT_EQ(a.load_after.keys, b.load_after.keys);
    EXPECT_EQ(a.load_after.request_share, b.load_after.request_share);
    EXPECT_EQ(a.from, b.from);
    EXPECT_EQ(a.to, b.to);
    EXPECT_EQ(a.position, b.position);
    d.sample.clear();
    const Rebalance c = rebalance(d, w);
    EXPECT_EQ(c.moves.moved, a.moves.moved);
    EXPECT_EQ(c.load_before.keys, a.load_before.keys);
    EXPECT_TRUE(c.from.empty());
  }
}

// --- column slots and the sample -----------------------------------------------------

TEST(ShardingRebalance, ColumnSlotsKeepStayersInPlaceAndStackMoversOnTop) {
  const Workload w = make_workload({.keys = 3000, .seed = 4});
  for (Strategy s : {Strategy::ModN, Strategy::Ring, Strategy::Jump}) {
    for (Operation op : {Operation::AddNode, Operation::RemoveNode}) {
      const Rebalance r = rebalance({.sharding = {.strategy = s, .nodes = generated_nodes(5)},
                                     .op = {.op = op, .target = 0},
                                     .sample = first_keys(1200)},
                                    w);
      const std::size_t cols = r.columns.size();
      const ColumnSlots c = column_slots(r.from, r.to, cols);
      EXPECT_EQ(c.moved, r.sample_moved());
      std::vector<std::set<std::uint32_t>> before(cols), after(cols);
      std::vector<std::uint32_t> stayers(cols, 0);
      for (std::size_t k = 0; k < r.from.size(); ++k) stayers[r.from[k]] += r.from[k] == r.to[k];
      for (std::size_t k = 0; k < r.from.size(); ++k) {
        EXPECT_TRUE(before[r.from[k]].insert(c.slot_from[k]).second) << "two keys in one slot";
        EXPECT_TRUE(after[r.to[k]].insert(c.slot_to[k]).second) << "two keys in one slot";
        if (r.from[k] == r.to[k]) {
          EXPECT_EQ(c.slot_from[k], c.slot_to[k]) << "a key that stays does not move";
          EXPECT_LT(c.slot_from[k], stayers[r.from[k]]);
          EXPECT_EQ(c.leave_rank[k], 0.0f);
        } else {
          EXPECT_GE(c.slot_from[k], stayers[r.from[k]]) << "leavers sit above the stayers";
          EXPECT_GE(c.slot_to[k], stayers[r.to[k]]) << "arrivals land above the stayers";
          EXPECT_GE(c.leave_rank[k], 0.0f);
          EXPECT_LE(c.leave_rank[k], 1.0f);
          if (c.slot_from[k] + 1 == c.count_before[r.from[k]] && c.count_before[r.from[k]] > 1) {
            EXPECT_EQ(c.leave_rank[k], 0.0f) << "the top of a column leaves first";
          }
        }
      }
      std::uint32_t tallest = 1;
      for (std::size_t col = 0; col < cols; ++col) {
        EXPECT_EQ(before[col].size(), c.count_before[col]);
        EXPECT_EQ(after[col].size(), c.count_after[col]);
        if (!before[col].empty()) { EXPECT_EQ(*before[col].rbegin() + 1, c.count_before[col]) << "slots 0…n-1"; }
        if (!after[col].empty()) { EXPECT_EQ(*after[col].rbegin() + 1, c.count_after[col]) << "slots 0…n-1"; }
        tallest = std::max({tallest, c.count_before[col], c.count_after[col]});
      }
      EXPECT_EQ(c.max_count, tallest);
    }
  }
}

TEST(ShardingRebalance, SampleTakesTheHottestKeysFirstThenWorkloadOrder) {
  const Workload w = make_workload({.keys = 2000, .skew = 1.2, .seed = 9});
  const auto sample = sample_keys(w, 500, 3);
  ASSERT_EQ(sample.size(), 500u);
  std::vector<std::size_t> by_heat(w.keys.size());
  std::iota(by_heat.begin(), by_heat.end(), std::size_t{0});
  std::stable_sort(by_heat.begin(), by_heat.end(),
                   [&](std::size_t a, std::size_t b) { return w.popularity[a] > w.popularity[b]; });
  EXPECT_EQ(std::vector<std::size_t>(sample.begin(), sample.begin() + 3),
            std::vector<std::size_t>(by_heat.begin(), by_heat.begin() + 3));
  EXPECT_EQ(std::set<std::size_t>(sample.begin(), sample.end()).size(), sample.size()) << "distinct";
  EXPECT_TRUE(std::is_sorted(sample.begin() + 3, sample.end()));
  EXPECT_EQ(sample_keys(w, 500, 0), first_keys(500));
  EXPECT_EQ(sample_keys(make_workload({.keys = 2, .seed = 1}), 500, 3).size(), 2u);
}

}  // namespace
}  // namespace scalebook::sim::sharding
