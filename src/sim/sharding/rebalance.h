// rebalance.h — one membership change under one strategy, before and after, on one key
// set: what the sharding widget shows and `scalebook sim sharding --json` measures.
//
// What it models: the cluster of `RebalanceDesc::sharding` places the workload's keys
// (Sharder); then one operation — add a node, remove one, re-weight one, or (range
// only) split the hottest range — and the keys are placed again. Reported: the nodes
// before and after, each node's load (keys, request share) before and after, how many
// keys changed node against the ideal for the operation (metrics.h), and for a sample of
// the keys — the few a picture can follow one by one — their node before and after and
// their position on the hash circle; for the ring family the circle's arcs (which node
// owns which stretch of it) before and after.
//
// Columns: every node that exists before or after gets one column, in a fixed order:
// the nodes before (their index), then the nodes that joined (in order). A node keeps
// its column across the operation, so "moved from column a to column b" is a move
// between two named nodes; a removed node's column is empty after, a new node's before.
//
// column_slots() lays the sampled keys out as stacks, one per column, so that a key
// that stays keeps its place: stayers at the bottom (the same slot before and after),
// leavers on top of them grouped by destination, arrivals on top of the stayers grouped
// by source; movers leave from the top down (leave_rank).
//
// sample_keys() picks the sample: the `hot` most requested keys (ties: lower index),
// then the keys in workload order, `max` in all.
//
// Invariants: keys are conserved (every key has one node before and one after; per-node
// key counts sum to the key count both times); moved = keys whose node name changed;
// the result is a pure function of the desc and the workload (no randomness here: the
// workload carries the seed). Not modelled: data transfer (bytes, time), replication,
// concurrent changes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sharding/metrics.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {

inline constexpr std::uint32_t kNoColumn = 0xFFFFFFFFu;

// A run of consecutive circle points owned by one node: keys hashing into (u0, u1] go to
// it. Positions are fractions of the circle, clockwise from the top: the first arc starts
// at exactly 0 and the last ends at exactly 1 (the wrap belongs to the first point's owner).
struct CircleArc {
  double u0 = 0, u1 = 0;
  std::uint32_t column = kNoColumn;
};

struct RebalanceDesc {
  ShardingDesc sharding{};          // the cluster before (its strategy is the one run)
  OperationDesc op{};               // None: nothing changes (after = before)
  std::vector<std::size_t> sample{};  // workload indexes of the keys to follow one by one
  // Arcs only for a circle of at most max_circle_points points that merge into at most
  // max_arcs arcs (beyond that the arcs are empty: no picture can show them).
  std::size_t max_circle_points = 160000;
  std::size_t max_arcs = 4000;
};

struct Rebalance {
  Strategy strategy = Strategy::Ring;
  Operation op = Operation::None;
  std::vector<Node> nodes_before{}, nodes_after{};
  std::vector<std::string> columns{};                      // node names, in column order
  std::vector<std::uint32_t> node_before{}, node_after{};  // per column: index in nodes_before/after, or kNoColumn
  std::string changed_node{};                // the node added, removed or re-weighted ("" for a split)
  std::uint32_t changed_column = kNoColumn;
  bool split = false;                        // split-hot-range: a range was split
  LoadStats load_before{}, load_after{};
  MoveStats moves{};                         // without the per-key name lists
  std::vector<CircleArc> arcs_before{}, arcs_after{};  // ring, bounded and ketama only
  std::size_t ketama_points_before = 0, ketama_points_after = 0;
  // The sample, in RebalanceDesc::sample order.
  std::vector<std::uint32_t> from{}, to{};   // column before / after
  std::vector<double> position{};            // on the hash circle, [0, 1) clockwise from the top

  std::size_t sample_moved() const;          // sampled keys whose column changed
};

Rebalance rebalance(const RebalanceDesc& desc, const Workload& workload);

// Position of a key on the strategy's hash circle, [0, 1): ketama's MD5 point for
// ketama, hash64 for every other strategy (the ring's; the others have no circle, so
// their keys are drawn at the same place the ring would put them).
double circle_position(Strategy strategy, std::string_view key);

std::vector<std::size_t> sample_keys(const Workload& workload, std::size_t max, std::size_t hot);

struct ColumnSlots {
  std::vector<std::uint32_t> slot_from{}, slot_to{};        // per sampled key: its place in its column
  std::vector<std::uint32_t> count_before{}, count_after{};  // sampled keys per column
  std::vector<float> leave_rank{};  // movers: 0 for the top of its column (leaves first) … 1 the lowest; stayers 0
  std::size_t moved = 0;
  std::uint32_t max_count = 1;      // the tallest column, before or after (at least 1)
};

ColumnSlots column_slots(const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to,
                         std::size_t columns);

}  // namespace scalebook::sim::sharding
