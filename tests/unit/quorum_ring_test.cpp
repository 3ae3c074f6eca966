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

}  // namespace
}  // namespace scalebook::sim::quorum
