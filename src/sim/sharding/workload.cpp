#include "sim/sharding/workload.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "sim/core/rng.h"

namespace scalebook::sim::sharding {

Workload make_workload(const WorkloadDesc& desc) {
  Workload w;
  Rng rng(desc.seed);
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(desc.keys);
  w.keys.reserve(desc.keys);
  while (w.keys.size() < desc.keys) {
    const std::uint64_t v = rng.next_u64();
    if (seen.insert(v).second) w.keys.push_back(std::to_string(v));
  }
  w.popularity.assign(desc.keys, desc.keys ? 1.0 / static_cast<double>(desc.keys) : 0.0);
  if (desc.skew > 0.0 && desc.keys > 0) {
    const Zipf zipf(desc.keys, desc.skew);
    std::vector<std::size_t> rank_to_key(desc.keys);
    std::iota(rank_to_key.begin(), rank_to_key.end(), std::size_t{0});
    if (desc.hot_range)
      std::sort(rank_to_key.begin(), rank_to_key.end(),
                [&](std::size_t a, std::size_t b) { return w.keys[a] < w.keys[b]; });
    for (std::uint64_t r = 0; r < desc.keys; ++r) w.popularity[rank_to_key[r]] = zipf.probability(r);
  }
  return w;
}

Workload workload_from_requests(const std::vector<std::string>& requests) {
  Workload w;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& k : requests) {
    auto [it, fresh] = index.emplace(k, w.keys.size());
    if (fresh) {
      w.keys.push_back(k);
      w.popularity.push_back(0.0);
    }
    w.popularity[it->second] += 1.0;
  }
  for (auto& p : w.popularity) p /= static_cast<double>(requests.size());
  return w;
}

}  // namespace scalebook::sim::sharding
