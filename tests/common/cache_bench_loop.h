// The cache-lab request loop shared by tests/bench/cache_bench.cpp (Google
// Benchmark, native) and a later Wasm benchmark, so both measure the same work:
// one pre-generated Zipf(0.9) trace of 10^6 requests over 10^5 keys, fed to a
// policy at capacity 10^4, request i at time i · 1000 µs (as `run` does).
#pragma once
#include <cstdint>
#include <vector>

#include "sim/cache/workload.h"

namespace scalebook::bench {

namespace sc = scalebook::sim::cache;

inline constexpr std::uint64_t kCacheBenchRequests = 1'000'000;
inline constexpr std::uint64_t kCacheBenchKeys = 100'000;
inline constexpr double kCacheBenchAlpha = 0.9;
inline constexpr std::size_t kCacheBenchCapacity = 10'000;
inline constexpr std::int64_t kCacheBenchIntervalUs = 1000;

inline std::vector<std::uint64_t> cache_bench_trace() {
  return sc::generate({.kind = sc::WorkloadDesc::Kind::Zipf,
                       .requests = kCacheBenchRequests,
                       .keys = kCacheBenchKeys,
                       .alpha = kCacheBenchAlpha,
                       .seed = 42});
}

// Feeds the whole trace to `policy` (any class with access(key, now_us), or the
// Cache handle); returns the hit count so the work cannot be optimised away.
template <typename Policy>
inline std::uint64_t feed_all(Policy& policy, const std::vector<std::uint64_t>& trace) {
  std::uint64_t hits = 0;
  std::int64_t now = 0;
  for (std::uint64_t key : trace) {
    hits += policy.access(key, now).hit ? 1 : 0;
    now += kCacheBenchIntervalUs;
  }
  return hits;
}

// The 100 cache sizes of the miss-ratio-curve benchmark: 1000, 2000, …, 100,000
// items (the largest holds every key).
inline std::vector<std::size_t> cache_bench_mrc_sizes(std::size_t count = 100) {
  std::vector<std::size_t> s;
  for (std::size_t i = 1; i <= count; ++i) s.push_back(i * kCacheBenchKeys / count);
  return s;
}

}  // namespace scalebook::bench
