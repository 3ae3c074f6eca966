// baselines.h — the textbook policies every real one is measured against:
// FIFO, exact LRU, exact LFU and Belady's OPT (the offline ceiling).
//
// Models (unit-size items, capacity C >= 1, see policy.h):
//  * Fifo — evicts the key inserted longest ago; a hit changes nothing.
//  * Lru  — evicts the key whose last request is oldest (exact: a linked list
//           in recency order, a hit moves the key to the MRU end).
//  * Lfu  — evicts the key with the fewest requests since it was inserted
//           (insertion counts as its first request). Tie rule: among the least
//           frequent, the least recently used goes. Counts are "in-cache": an
//           evicted key forgets its count and comes back at 1 (no ghost
//           history, no aging; see redis.h and tinylfu.h for aged variants).
//  * Opt  — Belady's MIN, offline: it is given the whole trace up front and
//           evicts the resident key whose next request is farthest in the
//           future (never requested again = infinitely far). With `bypass`
//           (the default) a missed key whose own next request is at least as
//           far as that victim's is not cached at all: with unit sizes this is
//           the optimal hit count for ANY policy, including ones that may
//           decline to cache (forced-insertion MIN is not: C=1, trace a b a
//           gives 0 hits for MIN, 1 with bypass). Ties among keys never
//           requested again: the largest key is evicted (any choice is optimal).
//           Opt::access must be called with the trace's keys, in order.
// Invariants: see policy.h; Opt's hit count >= every other policy's on the
// same trace and capacity (tested as a property).
// Does NOT model: byte sizes (OPT with sizes is NP-hard; not attempted), TTLs,
// time (now_us is accepted and ignored).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/cache/node_list.h"
#include "sim/cache/policy.h"

namespace scalebook::sim::cache {

class Fifo {
 public:
  explicit Fifo(std::size_t capacity);
  AccessResult access(std::uint64_t key, std::int64_t now_us = 0);
  bool contains(std::uint64_t key) const { return pool_.contains(key); }
  std::size_t size() const { return pool_.size(); }
  std::size_t capacity() const { return capacity_; }
  const CacheStats& stats() const { return stats_; }
  // Resident keys from the next victim to the newest.
  std::vector<std::uint64_t> order() const;

 private:
  std::size_t capacity_;
  NodePool<NoExtra> pool_;
  ListEnds list_;
  CacheStats stats_;
};

class Lru {
 public:
  explicit Lru(std::size_t capacity);
  AccessResult access(std::uint64_t key, std::int64_t now_us = 0);
  bool contains(std::uint64_t key) const { return pool_.contains(key); }
  std::size_t size() const { return pool_.size(); }
  std::size_t capacity() const { return capacity_; }
  const CacheStats& stats() const { return stats_; }
  // Resident keys from LRU (next victim) to MRU.
  std::vector<std::uint64_t> order() const;

 private:
  std::size_t capacity_;
  NodePool<NoExtra> pool_;
  ListEnds list_;
  CacheStats stats_;
};

class Lfu {
 public:
  explicit Lfu(std::size_t capacity);
  AccessResult access(std::uint64_t key, std::int64_t now_us = 0);
  bool contains(std::uint64_t key) const { return entries_.count(key) != 0; }
  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }
  const CacheStats& stats() const { return stats_; }
  // Requests counted for a resident key (0 if absent).
  std::uint64_t frequency(std::uint64_t key) const;

 private:
  struct Entry {
    std::uint64_t freq;
    std::uint64_t last;  // sequence number of the last request
  };
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::unordered_map<std::uint64_t, Entry> entries_;
  // Ordered by (freq, last): begin() is the victim.
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> order_;
  CacheStats stats_;
};

class Opt {
 public:
  Opt(std::size_t capacity, std::vector<std::uint64_t> trace, bool bypass = true);
  // Throws std::logic_error if `key` is not the trace's next key.
  AccessResult access(std::uint64_t key, std::int64_t now_us = 0);
  bool contains(std::uint64_t key) const { return next_of_.count(key) != 0; }
  std::size_t size() const { return next_of_.size(); }
  std::size_t capacity() const { return capacity_; }
  const CacheStats& stats() const { return stats_; }
  std::size_t position() const { return pos_; }

 private:
  std::size_t capacity_;
  bool bypass_;
  std::vector<std::uint64_t> trace_;
  std::vector<std::uint64_t> next_use_;  // index of the next request for the same key, or kNever
  std::size_t pos_ = 0;
  std::unordered_map<std::uint64_t, std::uint64_t> next_of_;     // resident key -> its next use
  std::set<std::pair<std::uint64_t, std::uint64_t>> by_next_;    // (next use, key); rbegin() is the victim
  CacheStats stats_;
};

}  // namespace scalebook::sim::cache
