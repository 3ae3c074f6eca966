#include "sim/core/metrics.h"


#include "sim/core/virtual_time.h"

namespace scalebook::sim {

// [SECTION] WindowedCounter

WindowedCounter::WindowedCounter(std::int64_t window_us, int buckets)
    : bucket_us_(window_us / (buckets > 0 ? buckets : 1) > 0 ? window_us / (buckets > 0 ? buckets : 1) : 1),
      counts_(buckets > 0 ? buckets : 1, 0),
      index_(buckets > 0 ? buckets : 1, -1) {}

void WindowedCounter::add(std::int64_t now_us, std::int64_t n) {
  const std::int64_t b = floor_div(now_us, bucket_us_);
  const auto slots = static_cast<std::int64_t>(counts_.size());
  const auto s = static_cast<std::size_t>(((b % slots) + slots) % slots);
  if (index_[s] != b) {
    index_[s] = b;
    counts_[s] = 0;
  }
  counts_[s] += n;
}

std::int64_t WindowedCounter::count(std::int64_t now_us) const {
  const std::int64_t b = floor_div(now_us, bucket_us_);
  const auto n = static_cast<std::int64_t>(counts_.size());
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (index_[i] > b - n && index_[i] <= b) sum += counts_[i];
  return sum;
}

double WindowedCounter::rate_per_s(std::int64_t now_us) const {
  return static_cast<double>(count(now_us)) * static_cast<double>(kUsPerS) / static_cast<double>(window_us());
}

// [SECTION] LogHistogram

std::uint64_t LogHistogram::bucket_low(int b) {
  constexpr std::uint64_t sub = 1ull << kSubBits;
  if (b < static_cast<int>(sub)) return static_cast<std::uint64_t>(b);
  const int shift = (b >> kSubBits) - 1;
  return (sub + (static_cast<std::uint64_t>(b) & (sub - 1))) << shift;
}

std::uint64_t LogHistogram::bucket_high(int b) {
  constexpr std::uint64_t sub = 1ull << kSubBits;
  if (b < static_cast<int>(sub)) return static_cast<std::uint64_t>(b);
  const int shift = (b >> kSubBits) - 1;
  return bucket_low(b) + (1ull << shift) - 1;
}

void LogHistogram::merge(const LogHistogram& o) {
  for (int i = 0; i < kBuckets; ++i) counts_[static_cast<std::size_t>(i)] += o.counts_[static_cast<std::size_t>(i)];
  count_ += o.count_;
  if (o.count_) {
    if (o.min_ < min_) min_ = o.min_;
    if (o.max_ > max_) max_ = o.max_;
  }
  sum_ += o.sum_;
}

void LogHistogram::clear() { *this = LogHistogram(); }

std::uint64_t LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q <= 0.0) return min();
  if (q >= 1.0) return max_;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_));
  if (static_cast<double>(rank) < q * static_cast<double>(count_)) ++rank;  // ceil
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts_[static_cast<std::size_t>(b)];
    if (seen >= rank) {
      const std::uint64_t lo = bucket_low(b), hi = bucket_high(b);
      std::uint64_t mid = lo + (hi - lo) / 2;
      if (mid < min_) mid = min_;
      if (mid > max_) mid = max_;
      return mid;
    }
  }
  return max_;
}

// [SECTION] WindowedHistogram

WindowedHistogram::WindowedHistogram(std::int64_t window_us, int buckets)
    : bucket_us_(window_us / (buckets > 0 ? buckets : 1) > 0 ? window_us / (buckets > 0 ? buckets : 1) : 1),
      parts_(buckets > 0 ? buckets : 1),
      index_(buckets > 0 ? buckets : 1, -1) {}

void WindowedHistogram::add(std::int64_t now_us, std::uint64_t value) {
  // Samples come in bursts at one time (a post's deliveries): the slot of the
  // last bucket is kept with its time range, so only a new bucket divides.
  if (now_us < last_lo_us_ || now_us >= last_hi_us_) {
    const std::int64_t b = floor_div(now_us, bucket_us_);
    const auto n = static_cast<std::int64_t>(parts_.size());
    const auto s = static_cast<std::size_t>(((b % n) + n) % n);
    if (index_[s] != b) {
      index_[s] = b;
      parts_[s].clear();
    }
    last_lo_us_ = b * bucket_us_;
    last_hi_us_ = last_lo_us_ + bucket_us_;
    last_slot_ = s;
  }
  parts_[last_slot_].add(value);
}

LogHistogram WindowedHistogram::snapshot(std::int64_t now_us) const {
  const std::int64_t b = floor_div(now_us, bucket_us_);
  const auto n = static_cast<std::int64_t>(parts_.size());
  LogHistogram out;
  for (std::size_t i = 0; i < parts_.size(); ++i)
    if (index_[i] > b - n && index_[i] <= b) out.merge(parts_[i]);
  return out;
}

}  // namespace scalebook::sim
