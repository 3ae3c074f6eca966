#include "sim/cache/memcached.h"

namespace scalebook::sim::cache {

MemcachedSlru::MemcachedSlru(const Desc& d) : desc_(d) {
  if (desc_.capacity == 0) desc_.capacity = 1;
  pool_.reserve(desc_.capacity);
}

void MemcachedSlru::move(std::uint32_t node, Lru to) {
  auto& n = pool_[node];
  pool_.unlink(list(n.extra.lru), node);
  n.extra.lru = to;
  pool_.push_tail(list(to), node);  // our list's tail is memcached's head (newest)
}

// lru_pull_tail for one list; returns the code's `removed` count.
int MemcachedSlru::pull_tail(Lru cur, std::uint64_t total, bool evict, std::int64_t max_age_s, std::int64_t now_s, AccessResult* r) {
  int removed = 0;
  std::uint32_t search = list(cur).head;  // memcached's tail: the oldest
  for (int tries = 5; tries > 0 && search != kNoNode; --tries) {
    const std::uint32_t next_it = pool_[search].next;  // the next older item, taken before any relink
    Extra& e = pool_[search].extra;
    bool stop = true;
    switch (cur) {
      case Lru::Hot:
      case Lru::Warm: {
        const std::uint64_t pct = static_cast<std::uint64_t>(cur == Lru::Hot ? desc_.hot_lru_pct : desc_.warm_lru_pct);
        std::uint64_t limit = total * pct / 100;
        if (cur == Lru::Hot && limit == 0) limit = total * static_cast<std::uint64_t>(desc_.warm_lru_pct) / 100;  // the case fall-through
        if (e.active) {
          e.active = false;
          ++removed;
          if (cur == Lru::Warm) {
            ++counters_.moves_within_lru;
            move(search, Lru::Warm);
            stop = false;  // keep walking up the tail
          } else {
            ++counters_.moves_to_warm;
            move(search, Lru::Warm);
          }
        } else if (list(cur).length > limit || now_s - e.time_s > max_age_s) {
          ++counters_.moves_to_cold;
          move(search, Lru::Cold);
          ++removed;
        }
        break;
      }
      case Lru::Cold:
        if (evict) {
          ++counters_.evicted;
          if (!e.fetched) ++counters_.evicted_unfetched;
          if (e.active) ++counters_.evicted_active;
          if (r) {
            r->evicted = true;
            r->evicted_key = pool_[search].key;
          }
          ++stats_.evictions;
          pool_.unlink(cold_, search);
          pool_.release(search);
          ++removed;
        } else if (e.active) {
          ++counters_.moves_to_warm;
          e.active = false;
          move(search, Lru::Warm);
          ++removed;
        }
        break;
    }
    if (stop) break;
    search = next_it;
  }
  return removed;
}

void MemcachedSlru::juggle(std::int64_t now_us) {
  ++counters_.juggles;
  const std::int64_t now_s = now_us / 1000000;
  std::int64_t cold_age = 0;
  if (cold_.head != kNoNode) cold_age = now_s - pool_[cold_.head].extra.time_s;
  // rel_time_t (unsigned int) = unsigned int * double: truncated toward zero.
  const auto hot_age = static_cast<std::int64_t>(static_cast<double>(cold_age) * desc_.hot_max_factor);
  const auto warm_age = static_cast<std::int64_t>(static_cast<double>(cold_age) * desc_.warm_max_factor);
  const std::uint64_t total = pool_.size();
  for (int i = 0; i < 500; ++i) {
    int do_more = 0;
    if (pull_tail(Lru::Hot, total, false, hot_age, now_s, nullptr) || pull_tail(Lru::Warm, total, false, warm_age, now_s, nullptr)) ++do_more;
    do_more += pull_tail(Lru::Cold, total, false, 0, now_s, nullptr);
    if (do_more == 0) break;
  }
}

AccessResult MemcachedSlru::access(std::uint64_t key, std::int64_t now_us) {
  if (now_us >= next_juggle_us_) {
    juggle(now_us);
    next_juggle_us_ = now_us + (desc_.juggle_interval_us > 0 ? desc_.juggle_interval_us : 1);
  }
  const std::int64_t now_s = now_us / 1000000;
  AccessResult r;
  const std::uint32_t node = pool_.find(key);
  if (node != kNoNode) {  // get hit: do_item_bump
    r.hit = true;
    ++stats_.hits;
    Extra& e = pool_[node].extra;
    if (!e.active) {
      if (!e.fetched) {
        e.fetched = true;
      } else {
        e.active = true;
        if (e.lru != Lru::Cold) {
          e.time_s = now_s;
        } else {  // the async bump, applied at once: do_item_update
          e.time_s = now_s;
          e.active = false;
          move(node, Lru::Warm);
        }
      }
    }
    return r;
  }
  ++stats_.misses;  // get miss, then set: do_item_alloc_pull + do_item_link
  for (int i = 0; i < 10 && pool_.size() >= desc_.capacity; ++i) {
    if (pull_tail(Lru::Cold, 0, true, 0, now_s, &r) <= 0) pull_tail(Lru::Hot, 0, false, 0, now_s, nullptr);
  }
  if (pool_.size() >= desc_.capacity) {  // out of memory: nothing in HOT or COLD to free (all in WARM)
    r.admitted = false;
    ++stats_.rejections;
    return r;
  }
  const std::uint32_t n = pool_.allocate(key, Extra{Lru::Hot, false, false, now_s});
  pool_.push_tail(hot_, n);
  return r;
}

std::vector<std::uint64_t> MemcachedSlru::keys(Lru l) const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t i = list(l).head; i != kNoNode; i = pool_[i].next) out.push_back(pool_[i].key);
  return out;
}

}  // namespace scalebook::sim::cache
