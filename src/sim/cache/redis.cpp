#include "sim/cache/redis.h"

#include <algorithm>
#include <stdexcept>

namespace scalebook::sim::cache {

RedisSampled::RedisSampled(const Desc& d) : desc_(d), rng_(d.seed) {
  if (desc_.capacity == 0) desc_.capacity = 1;
  desc_.maxmemory_samples = std::clamp(desc_.maxmemory_samples, 1, 64);
  keys_.reserve(desc_.capacity);
  fields_.reserve(desc_.capacity);
  where_.reserve(desc_.capacity);
}

std::uint32_t RedisSampled::now_field_lru(std::int64_t now_us) const {
  return redis::lru_clock(now_us / 1000 + desc_.clock_offset_s * 1000);
}

std::uint32_t RedisSampled::now_minutes(std::int64_t now_us) const {
  return redis::lfu_minutes(now_us / 1000000 + desc_.clock_offset_s);
}

std::uint64_t RedisSampled::score(std::uint32_t field, std::int64_t now_us) const {
  if (desc_.mode == Mode::Lru) return redis::idle_ms(now_field_lru(now_us), field);
  return 255 - redis::lfu_decr_and_return(field, now_minutes(now_us), desc_.lfu_decay_time);
}

void RedisSampled::insert(std::uint64_t key, std::uint32_t field) {
  where_.emplace(key, static_cast<std::uint32_t>(keys_.size()));
  keys_.push_back(key);
  fields_.push_back(field);
}

void RedisSampled::erase(std::uint64_t key) {
  auto it = where_.find(key);
  const std::uint32_t i = it->second;
  const std::uint32_t last = static_cast<std::uint32_t>(keys_.size() - 1);
  if (i != last) {
    keys_[i] = keys_[last];
    fields_[i] = fields_[last];
    where_[keys_[i]] = i;
  }
  keys_.pop_back();
  fields_.pop_back();
  where_.erase(it);
}

void RedisSampled::pool_populate(std::int64_t now_us) {
  const std::size_t n = keys_.size();
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(desc_.maxmemory_samples), n);
  std::uint32_t picked[64];
  std::size_t got = 0;
  while (got < count) {  // distinct indices: our stand-in for dictGetSomeKeys
    const auto i = static_cast<std::uint32_t>(rng_.uniform_int(n));
    if (std::find(picked, picked + got, i) == picked + got) picked[got++] = i;
  }
  samples_taken_ += got;
  constexpr int N = redis::kEvictionPoolSize;
  for (std::size_t j = 0; j < got; ++j) {
    const std::uint64_t key = keys_[picked[j]];
    const std::uint64_t idle = score(fields_[picked[j]], now_us);
    int k = 0;
    while (k < N && pool_[k].used && pool_[k].idle < idle) ++k;
    if (k == 0 && pool_[N - 1].used) continue;  // worse than the worst of a full pool
    if (k < N && !pool_[k].used) {
      // an empty slot: insert in place
    } else if (!pool_[N - 1].used) {
      std::copy_backward(pool_.begin() + k, pool_.end() - 1, pool_.end());  // room on the right: shift right
    } else {
      --k;  // full: shift the left part left, dropping slot 0 (the worst candidate)
      std::copy(pool_.begin() + 1, pool_.begin() + k + 1, pool_.begin());
    }
    pool_[k] = PoolEntry{key, idle, true};
  }
}

std::uint64_t RedisSampled::evict_one(std::int64_t now_us) {
  if (keys_.empty()) throw std::logic_error("RedisSampled: nothing to evict");
  for (;;) {
    pool_populate(now_us);
    for (int k = redis::kEvictionPoolSize - 1; k >= 0; --k) {
      if (!pool_[k].used) continue;
      const std::uint64_t key = pool_[k].key;
      pool_[k] = PoolEntry{};
      if (where_.count(key)) {
        erase(key);
        return key;
      }
      // a ghost: the key was evicted already (a duplicate entry); try the next
    }
  }
}

AccessResult RedisSampled::access(std::uint64_t key, std::int64_t now_us) {
  AccessResult r;
  auto it = where_.find(key);
  if (it != where_.end()) {
    r.hit = true;
    std::uint32_t& f = fields_[it->second];
    if (desc_.mode == Mode::Lru) {
      f = now_field_lru(now_us);
    } else {  // updateLFU
      const std::uint32_t now_min = now_minutes(now_us);
      std::uint32_t counter = redis::lfu_decr_and_return(f, now_min, desc_.lfu_decay_time);
      if (counter != 255) counter = redis::lfu_log_incr(counter, rng_.uniform01(), desc_.lfu_log_factor);
      f = (now_min << 8) | counter;
    }
  } else {
    if (keys_.size() >= desc_.capacity) {
      r.evicted = true;
      r.evicted_key = evict_one(now_us);
    }
    insert(key, desc_.mode == Mode::Lru ? now_field_lru(now_us) : (now_minutes(now_us) << 8) | redis::kLfuInitVal);
  }
  count(stats_, r);
  return r;
}

std::uint32_t RedisSampled::field(std::uint64_t key) const {
  auto it = where_.find(key);
  return it == where_.end() ? 0 : fields_[it->second];
}

std::uint32_t RedisSampled::object_freq(std::uint64_t key, std::int64_t now_us) const {
  return redis::lfu_decr_and_return(field(key), now_minutes(now_us), desc_.lfu_decay_time);
}

std::uint64_t RedisSampled::object_idletime_s(std::uint64_t key, std::int64_t now_us) const {
  return redis::idle_ms(now_field_lru(now_us), field(key)) / 1000;
}

void RedisSampled::debug_insert(std::uint64_t key, std::uint32_t field) {
  if (where_.count(key)) throw std::logic_error("RedisSampled::debug_insert: key is resident");
  if (keys_.size() >= desc_.capacity) throw std::logic_error("RedisSampled::debug_insert: full");
  insert(key, field & redis::kLruClockMax);
}

}  // namespace scalebook::sim::cache
