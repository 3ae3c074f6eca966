#include "sim/cache/tinylfu.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace scalebook::sim::cache {

// ---- FrequencySketch (Java int arithmetic: wrap-around on uint32) -----------

namespace {
std::uint32_t u(std::int32_t x) { return static_cast<std::uint32_t>(x); }
std::int32_t s(std::uint32_t x) { return static_cast<std::int32_t>(x); }
}  // namespace

std::int32_t FrequencySketch::spread(std::int32_t xi) {
  std::uint32_t x = u(xi);
  x ^= x >> 17;
  x *= 0xed5ad4bbu;
  x ^= x >> 11;
  x *= 0xac4c1b51u;
  x ^= x >> 15;
  return s(x);
}

std::int32_t FrequencySketch::rehash(std::int32_t xi) {
  std::uint32_t x = u(xi);
  x *= 0x31848babu;
  x ^= x >> 14;
  return s(x);
}

void FrequencySketch::ensure_capacity(std::int64_t maximum_size) {
  if (maximum_size < 0) maximum_size = 0;  // Caffeine throws IllegalArgumentException
  constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
  const auto maximum = static_cast<std::int32_t>(std::max<std::int64_t>(std::min<std::int64_t>(maximum_size, kIntMax >> 1), kMinSketchSize));
  const auto sample = static_cast<std::int32_t>(std::min<std::int64_t>(std::int64_t{10} * maximum, kIntMax));
  if (!table_.empty() && table_.size() >= static_cast<std::size_t>(maximum)) {
    if (sample != sample_size_) {
      sample_size_ = sample;
      size_ = std::min(size_, sample_size_ - 1);
    }
    return;
  }
  table_.assign(std::bit_ceil(static_cast<std::uint32_t>(maximum)), 0);
  block_mask_ = static_cast<std::int32_t>((table_.size() >> 3) - 1);
  sample_size_ = sample;
  size_ = 0;
}

int FrequencySketch::frequency_of_hash(std::int32_t hash) const {
  if (!initialized()) return 0;
  int frequency = std::numeric_limits<int>::max();
  const std::uint32_t block_hash = u(spread(hash));
  const std::uint32_t counter_hash = u(rehash(s(block_hash)));
  const std::uint32_t block = (block_hash & u(block_mask_)) << 3;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t h = counter_hash >> (i << 3);
    const std::uint32_t index = (h >> 1) & 15;
    const std::uint32_t offset = h & 1;
    const std::uint32_t slot = block + offset + (static_cast<std::uint32_t>(i) << 1);
    const int count = static_cast<int>((table_[slot] >> (index << 2)) & 0xfull);
    frequency = std::min(frequency, count);
  }
  return frequency;
}

bool FrequencySketch::increment_at(std::size_t word, int nibble) {
  const int offset = nibble << 2;
  const std::uint64_t mask = 0xfull << offset;
  if ((table_[word] & mask) != mask) {
    table_[word] += 1ull << offset;
    return true;
  }
  return false;
}

void FrequencySketch::increment_hash(std::int32_t hash) {
  if (!initialized()) return;
  const std::uint32_t block_hash = u(spread(hash));
  const std::uint32_t counter_hash = u(rehash(s(block_hash)));
  const std::uint32_t block = (block_hash & u(block_mask_)) << 3;
  bool added = false;
  for (int i = 0; i < 4; ++i) {  // all four, no short-circuit (Java's `|`)
    const std::uint32_t h = counter_hash >> (i << 3);
    const int index = static_cast<int>((h >> 1) & 15);
    const std::uint32_t slot = block + (h & 1) + (static_cast<std::uint32_t>(i) << 1);
    added = increment_at(slot, index) || added;
  }
  if (added && ++size_ == sample_size_) reset();
}

void FrequencySketch::reset() {
  std::int64_t count = 0;
  for (auto& w : table_) {
    count += std::popcount(w & kOneMask);
    w = (w >> 1) & kResetMask;
  }
  // Java: Math.max(0, (int) ((size - (count >>> 2)) >>> 1)) — a long shifted
  // logically, then truncated to int.
  const std::int64_t diff = static_cast<std::int64_t>(size_) - (count >> 2);
  const auto halved = static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(diff) >> 1));
  size_ = std::max<std::int32_t>(0, halved);
}

