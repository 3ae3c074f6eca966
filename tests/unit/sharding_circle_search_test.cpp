// The shared "first point ≥ hash, wrapping" search (circle_search.h) that both
// HashRing and KetamaContinuum use: against std::lower_bound + wrap as the
// oracle, its step count against the halving bound, and both callers through it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/core/rng.h"
#include "sim/sharding/circle_search.h"
#include "sim/sharding/hash.h"
#include "sim/sharding/hash_ring.h"
#include "sim/sharding/ketama.h"
#include "sim/sharding/node.h"
#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {
namespace {

template <class Point, class Position>
std::size_t oracle(const std::vector<Point>& pts, Position Point::*pos, Position hash) {
  const auto it = std::lower_bound(pts.begin(), pts.end(), hash, [&](const Point& p, Position h) { return p.*pos < h; });
  return it == pts.end() ? 0 : static_cast<std::size_t>(it - pts.begin());
}

TEST(ShardingCircleSearch, MatchesLowerBoundWithWrapOverRandomCircles) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng(seed);
    const std::size_t n = 1 + static_cast<std::size_t>(rng.next_u64() % 300);
    std::vector<KetamaPoint> pts;
    for (std::size_t i = 0; i < n; ++i)
      pts.push_back({static_cast<std::uint32_t>(rng.next_u64() % 1000), static_cast<std::uint32_t>(i % 7)});  // many ties
    std::sort(pts.begin(), pts.end(), [](const KetamaPoint& a, const KetamaPoint& b) {
      return a.value != b.value ? a.value < b.value : a.server < b.server;
    });
    for (std::uint32_t h = 0; h <= 1001; ++h) {
      std::uint32_t steps = 99;
      const std::size_t got = first_point_at_or_after<KetamaPoint, std::uint32_t>(pts, &KetamaPoint::value, h, &steps);
      ASSERT_EQ(got, oracle(pts, &KetamaPoint::value, h)) << "seed " << seed << " hash " << h;
      // ⌈log2(n + 1)⌉ halvings at most, at least one for a non-empty circle.
      std::uint32_t bound = 0;
      while ((std::size_t{1} << bound) < n + 1) ++bound;
      EXPECT_GE(steps, 1u);
      EXPECT_LE(steps, bound);
    }
  }
}

TEST(ShardingCircleSearch, EdgesWrapAndEmpty) {
  const std::vector<RingPoint> pts = {{10, 0}, {20, 1}, {20, 2}, {30, 0}};
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 0)), 0u);
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 10)), 0u);
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 11)), 1u);
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 20)), 1u);  // first of equal points
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 30)), 3u);
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, 31)), 0u);  // past the top: wrap
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(pts, &RingPoint::position, ~std::uint64_t{0})), 0u);
  std::uint32_t steps = 7;
  EXPECT_EQ((first_point_at_or_after<RingPoint, std::uint64_t>(std::vector<RingPoint>{}, &RingPoint::position, 5, &steps)), 0u);
  EXPECT_EQ(steps, 0u);
}

TEST(ShardingCircleSearch, RingAndKetamaLookUpThroughIt) {
  std::vector<Node> nodes;
  for (int i = 0; i < 7; ++i) nodes.push_back(Node{.host = "10.1.0." + std::to_string(i + 1)});
  HashRing ring;
  ring.build(nodes, 40);
  KetamaContinuum ketama;
  ketama.build(nodes);
  Rng rng(5);
  for (int i = 0; i < 2000; ++i) {
    const std::string key = "key-" + std::to_string(rng.next_u64());
    const std::uint64_t h = hash64(key);
    EXPECT_EQ(ring.point_index(h), oracle(ring.points(), &RingPoint::position, h));
    const std::uint32_t kh = ketama_key_hash(key);
    EXPECT_EQ(ketama.point_index(kh), oracle(ketama.points(), &KetamaPoint::value, kh));
    EXPECT_EQ(ketama.server_for(key), ketama.points()[oracle(ketama.points(), &KetamaPoint::value, kh)].server);
  }
}

// The ring's bucket-table shortcut (point_index without steps) against the
// binary search, over rings of 1 to 3,520 points, with hashes at random, at
// every point's position, one either side of it, at bucket edges and at both
// ends of the circle.
TEST(ShardingCircleSearch, RingBucketTableAgreesWithTheBinarySearch) {
  for (std::size_t n : {1u, 2u, 3u, 7u, 20u}) {
    for (std::uint32_t vnodes : {1u, 2u, 3u, 5u, 160u}) {
      std::vector<Node> nodes = generated_nodes(n);
      if (n > 2) nodes[1].weight = 3;
      HashRing ring;
      ring.build(nodes, vnodes);
      std::vector<std::uint64_t> probes = {0, 1, ~std::uint64_t{0}, ~std::uint64_t{0} - 1, std::uint64_t{1} << 63};
      for (const auto& p : ring.points()) {
        probes.push_back(p.position);
        probes.push_back(p.position - 1);
        probes.push_back(p.position + 1);
      }
      for (int b = 1; b < 20; ++b)
        for (std::uint64_t k = 0; k < 8; ++k) probes.push_back((k << (64 - b)) - (k & 1));
      Rng rng(n * 1000 + vnodes);
      for (int i = 0; i < 3000; ++i) probes.push_back(rng.next_u64());
      for (const std::uint64_t h : probes) {
        std::uint32_t steps = 0;
        const std::size_t searched = ring.point_index(h, &steps);
        ASSERT_EQ(searched, oracle(ring.points(), &RingPoint::position, h));
        ASSERT_EQ(ring.point_index(h), searched) << n << " nodes × " << vnodes << ", hash " << h;
        ASSERT_EQ(ring.indexed_point_index(h), searched);
      }
    }
  }
  HashRing empty;
  empty.build({}, 160);
  EXPECT_EQ(empty.point_index(12345), 0u);
  EXPECT_EQ(empty.indexed_point_index(12345), 0u);
}

// Sharder::node_for (no step count) answers as lookup() does for every strategy.
TEST(ShardingCircleSearch, NodeForAgreesWithLookup) {
  const auto keys = make_workload({.keys = 3000, .seed = 9}).keys;
  for (Strategy s : {Strategy::ModN, Strategy::Ring, Strategy::Ketama, Strategy::Rendezvous, Strategy::Jump,
                     Strategy::Maglev, Strategy::Range, Strategy::Directory, Strategy::Bounded}) {
    const Sharder sharder(ShardingDesc{.strategy = s, .nodes = generated_nodes(13), .vnodes = 100, .table_size = 65537},
                          keys);
    for (const auto& k : keys) ASSERT_EQ(sharder.node_for(k), sharder.lookup(k).node) << static_cast<int>(s) << " " << k;
  }
}

}  // namespace
}  // namespace scalebook::sim::sharding
