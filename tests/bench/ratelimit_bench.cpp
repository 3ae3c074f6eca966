// Decisions per second for each rate-limiting algorithm (single key, one core).
// Run: build/<dir>/tests/bench/bench_ratelimit   (Release build for real figures)
// items_per_second = decisions per second. Target: >= 50 M/s for the token bucket.
#include <benchmark/benchmark.h>

#include "common/ratelimit_bench_loop.h"
#include "sim/ratelimit/runner.h"

namespace {

namespace sb = scalebook::bench;
const std::vector<std::int64_t>& times() {
  static const auto t = sb::bench_times(1 << 20);
  return t;
}

template <typename Make>
void run(benchmark::State& state, Make make) {
  const auto& t = times();
  for (auto _ : state) {
    auto limiter = make();
    benchmark::DoNotOptimize(sb::decide_all(limiter, t));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(t.size()));
}

void BM_TokenBucket(benchmark::State& s) { run(s, sb::make_token_bucket); }
void BM_StripeBucket(benchmark::State& s) { run(s, sb::make_stripe_bucket); }
void BM_Shaper(benchmark::State& s) { run(s, sb::make_shaper); }
void BM_Nginx(benchmark::State& s) { run(s, sb::make_nginx); }
void BM_FixedWindow(benchmark::State& s) { run(s, sb::make_fixed_window); }
void BM_SlidingLog(benchmark::State& s) { run(s, sb::make_sliding_log); }
void BM_SlidingCounter(benchmark::State& s) { run(s, sb::make_sliding_counter); }
void BM_Gcra(benchmark::State& s) { run(s, sb::make_gcra); }
void BM_Distributed(benchmark::State& s) { run(s, sb::make_distributed); }

// Keyed (per-client, LRU table of 10k clients over 50k Zipf-active clients) through the runner's Limiter.
void BM_KeyedTokenBucketZipf(benchmark::State& state) {
  namespace rl = scalebook::sim::ratelimit;
  static const auto reqs = [] {
    rl::TrafficDesc d;
    d.pattern = rl::Pattern::ZipfClients;
    d.clients = 50000;
    d.load_per_s = 100000;
    d.duration_us = 10000000;
    return rl::generate_traffic(d);
  }();
  rl::LimiterConfig c;
  c.algorithm = rl::Algorithm::TokenBucket;
  for (auto _ : state) {
    rl::Limiter l(c);
    std::uint64_t admitted = 0;
    for (const auto& r : reqs) admitted += l.decide(r.time_us, r.client).admitted();
    benchmark::DoNotOptimize(admitted);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(reqs.size()));
}

BENCHMARK(BM_TokenBucket);
BENCHMARK(BM_StripeBucket);
BENCHMARK(BM_Shaper);
BENCHMARK(BM_Nginx);
BENCHMARK(BM_FixedWindow);
BENCHMARK(BM_SlidingLog);
BENCHMARK(BM_SlidingCounter);
BENCHMARK(BM_Gcra);
BENCHMARK(BM_Distributed);
BENCHMARK(BM_KeyedTokenBucketZipf);

}  // namespace

BENCHMARK_MAIN();
