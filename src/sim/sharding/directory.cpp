#include "sim/sharding/directory.h"

#include <algorithm>
#include <numeric>

namespace scalebook::sim::sharding {

std::vector<std::uint64_t> fair_targets(std::uint64_t total, const std::vector<std::uint32_t>& weights) {
  std::uint64_t w_sum = 0;
  for (auto w : weights) w_sum += w;
  std::vector<std::uint64_t> target(weights.size(), 0);
  if (w_sum == 0) return target;
  std::vector<std::pair<std::uint64_t, std::size_t>> remainder;  // exact integer remainders
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const unsigned __int128 prod = static_cast<unsigned __int128>(total) * weights[i];
    target[i] = static_cast<std::uint64_t>(prod / w_sum);
    remainder.emplace_back(static_cast<std::uint64_t>(prod % w_sum), i);
    given += target[i];
  }
  std::stable_sort(remainder.begin(), remainder.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++target[remainder[k].second];
  return target;
}

void Directory::reset(std::vector<std::uint32_t> weights) {
  weight_ = std::move(weights);
  load_.assign(weight_.size(), 0);
  order_.clear();
  node_of_.clear();
}

std::uint32_t Directory::least_loaded(std::uint32_t excluded) const {
  std::uint32_t best = UINT32_MAX;
  for (std::uint32_t i = 0; i < load_.size(); ++i) {
    if (i == excluded) continue;
    // load_i / w_i < load_best / w_best, compared exactly in integers.
    if (best == UINT32_MAX ||
        static_cast<unsigned __int128>(load_[i]) * weight_[best] < static_cast<unsigned __int128>(load_[best]) * weight_[i])
      best = i;
  }
  return best;
}

std::uint32_t Directory::place(const std::string& key) {
  auto it = node_of_.find(key);
  if (it != node_of_.end()) return it->second;
  const std::uint32_t node = least_loaded();
  node_of_.emplace(key, node);
  order_.push_back(key);
  ++load_[node];
  return node;
}

std::uint32_t Directory::node_for(std::string_view key) const {
  auto it = node_of_.find(key);
  return it != node_of_.end() ? it->second : least_loaded();
}

void Directory::add_node(std::uint32_t weight) {
  weight_.push_back(weight);
  load_.push_back(0);
  rebalance();
}

void Directory::set_weight(std::uint32_t node, std::uint32_t weight) {
  weight_[node] = weight;
  rebalance();
}

void Directory::remove_node(std::uint32_t node) {
  std::vector<std::string> orphans;
  for (const auto& key : order_)
    if (node_of_[key] == node) orphans.push_back(key);
  load_[node] = 0;
  weight_.erase(weight_.begin() + node);
  load_.erase(load_.begin() + node);
  for (auto& [key, n] : node_of_)
    if (n > node) --n;
  for (const auto& key : orphans) {
    const std::uint32_t to = least_loaded();
    node_of_[key] = to;
    ++load_[to];
  }
}

void Directory::rebalance() {
  const std::vector<std::uint64_t> target = fair_targets(order_.size(), weight_);
  std::uint32_t under = 0;
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    std::uint32_t& node = node_of_[*it];
    if (load_[node] <= target[node]) continue;
    while (under < load_.size() && load_[under] >= target[under]) ++under;
    if (under == load_.size()) break;
    --load_[node];
    node = under;
    ++load_[under];
  }
}

}  // namespace scalebook::sim::sharding
