// redis.h — Redis' approximated LRU and LFU eviction (maxmemory-policy
// allkeys-lru / allkeys-lfu), as the code does it.
//
// Read from redis/redis at 4f8cdc2a (2024-10-18): src/evict.c
// (evictionPoolPopulate, performEvictions, estimateObjectIdleTime, LFULogIncr,
// LFUDecrAndReturn, LFUTimeElapsed, LFUGetTimeInMinutes), src/db.c (lookupKey,
// updateLFU), src/object.c (initObjectLRUOrLFU, OBJECT FREQ), src/server.h
// (LRU_BITS 24, LRU_CLOCK_RESOLUTION 1000, LFU_INIT_VAL 5), src/config.c
// (maxmemory-samples 5, lfu-log-factor 10, lfu-decay-time 1). Our own code.
//
// Models:
//  * Per key a 24-bit field, like robj.lru. LRU mode: the LRU clock
//    ((now_ms / 1000) & 0xFFFFFF: one-second resolution, wraps after 194 days),
//    set on creation and on every hit. Idle time (ms) = (clock − lru) · 1000, or
//    on wrap (clock + (0xFFFFFF − lru)) · 1000 — exactly estimateObjectIdleTime,
//    including its off-by-one on wrap (it is one tick short).
//    LFU mode: the high 16 bits hold minutes ((now_s / 60) & 0xFFFF), the low 8 a
//    logarithmic counter. New keys start at LFU_INIT_VAL = 5. A hit first decays
//    (LFUDecrAndReturn: counter −= elapsed_minutes / lfu_decay_time, floored at
//    0; elapsed wraps as 65535 − ldt + now, again one short), then increments
//    with probability 1 / ((counter − 5)·lfu_log_factor + 1) (baseval clamped at
//    0; always below 5), saturating at 255, then stores the current minutes.
//  * Eviction (performEvictions → evictionPoolPopulate): when a missed key is
//    about to be added to a full cache, sample `maxmemory_samples` resident keys
//    and offer each to the 16-entry eviction pool, which is sorted ascending by
//    score (LRU: idle ms; LFU: 255 − decayed counter) and carried across
//    evictions. Insertion is evictionPoolPopulate's: find the first entry that
//    is empty or has score >= ours; if that is slot 0 and the pool is full, drop
//    the sample; if the pool has room on the right, shift right and insert; else
//    shift left (discarding slot 0, the worst candidate) and insert at k − 1.
//    The pool does not deduplicate keys and keeps each score from when it was
//    sampled (a key hit after being pooled still carries its old, stale idle
//    time — real Redis behaviour). Then the pool is scanned from the right
//    (best candidate): each entry scanned is removed; the first whose key is
//    still resident is evicted; entries for keys no longer resident (ghosts,
//    e.g. a duplicate of a key already evicted) are skipped. If the whole pool
//    was ghosts, sample again.
//  * Randomness: the seeded scalebook::sim::Rng. LFULogIncr's rand()/RAND_MAX
//    becomes uniform01(); dictGetSomeKeys (random contiguous hash buckets, so
//    samples are nearly always distinct) becomes min(samples, size) DISTINCT
//    keys drawn uniformly from the resident set. kvstoreGetFairRandomDictIndex
//    is moot: one database, no cluster slots.
//  * Time: `now_us` per request; the LRU clock as seen by a 10 Hz serverCron
//    refresh equals floor(now_ms / 1000) exactly when cron ticks at multiples of
//    100 ms, so no refresh lag is modelled. `clock_offset_s` shifts the epoch
//    (for wrap-around tests: real clocks are Unix time, not 0).
// Simplifications (stated): capacity is in items, and the eviction happens just
// BEFORE the missed key is inserted (real Redis evicts before the NEXT command
// once used_memory > maxmemory, so it briefly holds one key too many and the key
// just written can itself be sampled). One key evicted per miss.
// Does NOT model: memory accounting in bytes, volatile-* policies and TTLs,
// lazyfree, eviction time limits (maxmemory-eviction-tenacity), the
// OBJECT/hasActiveChildProcess no-touch cases, replicas, multiple databases.
#pragma once
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/cache/policy.h"
#include "sim/core/rng.h"

