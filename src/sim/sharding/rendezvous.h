// rendezvous.h — rendezvous hashing / highest random weight (Thaler & Ravishankar 1998).
//
// What it models: every node scores every key; the key goes to the highest
// score. Weighted nodes use the logarithmic method (Schindelhauer & Schomaker
// 2005): score = weight / −ln(u) with u ∈ (0, 1) uniform from
// hash(key, node), which gives each node a share of keys proportional to its
// weight. A node's scores do not depend on the other nodes, so adding a node
// only moves keys to it, and removing one only moves its own keys.
// Invariants: O(N) per lookup; ties (probability ~0) go to the lower index.
// Not modelled: skeleton/hierarchical HRW for O(log N) lookups.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/sharding/node.h"

namespace scalebook::sim::sharding {

class Rendezvous {
 public:
  void build(const std::vector<Node>& nodes);
  std::uint32_t node_for(std::uint64_t key_hash) const;
  // The `count` highest-scoring nodes, best first (a replica preference list).
  std::vector<std::uint32_t> top(std::uint64_t key_hash, std::uint32_t count) const;
  double score(std::uint64_t key_hash, std::uint32_t node) const;

 private:
  std::vector<std::uint64_t> node_seed_;
  std::vector<double> weight_;
  bool weighted_ = false;
};

}  // namespace scalebook::sim::sharding
