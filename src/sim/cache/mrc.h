// mrc.h — exact LRU hit ratios for every cache size from one pass over a trace
// (Mattson, Gecsei, Slutz and Traiger, "Evaluation techniques for storage
// hierarchies", IBM Systems Journal 1970: LRU is a stack algorithm, so a
// request hits in an LRU cache of C items exactly when its stack distance —
// the number of distinct keys requested since the same key's previous
// request, plus one — is at most C).
//
// The distances are counted with a Fenwick tree over request positions that
// holds a 1 at each key's most recent request: O(n log n) time and O(n)
// memory for n requests, independent of how many sizes are asked for. The
// result equals running `Lru` once per size (tested on random traces).
// Only LRU (and any other stack algorithm) has this property; FIFO, the Redis
// samplers, memcached's segments and W-TinyLFU do not, so their curves are one
// run per size (workload.h, hit_ratio_curve).
// Does NOT model: byte sizes (a byte-weighted stack distance needs a different
// tree; not done), TTLs.
#pragma once
#include <cstdint>
#include <vector>

namespace scalebook::sim::cache {

class LruStackDistances {
 public:
  explicit LruStackDistances(const std::vector<std::uint64_t>& trace);
  // Hits an LRU cache of `capacity` items would have on the whole trace.
  std::uint64_t hits(std::size_t capacity) const;
  double hit_ratio(std::size_t capacity) const;
  std::uint64_t requests() const { return requests_; }
  std::uint64_t cold_misses() const { return cold_; }  // first requests of a key: a miss at every size
  // Requests with stack distance d, for d = 1 … max_distance() (index 0 unused).
  const std::vector<std::uint64_t>& histogram() const { return histogram_; }
  std::size_t max_distance() const { return histogram_.empty() ? 0 : histogram_.size() - 1; }

 private:
  std::vector<std::uint64_t> histogram_;
  std::vector<std::uint64_t> cumulative_;  // cumulative_[d] = requests with distance ≤ d
  std::uint64_t requests_ = 0, cold_ = 0;
};

}  // namespace scalebook::sim::cache
