// The sharding lookup loop shared by tests/bench/sharding_bench.cpp (Google
// Benchmark, native) and tests/wasm/sharding_wasm_bench.cpp (plain timing, runs
// under node as Wasm and natively), so both measure the same work.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::bench {

namespace sh = scalebook::sim::sharding;

inline constexpr std::uint32_t kBenchVnodes = 160;  // ring/bounded points per node (the issue asks for V = 100–200)

inline std::vector<std::string> sharding_bench_keys(std::size_t n) {
  return sh::make_workload({.keys = n, .seed = 42}).keys;  // decimal 64-bit keys, 1–20 characters
}

// A sharder over n generated nodes. The stateful strategies (directory, bounded, range)
// are built from `keys`; the others ignore them.
inline sh::Sharder make_bench_sharder(sh::Strategy strategy, std::size_t n, const std::vector<std::string>& keys) {
  return sh::Sharder(sh::ShardingDesc{.strategy = strategy,
                                      .nodes = sh::generated_nodes(n),
                                      .vnodes = kBenchVnodes,
                                      .table_size = 65537,
                                      .epsilon = 0.25},
                     keys);
}

// Looks every key up once; returns a checksum so the work cannot be optimised away.
inline std::uint64_t lookup_all(const sh::Sharder& sharder, const std::vector<std::string>& keys) {
  std::uint64_t sum = 0;
  for (const auto& k : keys) sum += sharder.node_for(k);
  return sum;
}

}  // namespace scalebook::bench
