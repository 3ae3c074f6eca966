// fanout_bench_loop.h — the fan-out benchmark workloads, shared by the native
// Google Benchmark (tests/bench/fanout_bench.cpp) and the Wasm harness
// (tests/wasm/fanout_wasm_bench.cpp) so both measure the same loop.
#pragma once
#include <memory>
#include <vector>

#include "sim/core/rng.h"
#include "sim/fanout/graph.h"
#include "sim/fanout/timeline_sim.h"

namespace scalebook::bench {

namespace fo = scalebook::sim::fanout;

// 10^5 users / ~10^7 edges: 99,990 ordinary users at mean 95 followers
// (power law 2.25) + 10 celebrities × 50,000 followers = 9.999 M + 0.5 M edges.
inline fo::GraphDesc big_graph_desc(std::uint32_t users = 100000) {
  fo::GraphDesc d;
  d.users = users;
  d.celebrities = 10;
  d.celebrity_followers = users / 2;
  d.mean_followers = 95.0 * users / 100000.0 > users - 1.0 ? users - 1.0 : 95.0;
  d.exponent = 2.25;
  d.seed = 2013;
  return d;
}

// `posts` posts by uniformly random authors, one per 100 µs; push with a
// fan-out fleet fast enough that the queue never limits; no reads.
// Returns deliveries performed (the work: one sorted capped insert each).
inline std::uint64_t push_posts(const std::shared_ptr<const fo::FollowerGraph>& g, std::uint32_t posts,
                                std::uint64_t seed) {
  fo::SimDesc d;
  d.strategy = fo::Strategy::Push;
  d.inactive_after_us = 0;
  d.fanout_workers = 1;
  d.worker_inserts_per_s = 0;  // instantaneous
  fo::TimelineSim sim(g, d);
  sim::Rng rng(seed);
  for (std::uint32_t i = 0; i < posts; ++i) sim.post(static_cast<std::uint32_t>(rng.uniform_int(g->users())), 100 * i);
  return sim.metrics().deliveries;
}

// `posts` posts then `reads` pull reads (one merge over all followees each).
// Returns entries merged; `fetches` receives the fetch count.
inline std::uint64_t pull_reads(const std::shared_ptr<const fo::FollowerGraph>& g, std::uint32_t posts,
                                std::uint32_t reads, std::uint64_t seed, std::uint64_t& fetches) {
  fo::SimDesc d;
  d.strategy = fo::Strategy::Pull;
  d.inactive_after_us = 0;
  fo::TimelineSim sim(g, d);
  sim::Rng rng(seed);
  for (std::uint32_t i = 0; i < posts; ++i) sim.post(static_cast<std::uint32_t>(rng.uniform_int(g->users())), i);
  for (std::uint32_t i = 0; i < reads; ++i)
    sim.read(static_cast<std::uint32_t>(rng.uniform_int(g->users())), posts + static_cast<std::int64_t>(i));
  fetches = sim.metrics().fetches;
  return sim.metrics().merged_entries;
}

}  // namespace scalebook::bench
