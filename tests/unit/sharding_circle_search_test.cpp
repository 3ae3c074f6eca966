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

}  // namespace
}  // namespace scalebook::sim::sharding
