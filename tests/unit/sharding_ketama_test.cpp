// Ketama: our continuum against libmemcached itself (Debian's libmemcached-dev),
// an independent implementation, over thousands of keys and several server lists.
// libmemcached computes the key → server index without any network connection:
// memcached_generate_hash() hashes the key and searches the continuum built by
// memcached_server_add_with_weight().
#include <gtest/gtest.h>
#include <libmemcached/memcached.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/sharding/hash.h"
#include "sim/sharding/ketama.h"
#include "sim/sharding/sharder.h"

namespace scalebook::sim::sharding {
namespace {

struct MemcachedDeleter {
  void operator()(memcached_st* m) const { memcached_free(m); }
};
using MemcachedPtr = std::unique_ptr<memcached_st, MemcachedDeleter>;

// A libmemcached client in classic weighted-ketama mode with `servers` added in order.
MemcachedPtr libmemcached_client(const std::vector<Node>& servers) {
  MemcachedPtr memc(memcached_create(nullptr));
  EXPECT_EQ(memcached_behavior_set(memc.get(), MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1), MEMCACHED_SUCCESS);
  for (const auto& s : servers)
    EXPECT_EQ(memcached_server_add_with_weight(memc.get(), s.host.c_str(), static_cast<in_port_t>(s.port), s.weight),
              MEMCACHED_SUCCESS);
  // The settings that make this classic ketama: weighted, MD5 for keys and for the continuum.
  EXPECT_EQ(memcached_behavior_get(memc.get(), MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED), 1u);
  EXPECT_EQ(memcached_behavior_get(memc.get(), MEMCACHED_BEHAVIOR_DISTRIBUTION),
            static_cast<uint64_t>(MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED));
  EXPECT_EQ(memcached_behavior_get(memc.get(), MEMCACHED_BEHAVIOR_HASH), static_cast<uint64_t>(MEMCACHED_HASH_MD5));
  EXPECT_EQ(memcached_behavior_get(memc.get(), MEMCACHED_BEHAVIOR_KETAMA_HASH),
            static_cast<uint64_t>(MEMCACHED_HASH_MD5));
  EXPECT_EQ(memcached_server_count(memc.get()), servers.size());
  return memc;
}

std::vector<std::string> random_keys(std::uint64_t seed, std::size_t n) {
  Rng rng(seed);
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-./";
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) {
    std::string k;
    const auto len = 1 + rng.uniform_int(i % 10 == 0 ? 249 : 40);  // memcached keys are ≤ 250 bytes
    for (std::uint64_t c = 0; c < len; ++c) k += kAlphabet[rng.uniform_int(sizeof kAlphabet - 1)];
    keys.push_back(std::move(k));
  }
  return keys;
}

// Compares every key's server (index and host:port) with libmemcached's; returns the mismatch count.
std::size_t compare_with_libmemcached(const std::vector<Node>& servers, const std::vector<std::string>& keys) {
  auto memc = libmemcached_client(servers);
  Sharder ours(ShardingDesc{.strategy = Strategy::Ketama, .nodes = servers});
  std::size_t mismatches = 0;
  for (const auto& key : keys) {
    const uint32_t theirs = memcached_generate_hash(memc.get(), key.data(), key.size());
    const std::uint32_t mine = ours.node_for(key);
    const memcached_instance_st* inst = memcached_server_instance_by_position(memc.get(), theirs);
    const bool same_name = inst && servers[mine].host == memcached_server_name(inst) &&
                           servers[mine].port == memcached_server_port(inst);
    if (theirs != mine || !same_name) {
      if (++mismatches <= 5) ADD_FAILURE() << "key '" << key << "': libmemcached " << theirs << ", ours " << mine;
    }
  }
  return mismatches;
}

std::vector<Node> parse(const std::string& list) {
  std::string error;
  auto nodes = parse_node_list(list, error);
  EXPECT_EQ(error, "");
  return nodes;
}

TEST(ShardingKetama, PointsPerServerUseLibmemcachedFloatRounding) {
  // weights {1, 2}: 1/3 → floor(0.33333334f·160/4·2 + 1e-10f) = 26 → 104 points;
  // 2/3 → floor(53.333336f) = 53 → 212 points (316 in all, not 320).
  EXPECT_EQ(ketama_points_for(1, 3, 2), 104u);
  EXPECT_EQ(ketama_points_for(2, 3, 2), 212u);
  EXPECT_EQ(ketama_points_for(1, 1, 1), 160u);
  EXPECT_EQ(ketama_points_for(1, 4, 4), 160u);
  KetamaContinuum c;
  c.build(parse("10.0.0.1:11211,10.0.0.2:11211:2"));
  EXPECT_EQ(c.points().size(), 316u);
}

TEST(ShardingKetama, SortKeyFormatDependsOnDefaultPort) {
  // With the default port the sort key omits it ("host-0"), otherwise "host:port-0".
  const auto a = parse("cache-a:11211");
  const auto b = parse("cache-a:11212");
  KetamaContinuum ca, cb;
  ca.build(a);
  cb.build(b);
  const auto first_a = ketama_point_hashes("cache-a-0");
  const auto first_b = ketama_point_hashes("cache-a:11212-0");
  auto contains = [](const KetamaContinuum& c, std::uint32_t v) {
    for (const auto& p : c.points())
      if (p.value == v) return true;
    return false;
  };
  for (auto v : first_a) EXPECT_TRUE(contains(ca, v));
  for (auto v : first_b) EXPECT_TRUE(contains(cb, v));
}

TEST(ShardingKetama, IssueExampleMatchesLibmemcached) {
  EXPECT_EQ(compare_with_libmemcached(parse("10.0.0.1:11211,10.0.0.2:11211:2"), random_keys(1, 5000)), 0u);
}

TEST(ShardingKetama, EqualWeightsDefaultPortMatchesLibmemcached) {
  EXPECT_EQ(compare_with_libmemcached(parse("10.0.1.1,10.0.1.2,10.0.1.3"), random_keys(2, 5000)), 0u);
}

TEST(ShardingKetama, MixedPortsAndWeightsMatchLibmemcached) {
  EXPECT_EQ(compare_with_libmemcached(
                parse("mc1.example.com:11211:1,mc2.example.com:11311:2,mc3.example.com:11211:3,"
                      "mc4.example.com:22122:4,mc5.example.com:11211:5"),
                random_keys(3, 5000)),
            0u);
}

TEST(ShardingKetama, SingleServerMatchesLibmemcached) {
  EXPECT_EQ(compare_with_libmemcached(parse("127.0.0.1:11211"), random_keys(4, 500)), 0u);
}

TEST(ShardingKetama, LargeWeightedListsMatchLibmemcached) {
  // libmemcached 1.1.4 aborts above 100 servers (its MEMCACHED_CONTINUUM_SIZE assertion), so 100 is the top.
  for (auto [seed, n] : {std::pair<std::uint64_t, std::size_t>{10, 50}, {11, 77}, {12, 100}}) {
    Rng rng(seed);
    std::vector<Node> servers;
    for (std::size_t i = 0; i < n; ++i) {
      Node s;
      s.host = "10." + std::to_string(seed) + "." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 1);
      s.port = rng.bernoulli(0.7) ? 11211 : static_cast<std::uint32_t>(11212 + rng.uniform_int(100));
      s.weight = static_cast<std::uint32_t>(1 + rng.uniform_int(rng.bernoulli(0.5) ? 1 : 10));
      servers.push_back(s);
    }
    EXPECT_EQ(compare_with_libmemcached(servers, random_keys(seed * 7, 4000)), 0u) << "seed " << seed << ", " << n
                                                                                   << " servers";
  }
}

TEST(ShardingKetama, HeavilySkewedWeightsMatchLibmemcached) {
  // A tiny-weight server among heavy ones gets few or zero points (floor), exactly as libmemcached.
  EXPECT_EQ(compare_with_libmemcached(parse("a:11211:1,b:11211:100,c:11211:250,d:11212:3,e:11211:1000"),
                                      random_keys(5, 5000)),
            0u);
}

}  // namespace
}  // namespace scalebook::sim::sharding
