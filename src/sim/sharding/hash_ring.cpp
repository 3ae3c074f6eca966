#include "sim/sharding/hash_ring.h"

#include <algorithm>
#include <bit>
#include <string>

#include "sim/sharding/circle_search.h"
#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

void HashRing::build(const std::vector<Node>& nodes, std::uint32_t vnodes) {
  points_.clear();
  node_count_ = static_cast<std::uint32_t>(nodes.size());
  for (std::uint32_t i = 0; i < node_count_; ++i) {
    const std::string prefix = nodes[i].name() + "#";
    const std::uint64_t count = std::uint64_t(vnodes) * nodes[i].weight;
    for (std::uint64_t j = 0; j < count; ++j) points_.push_back({hash64(prefix + std::to_string(j)), i});
  }
  std::sort(points_.begin(), points_.end(), [](const RingPoint& a, const RingPoint& b) {
    return a.position != b.position ? a.position < b.position : a.node < b.node;
  });
  bucket_first_.clear();
  if (points_.empty()) return;
  // 2^bits ≤ points (two buckets at least, so the shift stays below 64).
  const int bits = std::max(1, static_cast<int>(std::bit_width(points_.size())) - 1);
  bucket_shift_ = 64 - bits;
  const std::size_t buckets = std::size_t{1} << bits;
  bucket_first_.assign(buckets + 1, static_cast<std::uint32_t>(points_.size()));
  std::size_t p = 0;
  for (std::size_t k = 0; k < buckets; ++k) {
    const std::uint64_t low = static_cast<std::uint64_t>(k) << bucket_shift_;
    while (p < points_.size() && points_[p].position < low) ++p;
    bucket_first_[k] = static_cast<std::uint32_t>(p);
  }
}

std::size_t HashRing::point_index(std::uint64_t hash, std::uint32_t* steps) const {
  if (!steps) return indexed_point_index(hash);
  return first_point_at_or_after<RingPoint, std::uint64_t>(points_, &RingPoint::position, hash, steps);
}

std::size_t HashRing::indexed_point_index(std::uint64_t hash) const {
  if (bucket_first_.empty()) return 0;
  // Every point before bucket k lies below k << shift ≤ hash, and every point
  // from bucket k + 1 on lies at or above (k + 1) << shift > hash: the answer
  // is in [first(k), first(k + 1)], and first(k + 1) when the bucket holds none ≥ hash.
  const auto k = static_cast<std::size_t>(hash >> bucket_shift_);
  std::size_t i = bucket_first_[k];
  const std::size_t end = bucket_first_[k + 1];
  while (i < end && points_[i].position < hash) ++i;
  return i == points_.size() ? 0 : i;
}

std::vector<std::uint32_t> HashRing::walk_distinct(std::uint64_t hash, std::uint32_t count) const {
  std::vector<std::uint32_t> out;
  if (points_.empty()) return out;
  count = std::min(count, node_count_);
  std::vector<bool> seen(node_count_, false);
  std::size_t i = point_index(hash);
  for (std::size_t visited = 0; visited < points_.size() && out.size() < count; ++visited) {
    const std::uint32_t node = points_[i].node;
    if (!seen[node]) {
      seen[node] = true;
      out.push_back(node);
    }
    i = (i + 1 == points_.size()) ? 0 : i + 1;
  }
  return out;
}

}  // namespace scalebook::sim::sharding
