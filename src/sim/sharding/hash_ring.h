// hash_ring.h — a consistent-hash ring with virtual nodes (Karger et al. 1997;
// the Dynamo/Cassandra vnode scheme).
//
// What it models: each node owns vnodes·weight points on a 64-bit circle at
// hash64("<host:port>#<j>"); a key hashed with hash64 belongs to the first
// point clockwise at or after its hash, wrapping past the top. Adding a node
// only inserts its own points, so the only keys that move are those that now
// fall on the new node's points.
// Invariants: points sorted by (position, node); every node with weight ≥ 1
// has vnodes·weight points.
// Lookup: point_index(hash, &steps) is the plain binary search (its halvings
// are the cost the widget reports). Without `steps` it takes a shortcut with
// the same answer: a table of 2^b buckets on the hash's top b bits (2^b ≤
// points, b ≥ 1) holds each bucket's first point, so a lookup reads one table entry
// and scans the one or two points of its bucket instead of making ~17
// unpredictable halvings over 2.5 MB at N = 1000, V = 160.
// Not modelled: token assignment by an operator (Cassandra's initial_token),
// rack/zone awareness.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/sharding/node.h"

namespace scalebook::sim::sharding {

struct RingPoint {
  std::uint64_t position = 0;
  std::uint32_t node = 0;
};

class HashRing {
 public:
  void build(const std::vector<Node>& nodes, std::uint32_t vnodes);
  // Index of the first point with position ≥ hash (wrapping); `steps` = binary-search iterations.
  std::size_t point_index(std::uint64_t hash, std::uint32_t* steps = nullptr) const;
  std::uint32_t node_for(std::uint64_t hash, std::uint32_t* steps = nullptr) const {
    return points_[point_index(hash, steps)].node;
  }
  // point_index(hash) through the bucket table (equal to the binary search's answer).
  std::size_t indexed_point_index(std::uint64_t hash) const;
  // Up to `count` distinct nodes walking clockwise from `hash` (a Dynamo preference list).
  std::vector<std::uint32_t> walk_distinct(std::uint64_t hash, std::uint32_t count) const;
  const std::vector<RingPoint>& points() const { return points_; }
  std::uint32_t node_count() const { return node_count_; }

 private:
  std::vector<RingPoint> points_;
  std::uint32_t node_count_ = 0;
  // bucket_first_[k]: index of the first point with position ≥ k << bucket_shift_;
  // bucket_first_[2^b] = points_.size(). Empty for an empty ring.
  std::vector<std::uint32_t> bucket_first_;
  int bucket_shift_ = 63;
};

}  // namespace scalebook::sim::sharding
