// Fan-out benchmarks: graph generation (10^5 users / 10^7 edges: time, memory),
// push deliveries/s, pull read merges/s, Snowflake IDs/s.
// Run: build/fan-eng-release/tests/bench/bench_fanout
#include <benchmark/benchmark.h>

#include "common/fanout_bench_loop.h"
#include "sim/fanout/snowflake.h"

namespace sb = scalebook::bench;
namespace fo = scalebook::sim::fanout;

namespace {

const std::shared_ptr<const fo::FollowerGraph>& big_graph() {
  static const auto g = std::make_shared<const fo::FollowerGraph>(fo::FollowerGraph::generate(sb::big_graph_desc()));
  return g;
}

void BM_GraphGenerate(benchmark::State& state) {
  const auto desc = sb::big_graph_desc(static_cast<std::uint32_t>(state.range(0)));
  std::uint64_t edges = 0, bytes = 0;
  for (auto _ : state) {
    auto g = fo::FollowerGraph::generate(desc);
    edges = g.edges();
    bytes = g.memory_bytes();
    benchmark::DoNotOptimize(edges);
  }
  state.counters["users"] = static_cast<double>(desc.users);
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["csr_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["edges/s"] = benchmark::Counter(static_cast<double>(edges) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GraphGenerate)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_PushDeliveries(benchmark::State& state) {
  const auto& g = big_graph();
  std::uint64_t deliveries = 0;
  for (auto _ : state) deliveries += sb::push_posts(g, static_cast<std::uint32_t>(state.range(0)), 7);
  state.counters["deliveries/s"] = benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
  state.counters["per_post"] = static_cast<double>(deliveries) / (state.range(0) * state.iterations());
}
// Warmed up first: an iteration takes ~0.1 s, so the default run timed a single
// one, the process's first, which spends most of its time faulting in ~70 MB of
// fresh pages (4.4 M deliveries/s cold against ~25 M warm on the 2-core VM).
BENCHMARK(BM_PushDeliveries)->Arg(20000)->Unit(benchmark::kMillisecond)->MinWarmUpTime(1.0)->MinTime(2.0);

void BM_PullReads(benchmark::State& state) {
  const auto& g = big_graph();
  std::uint64_t merged = 0, fetches = 0, reads = 0;
  for (auto _ : state) {
    std::uint64_t f = 0;
    merged += sb::pull_reads(g, 20000, static_cast<std::uint32_t>(state.range(0)), 7, f);
    fetches += f;
    reads += state.range(0);
  }
  state.counters["reads/s"] = benchmark::Counter(static_cast<double>(reads), benchmark::Counter::kIsRate);
  state.counters["fetches/s"] = benchmark::Counter(static_cast<double>(fetches), benchmark::Counter::kIsRate);
  state.counters["merged/s"] = benchmark::Counter(static_cast<double>(merged), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PullReads)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_SnowflakeNext(benchmark::State& state) {
  fo::SnowflakeGenerator g(1, 1);
  std::int64_t ms = 1356998400000;
  std::uint64_t sink = 0;
  for (auto _ : state) {
    sink ^= g.next_waiting(ms)->id;
    ms += (sink & 1023) == 0;
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SnowflakeNext);

}  // namespace

BENCHMARK_MAIN();
