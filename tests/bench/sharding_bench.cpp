// Sharding benchmarks: lookups/s per strategy at N = 10, 100, 1000 nodes
// (ring/bounded with V = 160 points per node, ketama's 160 per server, Maglev
// M = 65537), and rebuild time on adding/removing a node.
// Run: build/shard-eng-release/tests/bench/bench_sharding
#include <benchmark/benchmark.h>

#include "common/sharding_bench_loop.h"

namespace {

namespace sb = scalebook::bench;
namespace sh = scalebook::sim::sharding;

const std::vector<std::string>& keys() {
  static const auto k = sb::sharding_bench_keys(1 << 16);
  return k;
}

void BM_Lookup(benchmark::State& state, sh::Strategy strategy) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const sh::Sharder sharder = sb::make_bench_sharder(strategy, n, keys());
  for (auto _ : state) benchmark::DoNotOptimize(sb::lookup_all(sharder, keys()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(keys().size()));
}

// Add one node to an N-node sharder, then remove it again: one rebuild each.
void BM_AddRemoveNode(benchmark::State& state, sh::Strategy strategy) {
  const auto n = static_cast<std::size_t>(state.range(0));
  // Stateful strategies re-place the key set on each change: give them a smaller one.
  static const auto few_keys = sb::sharding_bench_keys(1 << 12);
  sh::Sharder sharder = sb::make_bench_sharder(strategy, n, few_keys);
  for (auto _ : state) {
    sharder.add_node(sh::generated_node(n));
    sharder.remove_node(static_cast<std::uint32_t>(n));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * 2);  // rebuilds
}

#define SHARDING_LOOKUP(name, strategy) \
  BENCHMARK_CAPTURE(BM_Lookup, name, strategy)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond)
#define SHARDING_REBUILD(name, strategy) \
  BENCHMARK_CAPTURE(BM_AddRemoveNode, name, strategy)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond)

SHARDING_LOOKUP(mod_n, sh::Strategy::ModN);
SHARDING_LOOKUP(ring, sh::Strategy::Ring);
SHARDING_LOOKUP(ketama, sh::Strategy::Ketama);
SHARDING_LOOKUP(rendezvous, sh::Strategy::Rendezvous);
SHARDING_LOOKUP(jump, sh::Strategy::Jump);
SHARDING_LOOKUP(maglev, sh::Strategy::Maglev);
SHARDING_LOOKUP(range, sh::Strategy::Range);
SHARDING_LOOKUP(directory, sh::Strategy::Directory);
SHARDING_LOOKUP(bounded, sh::Strategy::Bounded);

SHARDING_REBUILD(ring, sh::Strategy::Ring);
SHARDING_REBUILD(ketama, sh::Strategy::Ketama);
SHARDING_REBUILD(maglev, sh::Strategy::Maglev);
SHARDING_REBUILD(bounded, sh::Strategy::Bounded);

}  // namespace

BENCHMARK_MAIN();
