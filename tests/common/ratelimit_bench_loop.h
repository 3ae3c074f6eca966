// The decision loop measured natively (tests/bench/ratelimit_bench.cpp, Google
// Benchmark) and in Wasm under node (tests/wasm/ratelimit_wasm_bench.cpp), so
// the two figures compare the same code on the same input.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/rng.h"
#include "sim/ratelimit/distributed.h"
#include "sim/ratelimit/gcra.h"
#include "sim/ratelimit/nginx_limit_req.h"
#include "sim/ratelimit/shaper.h"
#include "sim/ratelimit/stripe_bucket.h"
#include "sim/ratelimit/token_bucket.h"
#include "sim/ratelimit/windows.h"

namespace scalebook::bench {

// Arrival times (µs) of a Poisson stream at 2× the limiters' 1000 r/s rate, so
// roughly half the decisions admit and half reject (both paths are exercised).
inline std::vector<std::int64_t> bench_times(std::size_t n) {
  sim::Rng rng(12345);
  std::vector<std::int64_t> t(n);
  double now = 0;
  for (auto& x : t) {
    now += rng.exponential(500.0);
    x = static_cast<std::int64_t>(now);
  }
  return t;
}

inline constexpr sim::ratelimit::RateSpec kBenchRate{1000, 1};

// One decision per timestamp in [first, last); returns the number admitted (so nothing
// is optimised away). Not inlined: in Wasm, V8 first runs code in its baseline compiler
// (Liftoff) and switches to optimised code only at a new call — it has no on-stack
// replacement for Wasm — so a loop inlined into a function called once (main) would
// be measured in baseline code. Natively the call costs nothing measurable.
// [[gnu::noinline]] binds the compiler only: Binaryen's wasm-opt inlines it
// anyway, so the Wasm harness calls it through a volatile function pointer.
template <typename L>
[[gnu::noinline]] std::uint64_t decide_range(L& limiter, const std::int64_t* first, const std::int64_t* last) {
  std::uint64_t admitted = 0;
  for (; first != last; ++first) admitted += limiter.decide(*first).admitted();
  return admitted;
}

template <typename L>
std::uint64_t decide_all(L& limiter, const std::vector<std::int64_t>& times) {
  return decide_range(limiter, times.data(), times.data() + times.size());
}

namespace rl = sim::ratelimit;
inline rl::TokenBucket make_token_bucket() { return rl::TokenBucket({100, kBenchRate, -1}); }
inline rl::StripeBucket make_stripe_bucket() { return rl::StripeBucket({100, kBenchRate}); }
inline rl::Shaper make_shaper() { return rl::Shaper({kBenchRate, 100}); }
inline rl::NginxLimitReq make_nginx() { return rl::NginxLimitReq({kBenchRate, 100, 0, false}); }
inline rl::FixedWindow make_fixed_window() { return rl::FixedWindow({1000, 1000000}); }
inline rl::SlidingLog make_sliding_log() { return rl::SlidingLog({1000, 1000000}); }
inline rl::SlidingCounter make_sliding_counter() { return rl::SlidingCounter({1000, 1000000}); }
inline rl::Gcra make_gcra() { return rl::Gcra({100, 1000, 1}); }
inline rl::DistributedWindow make_distributed() { return rl::DistributedWindow({1000, 1000000, 4, 100000}); }

}  // namespace scalebook::bench
