#include "sim/lb/haproxy.h"

namespace scalebook::sim::lb {

HaproxyBalancer::HaproxyBalancer(std::vector<int> weights, Algorithm algorithm, int draws, std::uint64_t seed)
    : weights_(std::move(weights)), algorithm_(algorithm), draws_(draws > 0 ? draws : 2), rng_(seed) {
  conns_.assign(weights_.size(), 0);
  next_position_.assign(weights_.size(), 0.0);
  positioned_at_.assign(weights_.size(), 0);
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    total_weight_ += weights_[i];
    if (weights_[i] > 0) next_position_[i] = 1.0 / weights_[i];
    positioned_at_[i] = clock_++;
  }
}

int HaproxyBalancer::pick() {
  int s = -1;
  switch (algorithm_) {
    case Algorithm::kRoundRobin: s = pick_round_robin(); break;
    case Algorithm::kLeastConn: s = pick_least_conn(); break;
    case Algorithm::kRandom: s = pick_random(); break;
  }
  if (s >= 0) ++conns_[static_cast<std::size_t>(s)];
  return s;
}

void HaproxyBalancer::release(int server) {
  if (server < 0) return;
  auto& c = conns_[static_cast<std::size_t>(server)];
  if (c > 0) --c;
  positioned_at_[static_cast<std::size_t>(server)] = clock_++;  // fwlc re-queues a server when its load changes
}

int HaproxyBalancer::pick_round_robin() {
  int best = -1;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (weights_[i] <= 0) continue;
    if (best < 0 || next_position_[i] < next_position_[static_cast<std::size_t>(best)]) best = static_cast<int>(i);
  }
  if (best >= 0) next_position_[static_cast<std::size_t>(best)] += 1.0 / weights_[static_cast<std::size_t>(best)];
  return best;
}

int HaproxyBalancer::pick_least_conn() {
  int best = -1;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (weights_[i] <= 0) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const auto b = static_cast<std::size_t>(best);
    // (conns_i + 1) / w_i vs (conns_b + 1) / w_b, cross-multiplied.
    const long lhs = static_cast<long>(conns_[i] + 1) * weights_[b];
    const long rhs = static_cast<long>(conns_[b] + 1) * weights_[i];
    if (lhs < rhs || (lhs == rhs && positioned_at_[i] < positioned_at_[b])) best = static_cast<int>(i);
  }
  if (best >= 0) positioned_at_[static_cast<std::size_t>(best)] = clock_++;
  return best;
}

int HaproxyBalancer::pick_random() {
  if (total_weight_ <= 0) return -1;
  int best = -1;
  for (int d = 0; d < draws_; ++d) {
    auto r = static_cast<int>(rng_.uniform_int(static_cast<std::uint64_t>(total_weight_)));
    int s = 0;
    while (r >= weights_[static_cast<std::size_t>(s)]) r -= weights_[static_cast<std::size_t>(s++)];
    if (best < 0) {
      best = s;
      continue;
    }
    const auto b = static_cast<std::size_t>(best), i = static_cast<std::size_t>(s);
    if (static_cast<long>(conns_[i]) * weights_[b] < static_cast<long>(conns_[b]) * weights_[i]) best = s;
  }
  return best;
}

}  // namespace scalebook::sim::lb
