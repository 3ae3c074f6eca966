// Cache-lab benchmarks (issue #15, Benchmark section): requests/s per policy on
// one pre-generated Zipf(0.9) trace of 10^6 requests over 10^5 keys at capacity
// 10^4, each policy class called directly and, for LRU and W-TinyLFU, also
// through the `Cache` handle (the std::variant the widget and CLI use) to show
// its cost; and the miss-ratio curve: one LruStackDistances pass + 100 lookups,
// against one W-TinyLFU (and LRU) run per size at 10 sizes.
// One iteration = the whole trace on a freshly built policy (construction and
// destruction are outside the timing). items_per_second = requests.
// Targets: exact LRU >= 20 M requests/s, W-TinyLFU >= 10 M/s, the 100-size
// curve over 10^6 requests < 1 s.
// Run: build/native-release/tests/bench/bench_cache --benchmark_min_time=0.3
#include <benchmark/benchmark.h>

#include <optional>
#include <unordered_map>

#include "common/cache_bench_loop.h"
#include "sim/cache/mrc.h"

namespace {

namespace sb = scalebook::bench;
namespace sc = scalebook::sim::cache;

const std::vector<std::uint64_t>& trace() {
  static const auto t = sb::cache_bench_trace();
  return t;
}

constexpr std::size_t kC = sb::kCacheBenchCapacity;

template <typename Policy, typename Make>
void run_policy(benchmark::State& state, Make make) {
  const auto& t = trace();
  std::optional<Policy> p;
  std::uint64_t hits = 0;
  for (auto _ : state) {
    state.PauseTiming();
    p.reset();
    p.emplace(make());
    state.ResumeTiming();
    hits = sb::feed_all(*p, t);
    benchmark::DoNotOptimize(hits);
  }
  p.reset();  // after the timed loop: not counted
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(t.size()));
  state.counters["hit_ratio"] = static_cast<double>(hits) / static_cast<double>(t.size());
}

// --- each policy class directly -------------------------------------------

void BM_Fifo(benchmark::State& s) { run_policy<sc::Fifo>(s, [] { return sc::Fifo(kC); }); }
void BM_Lru(benchmark::State& s) { run_policy<sc::Lru>(s, [] { return sc::Lru(kC); }); }
void BM_Lfu(benchmark::State& s) { run_policy<sc::Lfu>(s, [] { return sc::Lfu(kC); }); }
// Opt's constructor (copy of the trace + next-use pass) is outside the timing; see BM_OptPrepare.
void BM_Opt(benchmark::State& s) { run_policy<sc::Opt>(s, [] { return sc::Opt(kC, trace()); }); }
void BM_RedisLru(benchmark::State& s) {
  run_policy<sc::RedisSampled>(s, [] { return sc::RedisSampled({.mode = sc::RedisSampled::Mode::Lru, .capacity = kC}); });
}
void BM_RedisLfu(benchmark::State& s) {
  run_policy<sc::RedisSampled>(s, [] { return sc::RedisSampled({.mode = sc::RedisSampled::Mode::Lfu, .capacity = kC}); });
}
void BM_Memcached(benchmark::State& s) {
  run_policy<sc::MemcachedSlru>(s, [] { return sc::MemcachedSlru({.capacity = kC}); });
}
void BM_WTinyLfu(benchmark::State& s) { run_policy<sc::WTinyLfu>(s, [] { return sc::WTinyLfu({.capacity = kC}); }); }

// --- through the Cache handle (std::visit per request) ---------------------

void BM_CacheHandleLru(benchmark::State& s) {
  run_policy<sc::Cache>(s, [] { return sc::Cache({.kind = sc::PolicyKind::Lru, .capacity = kC}); });
}
void BM_CacheHandleWTinyLfu(benchmark::State& s) {
  run_policy<sc::Cache>(s, [] { return sc::Cache({.kind = sc::PolicyKind::WTinyLfu, .capacity = kC}); });
}

// Opt's offline preparation alone (what BM_Opt leaves out): per trace, not per request.
void BM_OptPrepare(benchmark::State& state) {
  for (auto _ : state) {
    sc::Opt o(kC, trace());
    benchmark::DoNotOptimize(o.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace().size()));
}

// Reference floor for the hit path: what the std::unordered_map lookup that every
// list-based policy (NodePool) does per request costs alone, with the map holding
// the 10^4 hottest keys (about LRU's resident set on this trace), no list work.
void BM_UnorderedMapFindOnly(benchmark::State& state) {
  std::unordered_map<std::uint64_t, std::uint32_t> m;
  for (std::uint64_t k = 0; k < kC; ++k) m.emplace(k, static_cast<std::uint32_t>(k));
  const auto& t = trace();
  for (auto _ : state) {
    std::uint64_t found = 0;
    for (std::uint64_t key : t) found += m.find(key) != m.end() ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(t.size()));
}

// --- miss-ratio curve ------------------------------------------------------

// The target: 100 sizes over 10^6 requests in under a second.
void BM_MrcLruOnePass100(benchmark::State& state) {
  const auto sizes = sb::cache_bench_mrc_sizes(100);
  double sum = 0;
  for (auto _ : state) {
    const sc::LruStackDistances d(trace());
    sum = 0;
    for (std::size_t c : sizes) sum += d.hit_ratio(c);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace().size()));
  state.counters["hr_at_1e4"] = sc::LruStackDistances(trace()).hit_ratio(kC);
}

// The same through workload.h's hit_ratio_curve (LRU takes the one-pass path).
void BM_MrcLruHitRatioCurve100(benchmark::State& state) {
  const auto sizes = sb::cache_bench_mrc_sizes(100);
  for (auto _ : state) benchmark::DoNotOptimize(sc::hit_ratio_curve({.kind = sc::PolicyKind::Lru}, trace(), sizes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace().size()));
}

// For contrast: one full run per size at 10 sizes (10^4 … 10^5), as every non-stack policy needs.
void BM_MrcNaive10(benchmark::State& state, sc::PolicyKind kind) {
  const auto sizes = sb::cache_bench_mrc_sizes(10);
  for (auto _ : state) benchmark::DoNotOptimize(sc::hit_ratio_curve({.kind = kind}, trace(), sizes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace().size() * sizes.size()));
}
void BM_MrcWTinyLfuNaive10(benchmark::State& s) { BM_MrcNaive10(s, sc::PolicyKind::WTinyLfu); }
// LRU forced through one run per size (Cache + run, not the one-pass path).
void BM_MrcLruNaive10(benchmark::State& state) {
  const auto sizes = sb::cache_bench_mrc_sizes(10);
  for (auto _ : state) {
    double sum = 0;
    for (std::size_t c : sizes)
      sum += sc::run({.kind = sc::PolicyKind::Lru, .capacity = c}, trace(), {.window = trace().size() + 1}).total.hit_ratio();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(trace().size() * sizes.size()));
}

BENCHMARK(BM_Fifo)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lru)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lfu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Opt)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RedisLru)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RedisLfu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Memcached)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WTinyLfu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CacheHandleLru)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CacheHandleWTinyLfu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OptPrepare)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UnorderedMapFindOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MrcLruOnePass100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MrcLruHitRatioCurve100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MrcWTinyLfuNaive10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MrcLruNaive10)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
