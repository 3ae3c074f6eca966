// jump.h — Jump Consistent Hash (Lamping & Veach, "A Fast, Minimal Memory,
// Consistent Hash Algorithm", 2014), bit-exact with the paper's reference
// function: the 64-bit LCG key·2862933555777941757 + 1 and the double
// arithmetic (b + 1) · (2^31 / ((key >> 33) + 1)).
//
// What it models: a key goes to a bucket in [0, buckets); growing from n to
// n + 1 buckets moves exactly the keys that land in the new bucket (about
// 1/(n + 1) of them) and no key moves between old buckets.
// Invariants: buckets ≥ 1; expected O(ln buckets) loop iterations.
// Not modelled: removing a bucket other than the last (jump numbers buckets
// 0..n−1, so removing one in the middle renumbers the rest), weights.
#pragma once
#include <cstdint>

namespace scalebook::sim::sharding {

// Returns the bucket; `steps` (if given) receives the number of loop iterations.
constexpr std::int32_t jump_consistent_hash(std::uint64_t key, std::int32_t buckets,
                                            std::uint32_t* steps = nullptr) {
  std::int64_t bucket = -1;
  std::int64_t next = 0;
  std::uint32_t n = 0;
  while (next < buckets) {
    bucket = next;
    key = key * 2862933555777941757ULL + 1;
    next = static_cast<std::int64_t>(static_cast<double>(bucket + 1) *
                                     (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
    ++n;
  }
  if (steps) *steps = n;
  return static_cast<std::int32_t>(bucket);
}

}  // namespace scalebook::sim::sharding
