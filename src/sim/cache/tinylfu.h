// tinylfu.h — Caffeine's W-TinyLFU: the 4-bit count-min FrequencySketch and the
// window / probation / protected eviction policy with frequency admission.
//
// Read from ben-manes/caffeine at ccef9554 (2026-08-08):
// caffeine/src/main/java/com/github/benmanes/caffeine/cache/FrequencySketch.java
// (ensureCapacity, frequency, increment, spread, rehash, incrementAt, reset) and
// BoundedLocalCache.java (setMaximumSize, AddTask.run, onAccess,
// reorderProbation, evictFromWindow, evictFromMain, evictAndAdvance, admit,
// demoteFromMainProtected, maintenance, climb). Our own code.
//
// FrequencySketch — bit-exact for integer keys. A key's Java hashCode is taken
// as Long.hashCode ((int)(key ^ key >>> 32)); for keys below 2^31 that equals
// Integer.hashCode (the key itself), which FrequencySketchTest uses. The table
// is ceilingPowerOfTwo(max(maximum, 256)) 64-bit words of sixteen 4-bit
// counters; a key's four counters live in one 8-word (64-byte) block chosen by
// spread(hash) & blockMask, counter i in word block + 2i + (h_i & 1) at nibble
// (h_i >>> 1) & 15 where h_i = rehash(spread(hash)) >>> 8i. frequency = min of
// the four; increment bumps each unless at 15, and when any was bumped counts a
// sample; at sampleSize = 10 · max(maximum, 256) samples, reset() halves every
// counter and sets size = max(0, (size − odd_counters/4) >>> 1) with Java's
// long-to-int truncation. ensureCapacity keeps a large-enough table and then
// only retracks sampleSize and clamps size to sampleSize − 1 (current code).
//
// WTinyLfu — a cache of maximum M items, sized as setMaximumSize does:
// window = M − (long)(0.99·M), protected = (long)(0.80·(M − window)),
// probation = the rest. A miss is AddTask: the key joins the window's MRU end
// and is counted in the sketch (the sketch is initialised lazily, only once the
// cache holds >= M/2 items: increments before that are lost, as in Caffeine). A
// hit is onAccess: count it; window/protected hits move to MRU; a probation hit
// moves the key to protected's MRU end — except before the sketch exists:
// afterRead's skipReadBuffer() (fastpath() is true for a plain maximumSize
// cache, AddFastPath in the code generator) drops those reads entirely, so they
// neither reorder nor promote. After each request the maintenance
// cycle runs: evictFromWindow moves the window's LRU overflow to probation's
// MRU end (these are the candidates); evictFromMain, while over M, pits the
// first candidate against the probation LRU victim (falling back to protected's
// then the window's LRU when probation runs out) and evicts the loser; then
// demoteFromMainProtected moves protected overflow to probation's MRU end.
// admit(candidate, victim): candidate frequency > victim's admits; otherwise a
// candidate with frequency >= 6 (ADMIT_HASHDOS_THRESHOLD) is admitted at random
// with probability 1/128 ((nextInt() & 127) == 0) — here the low 7 bits of the
// seeded scalebook::sim::Rng instead of ThreadLocalRandom; ties keep the victim.
//
// Simplifications: every request is processed synchronously (Caffeine buffers
// reads in a lossy ring buffer and drains asynchronously; under load some reads
// are never recorded); weights are all 1.
// The adaptive window (Desc::adaptive, off by default so the fixed 1 % window
// stays available): the hill climber of the latest Caffeine release, v3.2.4
// (BoundedLocalCache.climb, determineAdjustment, increaseWindow, decreaseWindow;
// read from the v3.2.4 tag). Every request counts toward a sample (a recorded hit
// in onAccess, every miss in AddTask); while the sketch does not exist the sample
// is reset. Once a sample holds sampleSize (10 · max(M, 256)) requests, its hit
// rate is compared with the previous sample's: the step keeps its sign if the hit
// rate did not fall and flips if it did; the next step is 6.25 % of M (in the
// step's direction) when the hit rate moved by 0.05 or more, else 0.98 · the step;
// the window grows (taking capacity from protected) or shrinks (giving it to
// protected) by (long) step, moving at most 1,000 entries per maintenance cycle
// (LRU ends first: probation, then protected, into the window's MRU end; or the
// window's LRU into probation's MRU end) and carrying the rest of the quota to
// the next cycle. The first step is negative: the window starts by shrinking.
// Caffeine's main branch replaced this climber in August 2026 (ccef9554,
// WindowClimber.java: hit density per region, probes and audits), in no release
// yet; it is not modelled.
// Does NOT model: weighted entries, expiry, refresh, removal listeners.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/cache/node_list.h"
#include "sim/cache/policy.h"
#include "sim/core/rng.h"

namespace scalebook::sim::cache {

class FrequencySketch {
 public:
  static constexpr std::uint64_t kResetMask = 0x7777777777777777ull;
  static constexpr std::uint64_t kOneMask = 0x1111111111111111ull;
  static constexpr std::int32_t kMinSketchSize = 256;

