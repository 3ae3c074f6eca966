// workload.h — the keys a sharding experiment places and how often each is requested.
//
// What it models: K distinct keys, each the decimal form of a 64-bit number
// drawn from the seed (so jump uses them as integers directly, and the range
// strategy sees them in byte order), with a request popularity: uniform, or
// Zipf with exponent `skew` (P(rank k) ∝ 1/k^skew, via scalebook::sim::Zipf).
// Hot keys are scattered over the key space, or — `hot_range` — adjacent in
// key order (the first keys in sorted order are the hottest: think
// time-ordered keys where the newest are hot).
// Invariants: keys distinct; popularity sums to 1 and is aligned with keys.
// Not modelled: popularity that changes over time, key sizes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scalebook::sim::sharding {

struct WorkloadDesc {
  std::uint64_t keys = 10000;
  double skew = 0.0;  // 0 = uniform popularity
  bool hot_range = false;
  std::uint64_t seed = 1;
};

struct Workload {
  std::vector<std::string> keys{};
  std::vector<double> popularity{};  // request share of keys[i]
};

Workload make_workload(const WorkloadDesc& desc);

// Popularity from a request trace: each line is one request; keys are the distinct
// lines in first-seen order, popularity = count / lines.
Workload workload_from_requests(const std::vector<std::string>& requests);

}  // namespace scalebook::sim::sharding
