// The fan-out loops of tests/bench/fanout_bench.cpp without Google Benchmark, so
// they run under node as Wasm and natively with the same harness (for the ratio);
// plus the timeline digest of the default scenario for push, pull and hybrid,
// which must print the same hex natively and in Wasm (and equal
// `scalebook sim fanout --set seed=7 --json`'s timeline_digest).
#include <chrono>
#include <cstdio>

#include "common/fanout_bench_loop.h"
#include "sim/fanout/scenario.h"

namespace sb = scalebook::bench;
namespace fo = scalebook::sim::fanout;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main() {
  // Determinism: the default scenario (schema defaults), seed 7.
  fo::GraphDesc gd;
  gd.seed = 7;
  fo::WorkloadDesc wd;
  wd.seed = 7;
  const auto sc = fo::build_scenario(gd, wd);
  for (auto s : {fo::Strategy::Push, fo::Strategy::Pull, fo::Strategy::Hybrid}) {
    fo::SimDesc d;
    d.strategy = s;
    const auto sim = fo::run_scenario(sc, d);
    std::printf("digest %-6s %s deliveries=%llu backlog_peak=%llu\n", fo::strategy_name(s),
                sim.metrics().timeline_digest.hex().c_str(), static_cast<unsigned long long>(sim.metrics().deliveries),
                static_cast<unsigned long long>(sim.metrics().backlog_peak_inserts));
  }

  auto t0 = std::chrono::steady_clock::now();
  auto g = std::make_shared<const fo::FollowerGraph>(fo::FollowerGraph::generate(sb::big_graph_desc()));
  std::printf("graph users=%u edges=%llu csr=%.2f MB generate=%.0f ms\n", g->users(),
              static_cast<unsigned long long>(g->edges()), g->memory_bytes() / 1e6, seconds_since(t0) * 1e3);

  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    t0 = std::chrono::steady_clock::now();
    const auto n = sb::push_posts(g, 20000, 7);
    best = std::max(best, n / seconds_since(t0));
  }
  std::printf("push %.3f M deliveries/s (20000 posts)\n", best / 1e6);

  best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    std::uint64_t fetches = 0;
    t0 = std::chrono::steady_clock::now();
    sb::pull_reads(g, 20000, 20000, 7, fetches);
    best = std::max(best, 20000 / seconds_since(t0));
  }
  std::printf("pull %.1f k reads/s (20000 posts + 20000 reads)\n", best / 1e3);
  return 0;
}
