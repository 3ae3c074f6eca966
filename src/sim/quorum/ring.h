// ring.h — where a key lives: a consistent-hash ring of M nodes and a key's preference list.
//
// Models (Dynamo, SOSP 2007, §4.2–4.3, with T tokens per node):
//  - Each node n sits on a 64-bit ring at T tokens: token(n, 0) = mix64(kNodeSalt ^ n) and
//    token(n, i) = mix64(kNodeSalt ^ n ^ (i << 32)) for i ≥ 1 (sim/core/rng.h's splitmix64
//    finaliser), so a one-token ring is unchanged by the option. A key k hashes to mix64(k).
//    Its preference list is every node in clockwise order of first appearance, starting at
//    the first token >= the key's hash (wrapping past the top of the ring) and skipping
//    tokens of nodes already listed; equal tokens (never seen in practice) order by node id.
//    T = 1 is Dynamo's strategy 1; T > 1 is virtual nodes with random tokens, as Cassandra's
//    num_tokens without its token allocation algorithm (Cassandra 4.0 defaults to 16 tokens
//    and allocates them for balance: not modelled, the tokens here are hashes).
//  - The first N entries are the key's home replicas (its "coordinator" in Dynamo's sense is
//    the first). The rest are the stand-ins a sloppy quorum walks to when a home replica is
//    down (§4.6): the list is the whole ring, so a stand-in is never a home replica.
// Invariants: a preference list is a permutation of 0..M-1 and a pure function of (M, key);
//   it does not depend on the seed, so a permalink's replica sets never move.
// Not modelled: Dynamo's strategy 3 of §6.2 (equal-sized partitions); one token per node is
//   visibly uneven for small M, which is what virtual nodes fix), rack/datacenter awareness (Cassandra's NetworkTopologyStrategy), membership changes.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "sim/core/rng.h"
#include "sim/net/links.h"

namespace scalebook::sim::quorum {

using net::NodeId;
using Key = std::uint64_t;

class Ring {
 public:
  static constexpr std::uint64_t kNodeSalt = 0x5155'4f52'554d'0000ull;  // "QUORUM"

  explicit Ring(std::uint32_t nodes, std::uint32_t tokens_per_node = 1) : nodes_(nodes) {
    if (nodes == 0 || tokens_per_node == 0) std::abort();  // a caller bug
    for (NodeId n = 0; n < nodes; ++n)
      for (std::uint32_t i = 0; i < tokens_per_node; ++i) tokens_.emplace_back(node_token(n, i), n);
    std::sort(tokens_.begin(), tokens_.end());
  }

  static constexpr std::uint64_t node_token(NodeId n, std::uint32_t i = 0) {
    return mix64(kNodeSalt ^ n ^ (static_cast<std::uint64_t>(i) << 32));
  }
  static constexpr std::uint64_t key_token(Key k) { return mix64(k); }

  std::uint32_t nodes() const { return nodes_; }

  // Every node, clockwise from the key's position.
  std::vector<NodeId> preference_list(Key k) const {
    const std::uint64_t h = key_token(k);
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), std::pair<std::uint64_t, NodeId>{h, 0});
    std::size_t start = static_cast<std::size_t>(it - tokens_.begin());
    std::vector<NodeId> out;
    out.reserve(nodes_);
    std::vector<bool> seen(nodes_, false);
    for (std::size_t i = 0; i < tokens_.size() && out.size() < nodes_; ++i) {
      const NodeId n = tokens_[(start + i) % tokens_.size()].second;
      if (!seen[n]) {
        seen[n] = true;
        out.push_back(n);
      }
    }
    return out;
  }

  // The first n entries of the preference list (n capped at M).
  std::vector<NodeId> home_replicas(Key k, std::uint32_t n) const {
    std::vector<NodeId> p = preference_list(k);
    p.resize(std::min<std::size_t>(n, p.size()));
    return p;
  }

  const std::vector<std::pair<std::uint64_t, NodeId>>& tokens() const { return tokens_; }

 private:
  std::uint32_t nodes_ = 0;
  std::vector<std::pair<std::uint64_t, NodeId>> tokens_;  // (token, node), sorted
};

}  // namespace scalebook::sim::quorum
