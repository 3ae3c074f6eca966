#include "sim/lb/envoy.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "sim/lb/xxhash64.h"
#include "sim/sharding/maglev.h"

namespace scalebook::sim::lb {

// [SECTION] EDF
void EdfScheduler::add(double weight, std::uint32_t entry) {
  queue_.push(Entry{current_time_ + 1.0 / weight, order_++, entry});
}

namespace {
bool weights_equal(const std::vector<EnvoyHost>& hosts) {
  for (const auto& h : hosts)
    if (h.weight != hosts.front().weight) return false;
  return true;
}
}  // namespace

// [SECTION] round robin
EnvoyRoundRobin::EnvoyRoundRobin(const std::vector<EnvoyHost>& hosts, std::uint64_t start_offset)
    : index_(start_offset) {
  for (const auto& h : hosts) weights_.push_back(h.weight);
  weighted_ = !hosts.empty() && !weights_equal(hosts);
  if (weighted_) {
    for (std::uint32_t i = 0; i < weights_.size(); ++i) edf_.add(weights_[i], i);
    for (std::uint64_t k = 0; k < start_offset % weights_.size(); ++k) pick();
  }
}

std::uint32_t EnvoyRoundRobin::pick() {
  if (weighted_) return edf_.pick_and_add([&](std::uint32_t i) { return static_cast<double>(weights_[i]); });
  return static_cast<std::uint32_t>(index_++ % weights_.size());
}

// [SECTION] least request
EnvoyLeastRequest::EnvoyLeastRequest(std::vector<EnvoyHost>& hosts, std::uint64_t seed, std::uint32_t choice_count,
                                     double active_request_bias)
    : hosts_(hosts), rng_(seed), choice_count_(choice_count ? choice_count : 2), bias_(active_request_bias) {
  // Envoy clamps a negative or NaN bias to the default 1.0.
  if (!(bias_ >= 0.0)) bias_ = 1.0;
  weighted_ = !hosts.empty() && !weights_equal(hosts);
  if (weighted_)
    for (std::uint32_t i = 0; i < hosts_.size(); ++i) edf_.add(host_weight(i), i);
}

double EnvoyLeastRequest::host_weight(std::uint32_t i) const {
  const EnvoyHost& h = hosts_[i];
  const double active = static_cast<double>(h.active_requests + 1);
  if (bias_ == 1.0) return static_cast<double>(h.weight) / active;
  if (bias_ != 0.0) return static_cast<double>(h.weight) / std::pow(active, bias_);
  return static_cast<double>(h.weight);
}

std::uint32_t EnvoyLeastRequest::pick() {
  if (weighted_) return edf_.pick_and_add([&](std::uint32_t i) { return host_weight(i); });
  std::uint32_t candidate = 0;
  for (std::uint32_t c = 0; c < choice_count_; ++c) {
    const auto sampled = static_cast<std::uint32_t>(rng_.next_u64() % hosts_.size());
    if (c == 0 || hosts_[sampled].active_requests < hosts_[candidate].active_requests) candidate = sampled;
  }
  return candidate;
}

// [SECTION] Maglev
EnvoyMaglev::EnvoyMaglev(const std::vector<EnvoyHost>& hosts, std::uint64_t table_size, bool use_hostname_for_hashing)
    : size_(table_size) {
  if (hosts.empty() || !sharding::is_prime(table_size)) return;
  if (hosts.size() == 1) {
    single_ = 0;
    min_entries_ = max_entries_ = 1;
    return;
  }
  double sum = 0.0;
  for (const auto& h : hosts) sum += h.weight;
  struct Build {
    std::string key;
    std::uint32_t host;
    double weight;
    std::uint64_t offset = 0, skip = 0, next = 0, count = 0;
    double target = 0.0;
  };
  std::vector<Build> b;
  double max_weight = 0.0;
  for (std::uint32_t i = 0; i < hosts.size(); ++i) {
    const double w = hosts[i].weight / sum;  // normalizeHostWeights: weight · 1.0 / Σ
    max_weight = std::max(max_weight, w);
    b.push_back(Build{use_hostname_for_hashing ? hosts[i].hostname : hosts[i].address, i, w});
  }
  // Envoy sorts (key, host pointer, weight) tuples; keys are distinct in practice.
  std::sort(b.begin(), b.end(), [](const Build& x, const Build& y) {
    return std::tie(x.key, x.host) < std::tie(y.key, y.host);
  });
  for (auto& e : b) {
    e.offset = xxhash64(e.key, 0) % size_;
    e.skip = xxhash64(e.key, 1) % (size_ - 1) + 1;
  }
  constexpr std::uint32_t kEmpty = ~0u;
  table_.assign(size_, kEmpty);
  std::uint64_t filled = 0;
  for (std::uint32_t iteration = 1; filled < size_; ++iteration) {
    for (std::size_t i = 0; i < b.size() && filled < size_; ++i) {
      Build& e = b[i];
      if (iteration * e.weight < e.target) continue;
      e.target += max_weight;
      std::uint64_t c = (e.offset + e.skip * e.next) % size_;
      while (table_[c] != kEmpty) {
        ++e.next;
        c = (e.offset + e.skip * e.next) % size_;
      }
      table_[c] = e.host;
      ++e.next;
      ++e.count;
      ++filled;
    }
  }
  min_entries_ = size_;
  for (const auto& e : b) {
    min_entries_ = std::min(min_entries_, e.count);
    max_entries_ = std::max(max_entries_, e.count);
  }
}

int EnvoyMaglev::choose(std::uint64_t hash, std::uint32_t attempt) const {
  if (single_ >= 0) return single_;
  if (table_.empty()) return -1;
  if (attempt > 0) hash ^= ~0ull - attempt + 1;
  return static_cast<int>(table_[hash % size_]);
}

}  // namespace scalebook::sim::lb
