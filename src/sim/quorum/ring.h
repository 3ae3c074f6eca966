// ring.h — where a key lives: a consistent-hash ring of M nodes and a key's preference list.
//
// Models (Dynamo, SOSP 2007, §4.2–4.3, with one token per node):
//  - Each node n sits on a 64-bit ring at token(n) = mix64(kNodeSalt ^ n) (sim/core/rng.h's
//    splitmix64 finaliser). A key k hashes to mix64(k). Its preference list is every node in
//    clockwise order starting at the first node whose token is >= the key's hash (wrapping
//    past the top of the ring); equal tokens (never seen in practice) order by node id.
//  - The first N entries are the key's home replicas (its "coordinator" in Dynamo's sense is
//    the first). The rest are the stand-ins a sloppy quorum walks to when a home replica is
//    down (§4.6): the list is the whole ring, so a stand-in is never a home replica.
// Invariants: a preference list is a permutation of 0..M-1 and a pure function of (M, key);
//   it does not depend on the seed, so a permalink's replica sets never move.
// Not modelled: virtual nodes (Dynamo's strategy 3 of §6.2 gives each node many tokens for
//   balance; one token per node is Dynamo's strategy 1 and is visibly uneven for small M),
//   rack/datacenter awareness (Cassandra's NetworkTopologyStrategy), membership changes.
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

  explicit Ring(std::uint32_t nodes) {
    if (nodes == 0) std::abort();  // a caller bug
    for (NodeId n = 0; n < nodes; ++n) tokens_.emplace_back(node_token(n), n);
    std::sort(tokens_.begin(), tokens_.end());
  }

  static constexpr std::uint64_t node_token(NodeId n) { return mix64(kNodeSalt ^ n); }
  static constexpr std::uint64_t key_token(Key k) { return mix64(k); }

  std::uint32_t nodes() const { return static_cast<std::uint32_t>(tokens_.size()); }

  // Every node, clockwise from the key's position.
  std::vector<NodeId> preference_list(Key k) const {
    const std::uint64_t h = key_token(k);
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), std::pair<std::uint64_t, NodeId>{h, 0});
    std::size_t start = static_cast<std::size_t>(it - tokens_.begin());
    std::vector<NodeId> out;
    out.reserve(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) out.push_back(tokens_[(start + i) % tokens_.size()].second);
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
  std::vector<std::pair<std::uint64_t, NodeId>> tokens_;  // (token, node), sorted
};

}  // namespace scalebook::sim::quorum
