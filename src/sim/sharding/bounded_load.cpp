#include "sim/sharding/bounded_load.h"

#include <cmath>

#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

std::uint64_t bounded_capacity(double epsilon, std::uint64_t keys, std::uint32_t weight, std::uint64_t total_weight) {
  const double exact = (1.0 + epsilon) * static_cast<double>(keys) * weight / static_cast<double>(total_weight);
  // Guard against 1e-12-sized float error turning an exact integer into the next one.
  const double nearest = std::nearbyint(exact);
  if (std::fabs(exact - nearest) <= 1e-9 * std::max(1.0, exact)) return static_cast<std::uint64_t>(nearest);
  return static_cast<std::uint64_t>(std::ceil(exact));
}

std::uint32_t BoundedLoadPlacement::walk(const HashRing& ring, std::uint64_t hash, std::uint32_t* steps) const {
  std::uint32_t search = 0;
  std::size_t i = ring.point_index(hash, &search);
  const auto& points = ring.points();
  std::uint32_t walked = 0;
  for (std::size_t visited = 0; visited < points.size(); ++visited) {
    const std::uint32_t node = points[i].node;
    if (load_[node] < capacity_[node]) break;
    i = (i + 1 == points.size()) ? 0 : i + 1;
    ++walked;
  }
  if (steps) *steps = search + walked;
  return points[i].node;
}

void BoundedLoadPlacement::place(const HashRing& ring, const std::vector<Node>& nodes,
                                 const std::vector<std::string>& keys, double epsilon) {
  std::uint64_t total_weight = 0;
  for (const auto& n : nodes) total_weight += n.weight;
  load_.assign(nodes.size(), 0);
  capacity_.assign(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    capacity_[i] = bounded_capacity(epsilon, keys.size(), nodes[i].weight, total_weight);
  node_of_.clear();
  node_of_.reserve(keys.size());
  for (const auto& key : keys) {
    if (node_of_.count(key)) continue;
    std::uint32_t steps = 0;
    const std::uint32_t node = walk(ring, hash64(key), &steps);
    node_of_.emplace(key, Placed{node, steps});
    ++load_[node];
  }
}

std::uint32_t BoundedLoadPlacement::node_for(const HashRing& ring, std::string_view key, std::uint32_t* steps) const {
  auto it = node_of_.find(key);
  if (it != node_of_.end()) {
    if (steps) *steps = it->second.steps;
    return it->second.node;
  }
  return walk(ring, hash64(key), steps);
}

}  // namespace scalebook::sim::sharding
