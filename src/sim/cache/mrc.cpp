#include "sim/cache/mrc.h"

#include <unordered_map>

namespace scalebook::sim::cache {

LruStackDistances::LruStackDistances(const std::vector<std::uint64_t>& trace) : requests_(trace.size()) {
  const std::size_t n = trace.size();
  std::vector<std::uint32_t> tree(n + 1, 0);  // Fenwick tree over positions 1..n
  auto add = [&](std::size_t pos, int delta) {
    for (std::size_t i = pos; i <= n; i += i & (~i + 1)) tree[i] = static_cast<std::uint32_t>(static_cast<int>(tree[i]) + delta);
  };
  auto prefix = [&](std::size_t pos) {  // sum of positions 1..pos
    std::uint64_t s = 0;
    for (std::size_t i = pos; i > 0; i -= i & (~i + 1)) s += tree[i];
    return s;
  };
  std::unordered_map<std::uint64_t, std::size_t> last;  // key -> position (1-based) of its latest request
  last.reserve(n / 2 + 1);
  std::uint64_t live = 0;  // ones in the tree = distinct keys so far
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t pos = i + 1;
    auto [it, inserted] = last.try_emplace(trace[i], pos);
    if (inserted) {
      ++cold_;
      ++live;
    } else {
      // Distinct keys whose latest request is after this key's previous one, plus itself.
      const std::uint64_t d = live - prefix(it->second) + 1;
      if (histogram_.size() <= d) histogram_.resize(d + 1, 0);
      ++histogram_[d];
      add(it->second, -1);
      it->second = pos;
    }
    add(pos, +1);
  }
  cumulative_.assign(histogram_.size(), 0);
  std::uint64_t run = 0;
  for (std::size_t d = 1; d < histogram_.size(); ++d) cumulative_[d] = run += histogram_[d];
}

std::uint64_t LruStackDistances::hits(std::size_t capacity) const {
  if (cumulative_.empty() || capacity == 0) return 0;
  return cumulative_[capacity < cumulative_.size() ? capacity : cumulative_.size() - 1];
}

double LruStackDistances::hit_ratio(std::size_t capacity) const {
  return requests_ ? static_cast<double>(hits(capacity)) / static_cast<double>(requests_) : 0.0;
}

}  // namespace scalebook::sim::cache
