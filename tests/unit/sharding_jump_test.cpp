// Jump Consistent Hash against the paper's reference function and golden values.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/core/rng.h"
#include "sim/sharding/jump.h"
#include "sim/sharding/sharder.h"

namespace scalebook::sim::sharding {
namespace {

// The oracle: Lamping & Veach (2014), Figure 1, as printed in the paper.
int32_t PaperJumpConsistentHash(uint64_t key, int32_t num_buckets) {
  int64_t b = -1, j = 0;
  while (j < num_buckets) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
  }
  return b;
}

TEST(ShardingJump, EqualsPaperReferenceOnManyKeys) {
  Rng rng(2014);
  const std::int32_t bucket_counts[] = {1, 2, 3, 7, 10, 11, 100, 101, 1000, 65536, 1000003, 2147483647};
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t key = i < 1000 ? static_cast<std::uint64_t>(i) : rng.next_u64();
    const std::int32_t n = bucket_counts[i % std::size(bucket_counts)];
    ASSERT_EQ(jump_consistent_hash(key, n), PaperJumpConsistentHash(key, n)) << "key " << key << " buckets " << n;
  }
}

TEST(ShardingJump, GoldenValuesGeneratedFromTheReferenceCode) {
  // dgryski/go-jump's test table, "generated from the reference C++ code": bucket for n = 1, 2, ...
  struct Case {
    std::uint64_t key;
    std::vector<std::int32_t> buckets;
  };
  const Case cases[] = {
      {0, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
      {1, {0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17}},
      {0xdeadbeef, {0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16}},
      {0x0ddc0ffeebadf00d, {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15}},
  };
  for (const auto& c : cases)
    for (std::size_t i = 0; i < c.buckets.size(); ++i)
      EXPECT_EQ(jump_consistent_hash(c.key, static_cast<std::int32_t>(i + 1)), c.buckets[i])
          << "key " << c.key << " buckets " << i + 1;
}

TEST(ShardingJump, DecimalKeysAreUsedAsTheIntegerItself) {
  EXPECT_EQ(jump_key("3735928559"), 0xdeadbeefull);
  EXPECT_EQ(jump_key("18446744073709551615"), UINT64_MAX);
  EXPECT_NE(jump_key("18446744073709551616"), 0ull);  // overflow: hashed as text, not wrapped
  EXPECT_NE(jump_key("12a"), 12ull);
  Sharder s(ShardingDesc{.strategy = Strategy::Jump, .nodes = generated_nodes(17)});
  EXPECT_EQ(s.node_for("3735928559"), 16u);  // golden: key 0xdeadbeef, 17 buckets → 16
}

}  // namespace
}  // namespace scalebook::sim::sharding
