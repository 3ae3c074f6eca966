// maglev.h — Maglev's lookup table (Eisenbud et al., "Maglev: A Fast and
// Reliable Software Network Load Balancer", NSDI 2016, §3.4 Pseudocode 1).
//
// What it models: a table of M entries (M prime, M ≫ N). Node i has
// offset = h1(name) mod M and skip = h2(name) mod (M − 1) + 1, and its
// preference list permutation[i][j] = (offset + j·skip) mod M (a full
// permutation because M is prime). Nodes take turns, in index order, claiming
// the next entry of their permutation that is still empty until all M entries
// are filled. A key goes to table[hash64(key) mod M].
// Invariants: every entry is filled; each node owns ⌊M/N⌋ or ⌈M/N⌉ entries;
// removing or adding a node changes few entries owned by the others
// (minimal disruption, not zero).
// Not modelled: weighted Maglev, connection tracking.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/sharding/node.h"

namespace scalebook::sim::sharding {

bool is_prime(std::uint64_t n);

class MaglevTable {
 public:
  // table_size must be prime and ≥ nodes.size().
  void build(const std::vector<Node>& nodes, std::uint32_t table_size);
  std::uint32_t node_for(std::uint64_t key_hash) const { return entry_[key_hash % entry_.size()]; }
  const std::vector<std::uint32_t>& entries() const { return entry_; }

 private:
  std::vector<std::uint32_t> entry_;
};

}  // namespace scalebook::sim::sharding