// ---- W-TinyLFU --------------------------------------------------------------

WTinyLfu::WTinyLfu(const Desc& d) : rng_(d.seed), adaptive_(d.adaptive) {
  const auto max = static_cast<std::int64_t>(d.capacity ? d.capacity : 1);
  maximum_ = max;
  step_size_ = -0.0625 * static_cast<double>(max);  // -HILL_CLIMBER_STEP_PERCENT · maximum
  window_max_ = max - static_cast<std::int64_t>(0.99 * static_cast<double>(max));        // PERCENT_MAIN
  protected_max_ = static_cast<std::int64_t>(0.80 * static_cast<double>(max - window_max_));  // PERCENT_MAIN_PROTECTED
  pool_.reserve(static_cast<std::size_t>(max) + 1);
}

void WTinyLfu::transfer(std::uint32_t node, Queue to) {
  auto& n = pool_[node];
  pool_.unlink(list(n.extra.queue), node);
  n.extra.queue = to;
  pool_.push_tail(list(to), node);
}

std::uint32_t WTinyLfu::evict_and_advance(std::uint32_t node, AccessResult& r) {
  const std::uint32_t next = pool_[node].next;
  r.evicted = true;
  r.evicted_key = pool_[node].key;
  ++stats_.evictions;
  pool_.unlink(list(pool_[node].extra.queue), node);
  pool_.release(node);
  return next;
}

std::uint32_t WTinyLfu::evict_from_window() {
  std::uint32_t first = kNoNode;
  std::uint32_t node = window_.head;
  while (static_cast<std::int64_t>(window_.length) > window_max_ && node != kNoNode) {
    const std::uint32_t next = pool_[node].next;
    transfer(node, Queue::Probation);
    if (first == kNoNode) first = node;
    node = next;
  }
  return first;
}

bool WTinyLfu::admit(std::uint64_t candidate, std::uint64_t victim) {
  const int candidate_freq = sketch_.frequency(candidate);
  const int victim_freq = sketch_.frequency(victim);
  if (candidate_freq > victim_freq) return true;
  if (candidate_freq >= 6) {  // ADMIT_HASHDOS_THRESHOLD
    ++random_draws_;
    const bool lucky = (rng_.next_u64() & 127) == 0;
    if (lucky) ++random_admissions_;
    return lucky;
  }
  return false;
}

void WTinyLfu::evict_from_main(std::uint32_t candidate, AccessResult& r) {
  Queue victim_queue = Queue::Probation;
  Queue candidate_queue = Queue::Probation;
  std::uint32_t victim = probation_.head;
  while (static_cast<std::int64_t>(pool_.size()) > maximum_) {
    if (candidate == kNoNode && candidate_queue == Queue::Probation) {
      candidate = window_.head;
      candidate_queue = Queue::Window;
    }
    if (candidate == kNoNode && victim == kNoNode) {
      if (victim_queue == Queue::Probation) {
        victim = protected_.head;
        victim_queue = Queue::Protected;
        continue;
      }
      if (victim_queue == Queue::Protected) {
        victim = window_.head;
        victim_queue = Queue::Window;
        continue;
      }
      break;
    }
    if (victim == kNoNode) {
      candidate = evict_and_advance(candidate, r);
      continue;
    }
    if (candidate == kNoNode) {
      victim = evict_and_advance(victim, r);
      continue;
    }
    if (candidate == victim) {
      victim = evict_and_advance(victim, r);
      candidate = kNoNode;
      continue;
    }
    if (admit(pool_[candidate].key, pool_[victim].key)) {
      ++admitted_;
      victim = evict_and_advance(victim, r);
      candidate = pool_[candidate].next;  // read after the eviction, as Java does
    } else {
      ++rejected_;
      candidate = evict_and_advance(candidate, r);
    }
  }
}

void WTinyLfu::demote_from_main_protected() {
  for (int i = 0; i < 1000 && static_cast<std::int64_t>(protected_.length) > protected_max_; ++i) {  // QUEUE_TRANSFER_THRESHOLD
    const std::uint32_t demoted = protected_.head;
    if (demoted == kNoNode) break;
    transfer(demoted, Queue::Probation);
  }
}

