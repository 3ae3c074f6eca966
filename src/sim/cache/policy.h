// policy.h — what every cache policy in src/sim/cache/ has in common.
//
// Models: a cache holding at most `capacity` items (unit size: capacity is in
// items, not bytes), fed one key (uint64) per request. A request is a hit when
// the key is resident. A miss "fetches" the key and offers it to the cache; the
// policy decides what to evict (and, for OPT and W-TinyLFU, whether the new key
// stays at all). Every policy has the same call:
//
//   AccessResult access(std::uint64_t key, std::int64_t now_us);
//
// `now_us` is the request's time in integer microseconds; only the Redis
// policies read it (their LRU clock and LFU decay are clocked); the others
// ignore it. Times must not decrease.
//
// Invariants for every policy: size() <= capacity after each access;
// hits + misses = requests; size = misses − evictions − rejections; a key
// evicted is no longer resident; on a hit nothing is evicted.
// The policies: baselines.h (FIFO, LRU, LFU, OPT), redis.h, tinylfu.h,
// memcached.h; workload.h has the generators, a handle over all of them
// (Cache) and the runner.
// Does NOT model (anywhere here, unless a policy's header says otherwise):
// object sizes in bytes, TTL expiry, deletes/overwrites, concurrency, the cost
// of a miss.
#pragma once
#include <cstdint>

namespace scalebook::sim::cache {

struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;
  // Misses whose key is not resident after the request: OPT's bypass, or
  // memcached refusing the store (out of memory with everything in WARM).
  // (W-TinyLFU always keeps the requested key in its window; a candidate it
  // rejects is counted as an eviction.)
  std::uint64_t rejections = 0;
  std::uint64_t requests() const { return hits + misses; }
  double hit_ratio() const { return requests() ? static_cast<double>(hits) / static_cast<double>(requests()) : 0.0; }
  bool operator==(const CacheStats&) const = default;
};

struct AccessResult {
  bool hit = false;
  bool evicted = false;            // a resident key was evicted by this request
  std::uint64_t evicted_key = 0;   // meaningful when `evicted`
  bool admitted = true;            // after a miss: the requested key is now resident
  bool operator==(const AccessResult&) const = default;
};

// Small helper the policies use to keep their counters consistent.
inline void count(CacheStats& s, const AccessResult& r) {
  if (r.hit) {
    ++s.hits;
    return;
  }
  ++s.misses;
  if (r.evicted) ++s.evictions;
  if (!r.admitted) ++s.rejections;
}

}  // namespace scalebook::sim::cache