namespace scalebook::sim::cache {

// The Redis field arithmetic, exposed for tests.
namespace redis {
inline constexpr std::uint32_t kLruClockMax = (1u << 24) - 1;  // LRU_CLOCK_MAX
inline constexpr std::int64_t kLruClockResolutionMs = 1000;     // LRU_CLOCK_RESOLUTION
inline constexpr std::uint32_t kLfuInitVal = 5;                 // LFU_INIT_VAL
inline constexpr int kEvictionPoolSize = 16;                    // EVPOOL_SIZE

// getLRUClock for a time in ms.
constexpr std::uint32_t lru_clock(std::int64_t now_ms) {
  return static_cast<std::uint32_t>((now_ms / kLruClockResolutionMs) & kLruClockMax);
}
// estimateObjectIdleTime, in ms.
constexpr std::uint64_t idle_ms(std::uint32_t clock, std::uint32_t lru) {
  if (clock >= lru) return static_cast<std::uint64_t>(clock - lru) * kLruClockResolutionMs;
  return (static_cast<std::uint64_t>(clock) + (kLruClockMax - lru)) * kLruClockResolutionMs;
}
// LFUGetTimeInMinutes for a time in seconds.
constexpr std::uint32_t lfu_minutes(std::int64_t now_s) { return static_cast<std::uint32_t>((now_s / 60) & 65535); }
// LFUTimeElapsed.
constexpr std::uint32_t lfu_elapsed(std::uint32_t now_min, std::uint32_t ldt) {
  return now_min >= ldt ? now_min - ldt : 65535 - ldt + now_min;
}
// LFUDecrAndReturn on a 24-bit field (ldt << 8 | counter).
constexpr std::uint32_t lfu_decr_and_return(std::uint32_t field, std::uint32_t now_min, std::uint32_t decay_time) {
  const std::uint32_t ldt = field >> 8;
  std::uint32_t counter = field & 255;
  const std::uint32_t periods = decay_time ? lfu_elapsed(now_min, ldt) / decay_time : 0;
  if (periods) counter = periods > counter ? 0 : counter - periods;
  return counter;
}
// LFULogIncr, with `r` the uniform draw in [0, 1).
constexpr std::uint32_t lfu_log_incr(std::uint32_t counter, double r, std::uint32_t log_factor) {
  if (counter == 255) return 255;
  double baseval = static_cast<double>(counter) - kLfuInitVal;
  if (baseval < 0) baseval = 0;
  const double p = 1.0 / (baseval * log_factor + 1);
  return r < p ? counter + 1 : counter;
}
}  // namespace redis

class RedisSampled {
 public:
  enum class Mode { Lru, Lfu };
  struct Desc {
    Mode mode = Mode::Lru;
    std::size_t capacity = 100;
    int maxmemory_samples = 5;          // 1..64 in config.c
    std::uint32_t lfu_log_factor = 10;
    std::uint32_t lfu_decay_time = 1;   // minutes; 0 = never decay
    std::int64_t clock_offset_s = 0;    // added to now_us for the clocks
    std::uint64_t seed = 1;
  };
  struct PoolEntry {
    std::uint64_t key = 0;
    std::uint64_t idle = 0;  // score: higher = better candidate
    bool used = false;
  };

  explicit RedisSampled(const Desc& d);
  AccessResult access(std::uint64_t key, std::int64_t now_us);
  bool contains(std::uint64_t key) const { return where_.count(key) != 0; }
  std::size_t size() const { return keys_.size(); }
  std::size_t capacity() const { return desc_.capacity; }
  const CacheStats& stats() const { return stats_; }
  const Desc& desc() const { return desc_; }

  // The 24-bit field of a resident key (LRU clock, or ldt << 8 | counter).
  std::uint32_t field(std::uint64_t key) const;
  // OBJECT FREQ: the decayed LFU counter at `now_us` (LFU mode).
  std::uint32_t object_freq(std::uint64_t key, std::int64_t now_us) const;
  // OBJECT IDLETIME in seconds (LRU mode).
  std::uint64_t object_idletime_s(std::uint64_t key, std::int64_t now_us) const;
  const std::array<PoolEntry, redis::kEvictionPoolSize>& pool() const { return pool_; }
  // Keys sampled over the run (for the "cost" of eviction).
  std::uint64_t samples_taken() const { return samples_taken_; }

  // Test hooks: insert a key with a given field without counting a request,
  // and run one eviction (returns the evicted key). Both keep the invariants.
  void debug_insert(std::uint64_t key, std::uint32_t field);
  std::uint64_t debug_evict(std::int64_t now_us) { return evict_one(now_us); }

 private:
  std::uint64_t score(std::uint32_t field, std::int64_t now_us) const;
  void pool_populate(std::int64_t now_us);
  std::uint64_t evict_one(std::int64_t now_us);
  void insert(std::uint64_t key, std::uint32_t field);
  void erase(std::uint64_t key);
  std::uint32_t now_field_lru(std::int64_t now_us) const;
  std::uint32_t now_minutes(std::int64_t now_us) const;

  Desc desc_;
  Rng rng_;
  std::vector<std::uint64_t> keys_;    // resident keys, dense (for uniform sampling)
  std::vector<std::uint32_t> fields_;  // parallel to keys_
  std::unordered_map<std::uint64_t, std::uint32_t> where_;  // key -> index in keys_
  std::array<PoolEntry, redis::kEvictionPoolSize> pool_{};
  std::uint64_t samples_taken_ = 0;
  CacheStats stats_;
};

}  // namespace scalebook::sim::cache
