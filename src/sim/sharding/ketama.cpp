#include "sim/sharding/ketama.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/sharding/circle_search.h"
#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

std::uint32_t ketama_points_for(std::uint32_t weight, std::uint64_t total_weight, std::uint32_t servers) {
  // Same operation order and types as libmemcached: float pct, float products,
  // + 0.0000000001F, floor, times 4. (No FMA contraction: we build as ISO C++.)
  const float pct = static_cast<float>(weight) / static_cast<float>(total_weight);
  const float scaled = pct * 160 / 4 * static_cast<float>(servers) + 0.0000000001F;
  return static_cast<std::uint32_t>(std::floor(scaled) * 4);
}

void KetamaContinuum::build(const std::vector<Node>& servers) {
  points_.clear();
  servers_ = static_cast<std::uint32_t>(servers.size());
  std::uint64_t total_weight = 0;
  for (const auto& s : servers) total_weight += s.weight;
  for (std::uint32_t i = 0; i < servers_; ++i) {
    const Node& s = servers[i];
    const std::uint32_t per_server = ketama_points_for(s.weight, total_weight, servers_);
    const std::string prefix =
        s.port == kMemcachedDefaultPort ? s.host + "-" : s.host + ":" + std::to_string(s.port) + "-";
    for (std::uint32_t j = 0; j < per_server / 4; ++j) {
      for (std::uint32_t value : ketama_point_hashes(prefix + std::to_string(j))) points_.push_back({value, i});
    }
  }
  std::sort(points_.begin(), points_.end(), [](const KetamaPoint& a, const KetamaPoint& b) {
    return a.value != b.value ? a.value < b.value : a.server < b.server;
  });
}

std::size_t KetamaContinuum::point_index(std::uint32_t hash, std::uint32_t* steps) const {
  // dispatch_host's lower-bound search (circle_search.h follows it step for step).
  return first_point_at_or_after<KetamaPoint, std::uint32_t>(points_, &KetamaPoint::value, hash, steps);
}

std::uint32_t KetamaContinuum::server_for(std::string_view key, std::uint32_t* steps) const {
  if (servers_ <= 1 || points_.empty()) {
    if (steps) *steps = 0;
    return 0;
  }
  return points_[point_index(ketama_key_hash(key), steps)].server;
}

}  // namespace scalebook::sim::sharding
