#include "sim/cache/baselines.h"

#include <limits>
#include <stdexcept>

namespace scalebook::sim::cache {

namespace {
std::size_t at_least_one(std::size_t c) { return c ? c : 1; }
}  // namespace

// ---- FIFO -------------------------------------------------------------------

Fifo::Fifo(std::size_t capacity) : capacity_(at_least_one(capacity)) {}

AccessResult Fifo::access(std::uint64_t key, std::int64_t) {
  AccessResult r;
  if (pool_.contains(key)) {
    r.hit = true;
  } else {
    if (pool_.size() >= capacity_) {
      const std::uint32_t victim = list_.head;
      r.evicted = true;
      r.evicted_key = pool_[victim].key;
      pool_.unlink(list_, victim);
      pool_.release(victim);
    }
    pool_.push_tail(list_, pool_.allocate(key));
  }
  count(stats_, r);
  return r;
}

std::vector<std::uint64_t> Fifo::order() const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t i = list_.head; i != kNoNode; i = pool_[i].next) out.push_back(pool_[i].key);
  return out;
}

// ---- LRU --------------------------------------------------------------------

Lru::Lru(std::size_t capacity) : capacity_(at_least_one(capacity)) {}

AccessResult Lru::access(std::uint64_t key, std::int64_t) {
  AccessResult r;
  const std::uint32_t i = pool_.find(key);
  if (i != kNoNode) {
    r.hit = true;
    pool_.move_to_tail(list_, i);
  } else {
    if (pool_.size() >= capacity_) {
      const std::uint32_t victim = list_.head;
      r.evicted = true;
      r.evicted_key = pool_[victim].key;
      pool_.unlink(list_, victim);
      pool_.release(victim);
    }
    pool_.push_tail(list_, pool_.allocate(key));
  }
  count(stats_, r);
  return r;
}

std::vector<std::uint64_t> Lru::order() const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t i = list_.head; i != kNoNode; i = pool_[i].next) out.push_back(pool_[i].key);
  return out;
}

// ---- LFU --------------------------------------------------------------------

Lfu::Lfu(std::size_t capacity) : capacity_(at_least_one(capacity)) {}

AccessResult Lfu::access(std::uint64_t key, std::int64_t) {
  AccessResult r;
  const std::uint64_t now = ++seq_;
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    r.hit = true;
    Entry& e = it->second;
    order_.erase({e.freq, e.last, key});
    ++e.freq;
    e.last = now;
    order_.insert({e.freq, e.last, key});
  } else {
    if (entries_.size() >= capacity_) {
      const auto victim = *order_.begin();
      order_.erase(order_.begin());
      r.evicted = true;
      r.evicted_key = std::get<2>(victim);
      entries_.erase(r.evicted_key);
    }
    entries_.emplace(key, Entry{1, now});
    order_.insert({1, now, key});
  }
  count(stats_, r);
  return r;
}

std::uint64_t Lfu::frequency(std::uint64_t key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.freq;
}

// ---- OPT (Belady) -----------------------------------------------------------

namespace {
constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
}

Opt::Opt(std::size_t capacity, std::vector<std::uint64_t> trace, bool bypass)
    : capacity_(at_least_one(capacity)), bypass_(bypass), trace_(std::move(trace)), next_use_(trace_.size(), kNever) {
  std::unordered_map<std::uint64_t, std::uint64_t> seen;  // key -> index of its next request (scanning backwards)
  seen.reserve(trace_.size() / 2 + 1);
  for (std::size_t i = trace_.size(); i-- > 0;) {
    auto [it, inserted] = seen.try_emplace(trace_[i], i);
    if (!inserted) {
      next_use_[i] = it->second;
      it->second = i;
    }
  }
}

AccessResult Opt::access(std::uint64_t key, std::int64_t) {
  if (pos_ >= trace_.size() || trace_[pos_] != key) throw std::logic_error("Opt::access: key is not the trace's next request");
  const std::uint64_t next = next_use_[pos_];
  ++pos_;
  AccessResult r;
  auto it = next_of_.find(key);
  if (it != next_of_.end()) {
    r.hit = true;
    by_next_.erase({it->second, key});
    it->second = next;
    by_next_.insert({next, key});
  } else if (next_of_.size() < capacity_) {
    next_of_.emplace(key, next);
    by_next_.insert({next, key});
  } else {
    const auto victim = *by_next_.rbegin();
    if (bypass_ && next >= victim.first) {
      r.admitted = false;  // the new key is the farthest: keep everything else
    } else {
      by_next_.erase(std::prev(by_next_.end()));
      next_of_.erase(victim.second);
      r.evicted = true;
      r.evicted_key = victim.second;
      next_of_.emplace(key, next);
      by_next_.insert({next, key});
    }
  }
  count(stats_, r);
  return r;
}

}  // namespace scalebook::sim::cache
