// memcached.h — memcached's segmented LRU (HOT / WARM / COLD) for one slab
// class, as items.c runs it with the default ("modern") settings.
//
// Read from memcached/memcached at 2d51e364 (2026-07-09): items.c
// (do_item_alloc_pull, do_item_alloc, do_item_link, do_item_bump,
// do_item_update, lru_pull_tail, lru_maintainer_juggle, lru_maintainer_thread's
// MIN/MAX_LRU_MAINTAINER_SLEEP) and memcached.c settings_init (lru_segmented
// true, hot_lru_pct 20, warm_lru_pct 40, hot_max_factor 0.2, warm_max_factor
// 2.0, temp_lru false, temporary_ttl 61; the maintainer thread is started by
// default). Our own code.
//
// Models (capacity C items, every item the same size, so "bytes" = items):
//  * Per item: its LRU (HOT, WARM, COLD), FETCHED, ACTIVE, and `time` (seconds:
//    memcached's current_time has 1-second resolution; set when linked and when
//    bumped). Lists are LRU-ordered; "tail" = oldest.
//  * set after a miss (do_item_alloc_pull + do_item_link): if the slab class is
//    full, lru_pull_tail(COLD, EVICT) evicts COLD's tail (ACTIVE or not); if
//    COLD is empty, lru_pull_tail(HOT, total 0) pushes HOT's tail down (to WARM if
//    ACTIVE, else to COLD) and the allocation retries (up to 10 times, as the
//    code). WARM is never pulled here: if HOT and COLD are both empty (all in
//    WARM) the ten tries fail and the store is refused (out of memory:
//    AccessResult.admitted = false, counted in CacheStats.rejections) until the
//    maintainer juggles WARM's overflow down. The new item is linked at HOT's
//    head, not FETCHED, time = now.
//  * get hit (do_item_bump): an item not ACTIVE becomes FETCHED on its first hit
//    and ACTIVE on the next; becoming ACTIVE bumps `time` in HOT/WARM, and in
//    COLD queues an async bump which (do_item_update) moves it to WARM's head
//    and clears ACTIVE. An ACTIVE item's later hits change nothing (not even
//    `time`). Items never move on a hit otherwise: they move when they reach a
//    list's tail.
//  * The LRU maintainer (lru_maintainer_juggle): total = HOT+WARM+COLD items;
//    cold_age = now − COLD tail's time (0 if COLD is empty); hot_age = cold_age ·
//    0.2, warm_age = cold_age · 2.0 (truncated to whole seconds, like the
//    rel_time_t assignment). Up to 500 rounds of: pull HOT's tail, and only if
//    that moved nothing pull WARM's tail; then pull COLD's tail; stop when a round
//    moves nothing. lru_pull_tail for HOT/WARM: an ACTIVE tail loses ACTIVE and
//    goes to WARM's head (from HOT; stops) or back to WARM's head (from WARM;
//    keeps scanning, up to 5 items); else a tail over its limit (HOT: size >
//    total·20/100, WARM: size > total·40/100, integer division) or idle longer
//    than the list's max age goes to COLD's head; else nothing. For COLD
//    (without EVICT) an ACTIVE tail goes to WARM.
//  * Timing: the maintainer sleeps 1 ms..1 s adaptively; here it juggles before
//    a request whenever `juggle_interval_us` (default 1000 µs, its minimum sleep)
//    has passed since the last juggle. Async bumps are applied immediately.
// Counters mirror `stats items`: moves_to_cold, moves_to_warm,
// moves_within_lru, evicted, evicted_unfetched, evicted_active.
// Discrepancy noted: the -o help text calls hot_lru_pct/warm_lru_pct a
// "pct of slab memory", but lru_maintainer_juggle applies them to the bytes
// currently linked in the class's HOT+WARM+COLD lists; we follow the code.
// Does NOT model: TEMP_LRU (off by default; temp_lru enables it for TTL <=
// temporary_ttl), TTLs and expiry reclaim, slab classes / item sizes / slab
// rebalancing, refcount-locked tails and tail repair, the LRU crawler, flat
// (non-segmented) mode, extstore.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/cache/node_list.h"
#include "sim/cache/policy.h"

namespace scalebook::sim::cache {

class MemcachedSlru {
 public:
  enum class Lru : std::uint8_t { Hot, Warm, Cold };
  struct Desc {
    std::size_t capacity = 1000;
    int hot_lru_pct = 20;
    int warm_lru_pct = 40;
    double hot_max_factor = 0.2;
    double warm_max_factor = 2.0;
    std::int64_t juggle_interval_us = 1000;
  };
  struct Counters {
    std::uint64_t moves_to_cold = 0, moves_to_warm = 0, moves_within_lru = 0;
    std::uint64_t evicted = 0, evicted_unfetched = 0, evicted_active = 0;
    std::uint64_t juggles = 0;
  };

  explicit MemcachedSlru(const Desc& d);
  AccessResult access(std::uint64_t key, std::int64_t now_us);
  bool contains(std::uint64_t key) const { return pool_.contains(key); }
  std::size_t size() const { return pool_.size(); }
  std::size_t capacity() const { return desc_.capacity; }
  const CacheStats& stats() const { return stats_; }
  const Counters& counters() const { return counters_; }
  std::size_t count(Lru l) const { return list(l).length; }
  // Keys of one list, tail (oldest) first.
  std::vector<std::uint64_t> keys(Lru l) const;
  Lru lru_of(std::uint64_t key) const { return pool_[pool_.find(key)].extra.lru; }
  bool active(std::uint64_t key) const { return pool_[pool_.find(key)].extra.active; }
  bool fetched(std::uint64_t key) const { return pool_[pool_.find(key)].extra.fetched; }
  // Runs lru_maintainer_juggle at `now_us` (also called by access on schedule).
  void juggle(std::int64_t now_us);

 private:
  struct Extra {
    Lru lru = Lru::Hot;
    bool fetched = false, active = false;
    std::int64_t time_s = 0;
  };
  ListEnds& list(Lru l) { return l == Lru::Hot ? hot_ : l == Lru::Warm ? warm_ : cold_; }
  const ListEnds& list(Lru l) const { return l == Lru::Hot ? hot_ : l == Lru::Warm ? warm_ : cold_; }
  void move(std::uint32_t node, Lru to);  // to the head (newest end) of `to`
  int pull_tail(Lru cur, std::uint64_t total, bool evict, std::int64_t max_age_s, std::int64_t now_s, AccessResult* r);

  Desc desc_;
  NodePool<Extra> pool_;
  ListEnds hot_, warm_, cold_;
  std::int64_t next_juggle_us_ = 0;
  CacheStats stats_;
  Counters counters_;
};

}  // namespace scalebook::sim::cache
