#include "sim/sharding/range_partition.h"

#include <algorithm>

#include "sim/sharding/directory.h"

namespace scalebook::sim::sharding {

void RangePartition::build(std::vector<std::string> keys, const std::vector<std::uint32_t>& weights) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  sample_ = std::move(keys);
  nodes_ = static_cast<std::uint32_t>(weights.size());
  starts_.assign(1, std::string());
  owners_.assign(1, 0);
  // Node i's range holds target[i] sample keys; a node whose range would be
  // empty (fewer keys than nodes) gets no range until a split gives it one.
  const std::vector<std::uint64_t> target = fair_targets(sample_.size(), weights);
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < nodes_; ++i) {
    if (target[i] == 0) continue;
    if (at == 0) {
      owners_[0] = i;
    } else {
      starts_.push_back(sample_[at]);
      owners_.push_back(i);
    }
    at += target[i];
  }
}

std::size_t RangePartition::range_of(std::string_view key, std::uint32_t* steps) const {
  // Last start ≤ key (binary search; starts_[0] = "" ≤ every key).
  std::size_t left = 1, right = starts_.size();
  std::uint32_t n = 0;
  while (left < right) {
    const std::size_t middle = left + (right - left) / 2;
    if (std::string_view(starts_[middle]) <= key)
      left = middle + 1;
    else
      right = middle;
    ++n;
  }
  if (steps) *steps = n;
  return left - 1;
}

std::uint32_t RangePartition::node_for(std::string_view key, std::uint32_t* steps) const {
  return owners_[range_of(key, steps)];
}

std::size_t RangePartition::first_sample_at_or_after(std::string_view key) const {
  return static_cast<std::size_t>(
      std::lower_bound(sample_.begin(), sample_.end(), key, [](const std::string& s, std::string_view k) { return s < k; }) -
      sample_.begin());
}

void RangePartition::add_node() {
  const std::uint32_t fresh = nodes_++;
  // Split the range holding the most sample keys at its median key.
  std::size_t best = 0, best_count = 0, best_lo = 0;
  for (std::size_t r = 0; r < starts_.size(); ++r) {
    const std::size_t lo = first_sample_at_or_after(starts_[r]);
    const std::size_t hi = r + 1 < starts_.size() ? first_sample_at_or_after(starts_[r + 1]) : sample_.size();
    if (hi - lo > best_count) {
      best = r;
      best_count = hi - lo;
      best_lo = lo;
    }
  }
  if (best_count < 2) return;  // nothing to split: the new node starts empty
  const std::size_t median = best_lo + best_count / 2;
  starts_.insert(starts_.begin() + static_cast<std::ptrdiff_t>(best + 1), sample_[median]);
  owners_.insert(owners_.begin() + static_cast<std::ptrdiff_t>(best + 1), fresh);
}

void RangePartition::remove_node(std::uint32_t node) {
  std::vector<std::uint64_t> keys_on(nodes_, 0);
  for (std::size_t r = 0; r < starts_.size(); ++r) {
    const std::size_t lo = first_sample_at_or_after(starts_[r]);
    const std::size_t hi = r + 1 < starts_.size() ? first_sample_at_or_after(starts_[r + 1]) : sample_.size();
    keys_on[owners_[r]] += hi - lo;
  }
  for (std::size_t r = 0; r < starts_.size(); ++r) {
    if (owners_[r] != node) continue;
    const std::size_t lo = first_sample_at_or_after(starts_[r]);
    const std::size_t hi = r + 1 < starts_.size() ? first_sample_at_or_after(starts_[r + 1]) : sample_.size();
    std::uint32_t to = node == 0 ? 1 : 0;
    for (std::uint32_t i = 0; i < nodes_; ++i)
      if (i != node && keys_on[i] < keys_on[to]) to = i;
    owners_[r] = to;
    keys_on[to] += hi - lo;
  }
  for (auto& o : owners_)
    if (o > node) --o;
  --nodes_;
}

bool RangePartition::split_hot_range(const std::vector<double>& popularity) {
  // Request load per range and per node.
  std::vector<double> range_load(starts_.size(), 0.0), node_load(nodes_, 0.0);
  std::vector<std::size_t> lo(starts_.size()), hi(starts_.size());
  for (std::size_t r = 0; r < starts_.size(); ++r) {
    lo[r] = first_sample_at_or_after(starts_[r]);
    hi[r] = r + 1 < starts_.size() ? first_sample_at_or_after(starts_[r + 1]) : sample_.size();
    for (std::size_t k = lo[r]; k < hi[r]; ++k) range_load[r] += popularity[k];
    node_load[owners_[r]] += range_load[r];
  }
  // The hottest range that can still be split (≥ 2 keys).
  std::size_t hot = starts_.size();
  for (std::size_t r = 0; r < starts_.size(); ++r)
    if (hot == starts_.size() || range_load[r] > range_load[hot]) hot = r;
  if (hot == starts_.size() || hi[hot] - lo[hot] < 2) return false;
  // Request-weighted median: the first key where the prefix reaches half the load,
  // kept strictly inside the range so both halves are non-empty.
  double prefix = 0.0;
  std::size_t cut = lo[hot] + 1;
  for (std::size_t k = lo[hot]; k < hi[hot]; ++k) {
    prefix += popularity[k];
    if (prefix >= range_load[hot] / 2) {
      cut = k + 1;
      break;
    }
  }
  cut = std::clamp(cut, lo[hot] + 1, hi[hot] - 1);
  std::uint32_t to = owners_[hot] == 0 && nodes_ > 1 ? 1 : 0;
  for (std::uint32_t i = 0; i < nodes_; ++i)
    if (i != owners_[hot] && node_load[i] < node_load[to]) to = i;
  if (nodes_ == 1) to = 0;
  starts_.insert(starts_.begin() + static_cast<std::ptrdiff_t>(hot + 1), sample_[cut]);
  owners_.insert(owners_.begin() + static_cast<std::ptrdiff_t>(hot + 1), to);
  return true;
}

}  // namespace scalebook::sim::sharding
