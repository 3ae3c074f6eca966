// Link table (sim/net/links.h): overrides, one-way cuts, partitions against a brute-force
// reference, heal, and the version rule that catches a cut-and-heal during a flight.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/net/links.h"

namespace net = scalebook::sim::net;

namespace {

bool contains(const std::vector<net::NodeId>& v, net::NodeId n) { return std::find(v.begin(), v.end(), n) != v.end(); }

net::LinkDesc constant(std::int64_t us) { return net::LinkDesc{net::Latency::constant(us), 0.0}; }

}  // namespace

TEST(NetLinks, OverrideAppliesToOneDirectionUntilCleared) {
  net::LinkTable t(3, constant(1000));
  t.set_link(0, 1, net::LinkDesc{net::Latency::constant(50), 0.25});
  EXPECT_EQ(t.link(0, 1).latency.base_us, 50);
  EXPECT_EQ(t.link(0, 1).loss, 0.25);
  EXPECT_EQ(t.link(1, 0).latency.base_us, 1000);
  EXPECT_EQ(t.link(0, 2).latency.base_us, 1000);
  t.set_default_link(constant(2000));
  EXPECT_EQ(t.link(1, 0).latency.base_us, 2000);
  EXPECT_EQ(t.link(0, 1).latency.base_us, 50);
  t.clear_link(0, 1);
  EXPECT_EQ(t.link(0, 1).latency.base_us, 2000);
}

TEST(NetLinks, CutIsOneWay) {
  net::LinkTable t(3, {});
  t.cut(0, 1);
  EXPECT_FALSE(t.connected(0, 1));
  EXPECT_TRUE(t.connected(1, 0));
  EXPECT_EQ(t.cut_links(), 1u);
  t.restore(0, 1);
  EXPECT_TRUE(t.connected(0, 1));
  EXPECT_EQ(t.cut_links(), 0u);
}

TEST(NetLinks, PartitionMatchesABruteForceReferenceAndLeavesBridges) {
  const std::vector<net::NodeId> a{0, 1, 5}, b{2, 3};  // 4 and 6 are in neither side
  net::LinkTable t(7, {});
  t.partition(a, b);
  for (net::NodeId x = 0; x < 7; ++x) {
    for (net::NodeId y = 0; y < 7; ++y) {
      const bool crosses = (contains(a, x) && contains(b, y)) || (contains(b, x) && contains(a, y));
      EXPECT_EQ(t.connected(x, y), !crosses) << x << "->" << y;
    }
  }
  EXPECT_EQ(t.cut_links(), 2u * a.size() * b.size());
}

TEST(NetLinks, IsolateCutsTheGroupFromEveryoneElse) {
  net::LinkTable t(5, {});
  t.isolate({1, 3});
  for (net::NodeId x = 0; x < 5; ++x) {
    for (net::NodeId y = 0; y < 5; ++y) {
      const bool in_x = x == 1 || x == 3, in_y = y == 1 || y == 3;
      EXPECT_EQ(t.connected(x, y), in_x == in_y) << x << "->" << y;
    }
  }
}

TEST(NetLinks, CutsAccumulateAndHealRestoresEveryLink) {
  net::LinkTable t(4, {});
  t.isolate({0});
  t.cut(2, 3);
  EXPECT_EQ(t.cut_links(), 7u);
  t.heal();
  EXPECT_EQ(t.cut_links(), 0u);
  for (net::NodeId x = 0; x < 4; ++x) {
    for (net::NodeId y = 0; y < 4; ++y) EXPECT_TRUE(t.connected(x, y));
  }
}

TEST(NetLinks, ANodeIsNeverCutFromItself) {
  net::LinkTable t(3, {});
  t.cut(1, 1);
  t.partition({0, 1}, {1, 2});
  EXPECT_TRUE(t.connected(1, 1));
  EXPECT_FALSE(t.connected(0, 1));
}

TEST(NetLinks, IntactSinceSeesACutThatWasHealedAgain) {
  net::LinkTable t(2, {});
  const std::uint64_t sent = t.version();
  EXPECT_TRUE(t.intact_since(0, 1, sent));
  t.cut(0, 1);
  EXPECT_FALSE(t.intact_since(0, 1, sent));
  t.heal();
  EXPECT_TRUE(t.connected(0, 1));
  EXPECT_FALSE(t.intact_since(0, 1, sent));       // it was down during the flight
  EXPECT_TRUE(t.intact_since(1, 0, sent));        // the other direction never was
  EXPECT_TRUE(t.intact_since(0, 1, t.version()));  // a message sent after the heal is fine
  EXPECT_GT(t.version(), sent);
}

TEST(NetLinksDeathTest, AnOutOfRangeNodeAborts) {
  net::LinkTable t(2, {});
  EXPECT_DEATH(t.cut(0, 2), "");
}
