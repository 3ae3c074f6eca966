// The lookup loop of tests/bench/sharding_bench.cpp without Google Benchmark, so
// it runs under node as Wasm (and natively with the same harness, for the ratio).
// Prints "<strategy> N=<n> <M lookups/s>" (best of several repetitions).
#include <chrono>
#include <cstdio>

#include "common/sharding_bench_loop.h"

namespace sb = scalebook::bench;
namespace sh = scalebook::sim::sharding;

int main() {
  const auto keys = sb::sharding_bench_keys(1 << 16);
  for (sh::Strategy strategy : sh::kAllStrategies) {
    for (std::size_t n : {10u, 100u, 1000u}) {
      const sh::Sharder sharder = sb::make_bench_sharder(strategy, n, keys);
      double best = 0;
      std::uint64_t sink = 0;
      const int reps = strategy == sh::Strategy::Rendezvous && n == 1000 ? 2 : 7;
      for (int rep = 0; rep < reps; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        sink += sb::lookup_all(sharder, keys);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const double rate = static_cast<double>(keys.size()) / s;
        if (rate > best) best = rate;
      }
      std::printf("%-10s N=%-5zu %9.3f M lookups/s  (checksum %llu)\n", std::string(sh::strategy_name(strategy)).c_str(),
                  n, best / 1e6, static_cast<unsigned long long>(sink));
    }
  }
  // Ring rebuild (add + remove one node) at N = 1000, V = 160.
  sh::Sharder ring = sb::make_bench_sharder(sh::Strategy::Ring, 1000, {});
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    ring.add_node(sh::generated_node(1000));
    ring.remove_node(1000);
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("ring rebuild N=1000 V=%u: %.2f ms per add or remove\n", sb::kBenchVnodes, s / 10 * 1e3);
  return 0;
}