AccessResult WTinyLfu::access(std::uint64_t key, std::int64_t) {
  AccessResult r;
  const std::uint32_t node = pool_.find(key);
  if (node != kNoNode && !sketch_.initialized()) {
    // afterRead's skipReadBuffer(): a maximum-size cache takes the fast path and
    // records no read at all (no reorder, no promotion) until the sketch exists.
    r.hit = true;
    ++stats_.hits;
  } else if (node != kNoNode) {  // onAccess
    r.hit = true;
    ++stats_.hits;
    ++hits_in_sample_;
    sketch_.increment(key);
    switch (pool_[node].extra.queue) {
      case Queue::Window: pool_.move_to_tail(window_, node); break;
      case Queue::Probation:  // reorderProbation
        if (1 > protected_max_) pool_.move_to_tail(probation_, node);
        else transfer(node, Queue::Protected);
        break;
      case Queue::Protected: pool_.move_to_tail(protected_, node); break;
    }
  } else {  // AddTask
    ++stats_.misses;
    ++misses_in_sample_;
    const std::uint32_t n = pool_.allocate(key, Extra{Queue::Window});
    if (static_cast<std::int64_t>(pool_.size()) >= (maximum_ >> 1)) sketch_.ensure_capacity(maximum_);
    sketch_.increment(key);
    if (1 > window_max_) pool_.push_head(window_, n);
    else pool_.push_tail(window_, n);
  }
  // maintenance: evictEntries, then climb
  evict_from_main(evict_from_window(), r);
  climb();
  return r;
}

void WTinyLfu::climb() {
  if (adaptive_) determine_adjustment();
  demote_from_main_protected();
  if (!adaptive_ || adjustment_ == 0) return;
  if (adjustment_ > 0) increase_window();
  else decrease_window();
}

void WTinyLfu::determine_adjustment() {
  if (!sketch_.initialized()) {
    previous_hit_rate_ = 0.0;
    misses_in_sample_ = 0;
    hits_in_sample_ = 0;
    return;
  }
  const std::int64_t requests = hits_in_sample_ + misses_in_sample_;
  if (requests < sketch_.sample_size()) return;
  const double hit_rate = static_cast<double>(hits_in_sample_) / static_cast<double>(requests);
  const double change = hit_rate - previous_hit_rate_;
  const double amount = change >= 0 ? step_size_ : -step_size_;
  const double next = (change >= 0.05 || change <= -0.05)  // HILL_CLIMBER_RESTART_THRESHOLD
                          ? 0.0625 * static_cast<double>(maximum_) * (amount >= 0 ? 1 : -1)
                          : 0.98 * amount;  // HILL_CLIMBER_STEP_DECAY_RATE
  previous_hit_rate_ = hit_rate;
  adjustment_ = static_cast<std::int64_t>(amount);  // Java's (long): toward zero
  step_size_ = next;
  misses_in_sample_ = 0;
  hits_in_sample_ = 0;
  ++samples_;
}

void WTinyLfu::increase_window() {
  if (protected_max_ == 0) return;
  std::int64_t quota = std::min(adjustment_, protected_max_);
  protected_max_ -= quota;
  window_max_ += quota;
  demote_from_main_protected();
  for (int i = 0; i < 1000; ++i) {  // QUEUE_TRANSFER_THRESHOLD
    std::uint32_t candidate = probation_.head;
    if (candidate == kNoNode || quota < 1) candidate = protected_.head;
    if (candidate == kNoNode || quota < 1) break;
    --quota;
    transfer(candidate, Queue::Window);
  }
  protected_max_ += quota;
  window_max_ -= quota;
  adjustment_ = quota;
}

void WTinyLfu::decrease_window() {
  if (window_max_ <= 1) return;
  std::int64_t quota = std::min(-adjustment_, std::max<std::int64_t>(0, window_max_ - 1));
  protected_max_ += quota;
  window_max_ -= quota;
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t candidate = window_.head;
    if (candidate == kNoNode || quota < 1) break;
    --quota;
    transfer(candidate, Queue::Probation);
  }
  protected_max_ -= quota;
  window_max_ += quota;
  adjustment_ = -quota;
}

std::vector<std::uint64_t> WTinyLfu::keys(Queue q) const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t i = list(q).head; i != kNoNode; i = pool_[i].next) out.push_back(pool_[i].key);
  return out;
}

}  // namespace scalebook::sim::cache
