#include "sim/sharding/rendezvous.h"

#include <algorithm>
#include <numeric>

#include "sim/core/portable_math.h"
#include "sim/core/rng.h"
#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

void Rendezvous::build(const std::vector<Node>& nodes) {
  node_seed_.clear();
  weight_.clear();
  weighted_ = false;
  for (const auto& n : nodes) {
    node_seed_.push_back(hash64(n.name(), 0x5EED'0F'4E4Dull));
    weight_.push_back(static_cast<double>(n.weight));
    weighted_ = weighted_ || n.weight != nodes.front().weight;
  }
}

double Rendezvous::score(std::uint64_t key_hash, std::uint32_t node) const {
  const std::uint64_t h = mix64(key_hash ^ node_seed_[node]);
  if (!weighted_) return static_cast<double>(h);  // equal weights: the raw hash orders the same way
  const double u = (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
  return weight_[node] / -plog(u);
}

std::uint32_t Rendezvous::node_for(std::uint64_t key_hash) const {
  std::uint32_t best = 0;
  if (!weighted_) {
    std::uint64_t best_h = 0;
    for (std::uint32_t i = 0; i < node_seed_.size(); ++i) {
      const std::uint64_t h = mix64(key_hash ^ node_seed_[i]);
      if (i == 0 || h > best_h) {
        best_h = h;
        best = i;
      }
    }
    return best;
  }
  double best_score = -1.0;
  for (std::uint32_t i = 0; i < node_seed_.size(); ++i) {
    const double s = score(key_hash, i);
    if (s > best_score) {
      best_score = s;
      best = i;
    }
  }
  return best;
}

std::vector<std::uint32_t> Rendezvous::top(std::uint64_t key_hash, std::uint32_t count) const {
  std::vector<std::uint32_t> order(node_seed_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::vector<std::uint64_t> raw(order.size());
  std::vector<double> scores(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    raw[i] = mix64(key_hash ^ node_seed_[i]);
    scores[i] = score(key_hash, i);
  }
  count = std::min<std::uint32_t>(count, static_cast<std::uint32_t>(order.size()));
  std::partial_sort(order.begin(), order.begin() + count, order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (!weighted_) return raw[a] != raw[b] ? raw[a] > raw[b] : a < b;
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  });
  order.resize(count);
  return order;
}

}  // namespace scalebook::sim::sharding
