#include "sim/sharding/hash_ring.h"

#include <algorithm>
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
}

std::size_t HashRing::point_index(std::uint64_t hash, std::uint32_t* steps) const {
  return first_point_at_or_after<RingPoint, std::uint64_t>(points_, &RingPoint::position, hash, steps);
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
