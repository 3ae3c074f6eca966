// The decision loop of tests/bench/ratelimit_bench.cpp without Google Benchmark,
// so it runs under node as Wasm (and natively, for the same-harness ratio).
// Prints "<algorithm> <decisions per second>" (best of several repetitions).
#include <chrono>
#include <cstdio>

#include "common/ratelimit_bench_loop.h"

namespace sb = scalebook::bench;

template <typename Make>
void measure(const char* name, Make make, const std::vector<std::int64_t>& times) {
  double best = 0;
  std::uint64_t sink = 0;
  for (int rep = 0; rep < 15; ++rep) {
    auto limiter = make();
    const auto t0 = std::chrono::steady_clock::now();
    sink += sb::decide_all(limiter, times);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double rate = static_cast<double>(times.size()) / s;
    if (rate > best) best = rate;
  }
  std::printf("%-16s %10.1f M decisions/s  (admitted checksum %llu)\n", name, best / 1e6,
              static_cast<unsigned long long>(sink));
}

int main() {
  const auto times = sb::bench_times(1 << 20);
  measure("token-bucket", sb::make_token_bucket, times);
  measure("stripe-bucket", sb::make_stripe_bucket, times);
  measure("shaper", sb::make_shaper, times);
  measure("nginx", sb::make_nginx, times);
  measure("fixed-window", sb::make_fixed_window, times);
  measure("sliding-log", sb::make_sliding_log, times);
  measure("sliding-counter", sb::make_sliding_counter, times);
  measure("gcra", sb::make_gcra, times);
  measure("distributed", sb::make_distributed, times);
  return 0;
}