  // Java's Long.hashCode for an integer key.
  static std::int32_t java_hash(std::uint64_t key) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(key ^ (key >> 32))); }
  static std::int32_t spread(std::int32_t x);
  static std::int32_t rehash(std::int32_t x);

  void ensure_capacity(std::int64_t maximum_size);
  bool initialized() const { return !table_.empty(); }
  int frequency_of_hash(std::int32_t hash) const;
  void increment_hash(std::int32_t hash);
  int frequency(std::uint64_t key) const { return frequency_of_hash(java_hash(key)); }
  void increment(std::uint64_t key) { increment_hash(java_hash(key)); }
  bool increment_at(std::size_t word, int nibble);
  void reset();

  // The fields FrequencySketchTest inspects.
  const std::vector<std::uint64_t>& table() const { return table_; }
  std::vector<std::uint64_t>& mutable_table() { return table_; }
  std::int32_t sample_size() const { return sample_size_; }
  void set_sample_size(std::int32_t s) { sample_size_ = s; }
  std::int32_t block_mask() const { return block_mask_; }
  std::int32_t size() const { return size_; }
  void set_size(std::int32_t s) { size_ = s; }

 private:
  std::int32_t sample_size_ = 0;
  std::int32_t block_mask_ = 0;
  std::vector<std::uint64_t> table_;
  std::int32_t size_ = 0;
};

class WTinyLfu {
 public:
  enum class Queue : std::uint8_t { Window, Probation, Protected };
  struct Desc {
    std::size_t capacity = 100;
    std::uint64_t seed = 1;
    bool adaptive = false;  // Caffeine v3.2.4's hill climber resizes the window
  };
  explicit WTinyLfu(const Desc& d);

  AccessResult access(std::uint64_t key, std::int64_t now_us = 0);
  bool contains(std::uint64_t key) const { return pool_.contains(key); }
  std::size_t size() const { return pool_.size(); }
  std::size_t capacity() const { return static_cast<std::size_t>(maximum_); }
  const CacheStats& stats() const { return stats_; }
  const FrequencySketch& sketch() const { return sketch_; }

  std::int64_t window_maximum() const { return window_max_; }
  std::int64_t protected_maximum() const { return protected_max_; }
  std::size_t window_size() const { return window_.length; }
  std::size_t probation_size() const { return probation_.length; }
  std::size_t protected_size() const { return protected_.length; }
  // Where a resident key is (undefined for an absent key: check contains()).
  Queue queue_of(std::uint64_t key) const { return pool_[pool_.find(key)].extra.queue; }
  // Keys of one queue, LRU first.
  std::vector<std::uint64_t> keys(Queue q) const;
  // Admission decisions taken by evictFromMain (candidate vs victim).
  std::uint64_t admitted() const { return admitted_; }
  std::uint64_t rejected() const { return rejected_; }
  std::uint64_t random_admissions() const { return random_admissions_; }
  // Decisions that went to the random draw (candidate freq >= 6, not above the victim's).
  std::uint64_t random_draws() const { return random_draws_; }
  // The hill climber's state (Desc::adaptive): its step, the last sample's hit
  // rate, the quota still to move, and how many samples have completed.
  double step_size() const { return step_size_; }
  double previous_sample_hit_rate() const { return previous_hit_rate_; }
  std::int64_t adjustment() const { return adjustment_; }
  std::uint64_t samples() const { return samples_; }

 private:
  struct Extra {
    Queue queue = Queue::Window;
  };
  ListEnds& list(Queue q) { return q == Queue::Window ? window_ : q == Queue::Probation ? probation_ : protected_; }
  const ListEnds& list(Queue q) const { return q == Queue::Window ? window_ : q == Queue::Probation ? probation_ : protected_; }
  void transfer(std::uint32_t node, Queue to);
  std::uint32_t evict_and_advance(std::uint32_t node, AccessResult& r);
  std::uint32_t evict_from_window();
  void evict_from_main(std::uint32_t candidate, AccessResult& r);
  bool admit(std::uint64_t candidate, std::uint64_t victim);
  void demote_from_main_protected();
  void climb();
  void determine_adjustment();
  void increase_window();
  void decrease_window();

  std::int64_t maximum_, window_max_, protected_max_;
  NodePool<Extra> pool_;
  ListEnds window_, probation_, protected_;
  FrequencySketch sketch_;
  Rng rng_;
  CacheStats stats_;
  std::uint64_t admitted_ = 0, rejected_ = 0, random_admissions_ = 0, random_draws_ = 0;
  bool adaptive_ = false;
  std::int64_t hits_in_sample_ = 0, misses_in_sample_ = 0, adjustment_ = 0;
  double step_size_ = 0, previous_hit_rate_ = 0;
  std::uint64_t samples_ = 0;
};

}  // namespace scalebook::sim::cache
