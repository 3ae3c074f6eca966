// quorum_ring_test.cpp — the ring's preference lists against a naive clockwise-distance scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/quorum/ring.h"

namespace scalebook::sim::quorum {
namespace {

// Reference: sort every node by its clockwise distance from the key's hash (token - hash mod 2^64),
// ties by node id. A node whose token equals the hash has distance 0 and comes first.
std::vector<NodeId> reference_preference(std::uint32_t nodes, Key k) {
  std::vector<NodeId> all(nodes);
  for (NodeId n = 0; n < nodes; ++n) all[n] = n;
  const std::uint64_t h = Ring::key_token(k);
  std::stable_sort(all.begin(), all.end(), [&](NodeId a, NodeId b) {
    return Ring::node_token(a) - h < Ring::node_token(b) - h;
  });
  return all;
}

TEST(QuorumRing, PreferenceListMatchesClockwiseScan) {
  for (std::uint32_t m = 1; m <= 9; ++m) {
    const Ring ring(m);
    for (Key k = 0; k < 300; ++k) {
      ASSERT_EQ(ring.preference_list(k), reference_preference(m, k)) << "M=" << m << " key=" << k;
    }
  }
}

TEST(QuorumRing, PreferenceListIsAPermutationAndHomeIsItsPrefix) {
  const Ring ring(7);
  for (Key k = 0; k < 200; ++k) {
    std::vector<NodeId> p = ring.preference_list(k);
    const std::vector<NodeId> home = ring.home_replicas(k, 3);
    ASSERT_EQ(home.size(), 3u);
    EXPECT_TRUE(std::equal(home.begin(), home.end(), p.begin()));
    std::sort(p.begin(), p.end());
    for (NodeId n = 0; n < 7; ++n) EXPECT_EQ(p[n], n);
  }
  EXPECT_EQ(ring.home_replicas(1, 99).size(), 7u);  // capped at M
}

TEST(QuorumRing, PlacementSpreadsKeysOverEveryNode) {
  // One token per node is uneven (Dynamo's strategy 1) but every node is some key's first replica.
  const Ring ring(5);
  std::vector<int> first(5, 0);
  for (Key k = 0; k < 5000; ++k) ++first[ring.preference_list(k).front()];
  for (int c : first) EXPECT_GT(c, 0);
}

// With T tokens per node: a brute-force scan of every token's clockwise distance from the
// key, keeping each node's first appearance.
std::vector<NodeId> reference_vnode_preference(std::uint32_t m, std::uint32_t t, Key k) {
  const std::uint64_t h = Ring::key_token(k);
  std::vector<std::pair<std::uint64_t, NodeId>> all;  // (distance clockwise, node)
  for (NodeId n = 0; n < m; ++n)
    for (std::uint32_t i = 0; i < t; ++i) all.emplace_back(Ring::node_token(n, i) - h, n);
  std::sort(all.begin(), all.end());
  std::vector<NodeId> out;
  for (const auto& [d, n] : all)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

TEST(QuorumRing, VirtualNodesListEachNodeOnceInClockwiseOrderOfFirstToken) {
  for (const std::uint32_t t : {2u, 16u, 64u}) {
    const Ring ring(5, t);
    EXPECT_EQ(ring.tokens().size(), 5u * t);
    EXPECT_EQ(ring.nodes(), 5u);
    for (Key k = 0; k < 300; ++k) ASSERT_EQ(ring.preference_list(k), reference_vnode_preference(5, t, k)) << t << " " << k;
  }
  // Token 0 of each node is the one-token ring's, so T = 1 is the same ring.
  const Ring one(5), same(5, 1);
  for (Key k = 0; k < 100; ++k) EXPECT_EQ(one.preference_list(k), same.preference_list(k));
}

TEST(QuorumRing, SixteenTokensPerNodeEvenOutOwnership) {
  // Replicas held per node over 10,000 keys with N = 3: one token per node leaves the most
  // loaded node far above the mean; 16 (Cassandra 4.0's num_tokens) brings it close.
  const auto max_over_mean = [](const Ring& ring) {
    std::vector<double> held(ring.nodes(), 0);
    for (Key k = 0; k < 10'000; ++k)
      for (NodeId n : ring.home_replicas(k, 3)) held[n] += 1;
    return *std::max_element(held.begin(), held.end()) / (30'000.0 / ring.nodes());
  };
  const double one = max_over_mean(Ring(5)), sixteen = max_over_mean(Ring(5, 16));
  EXPECT_GT(one, 1.3);
  EXPECT_LT(sixteen, 1.2);
  EXPECT_LT(sixteen, one);
}

}  // namespace
}  // namespace scalebook::sim::quorum
