// metrics.h — windowed rates and quantiles in bounded memory.
//
// Models:
//  - WindowedCounter: events per second over the last `window` of virtual time,
//    from a ring of `buckets` fixed-width sub-window counters. Memory: one
//    int64 per bucket. Error: the window is quantised to whole buckets (the
//    oldest partial bucket is dropped), so a rate is exact for the window
//    (bucket_start(now) - window + bucket, bucket_end(now)].
//  - LogHistogram: a log-linear histogram (the HdrHistogram idea) of non-negative
//    integer values. Values below 2^kSubBits are counted exactly; above, each
//    power-of-two range is split into 2^kSubBits equal buckets, so a reported
//    quantile is within a relative error of 2^-(kSubBits+1) = 1/64 ≈ 1.6% of the
//    true sample quantile (it returns the bucket midpoint, clamped to the exact
//    min/max). Values >= 2^kMaxBits are counted in the last bucket. Memory:
//    fixed, (kMaxBits - kSubBits + 1) * 2^kSubBits counters (~9 KB).
//  - WindowedHistogram: quantiles over a sliding window: a ring of LogHistograms,
//    one per sub-window, merged on query (same bucket quantisation as the counter).
// Not modelled: exponential decay, weighted samples, negative values.
#pragma once
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace scalebook::sim {

class WindowedCounter {
 public:
  WindowedCounter(std::int64_t window_us = 1000000, int buckets = 10);
  void add(std::int64_t now_us, std::int64_t n = 1);
  // Sum over the window ending at now_us (buckets older than the window are dropped).
  std::int64_t count(std::int64_t now_us) const;
  double rate_per_s(std::int64_t now_us) const;
  std::int64_t window_us() const { return bucket_us_ * static_cast<std::int64_t>(counts_.size()); }

 private:
  std::int64_t bucket_us_;
  std::vector<std::int64_t> counts_;
  std::vector<std::int64_t> index_;  // absolute bucket index each slot holds
};

class LogHistogram {
 public:
  static constexpr int kSubBits = 5;
  static constexpr int kMaxBits = 40;
  static constexpr int kBuckets = (kMaxBits - kSubBits + 1) << kSubBits;
  // Relative error bound of quantile(): half a bucket over the bucket's lower edge.
  static constexpr double kRelativeError = 1.0 / (2 << kSubBits);

  // Inline: the models add a sample per event (a fan-out post adds one per delivery).
  void add(std::uint64_t value, std::uint64_t n = 1) {
    if (n == 0) return;
    counts_[static_cast<std::size_t>(bucket_of(value))] += n;
    count_ += n;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
    sum_ += static_cast<double>(value) * static_cast<double>(n);
  }
  void merge(const LogHistogram& other);
  void clear();
  std::uint64_t count() const { return count_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  // q in [0, 1]; 0 when empty. Nearest-rank definition: the value at rank ceil(q·n).
  std::uint64_t quantile(double q) const;

  static int bucket_of(std::uint64_t v) {
    constexpr std::uint64_t sub = 1ull << kSubBits;
    if (v < sub) return static_cast<int>(v);
    if (v >= (1ull << kMaxBits)) return kBuckets - 1;
    const int e = 63 - std::countl_zero(v);  // floor(log2 v) >= kSubBits
    const int shift = e - kSubBits;
    return static_cast<int>((static_cast<std::uint64_t>(shift + 1) << kSubBits) + ((v >> shift) - sub));
  }
  static std::uint64_t bucket_low(int bucket);
  static std::uint64_t bucket_high(int bucket);  // inclusive

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = ~0ull;
  std::uint64_t max_ = 0;
  double sum_ = 0.0;
};

class WindowedHistogram {
 public:
  WindowedHistogram(std::int64_t window_us = 1000000, int buckets = 4);
  void add(std::int64_t now_us, std::uint64_t value);
  LogHistogram snapshot(std::int64_t now_us) const;

 private:
  std::int64_t bucket_us_;
  std::vector<LogHistogram> parts_;
  std::vector<std::int64_t> index_;
  // The bucket the last add() went to: times [last_lo_us_, last_hi_us_) in parts_[last_slot_] (none yet).
  std::int64_t last_lo_us_ = 0, last_hi_us_ = 0;
  std::size_t last_slot_ = 0;
};

}  // namespace scalebook::sim
