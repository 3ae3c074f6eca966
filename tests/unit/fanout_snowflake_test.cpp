// Snowflake IDs against Twitter's definition (twitter-archive/snowflake IdWorker.scala
// and its IdWorkerSpec masks) and a published decoded example.
#include <gtest/gtest.h>

#include <set>

#include "sim/core/rng.h"
#include "sim/fanout/snowflake.h"

namespace fo = scalebook::sim::fanout;

namespace {
// Masks as written in the reference's IdWorkerSpec.scala.
constexpr std::uint64_t kWorkerMask = 0x000000000001F000ull;
constexpr std::uint64_t kDatacenterMask = 0x00000000003E0000ull;
constexpr std::uint64_t kTimestampMask = 0xFFFFFFFFFFC00000ull;
}  // namespace

TEST(FanoutSnowflake, BitLayoutMatchesReferenceMasks) {
  EXPECT_EQ(fo::kTwitterEpochMs, 1288834974657);
  for (std::uint32_t w = 0; w <= 31; ++w)
    for (std::uint32_t dc = 0; dc <= 31; dc += 31) {
      fo::SnowflakeGenerator g(dc, w);
      const std::int64_t t = 1356998400000;  // 2013-01-01
      const auto id = g.next(t)->id;
      EXPECT_EQ((id & kWorkerMask) >> 12, w);
      EXPECT_EQ((id & kDatacenterMask) >> 17, dc);
      EXPECT_EQ(static_cast<std::int64_t>((id & kTimestampMask) >> 22), t - fo::kTwitterEpochMs);
      EXPECT_EQ(id & 0xFFF, 0u);
      EXPECT_EQ(id >> 63, 0u);  // positive as a signed 64-bit integer
    }
}

TEST(FanoutSnowflake, DecodesPublishedExample) {
  // Wikipedia's Snowflake ID example: tweet 1541815603606036480 was created
  // 2022-06-28T16:07:40.105Z = Unix ms 1656432460105.
  const auto p = fo::snowflake_decode(1541815603606036480ull);
  EXPECT_EQ(p.unix_ms, 1656432460105);
  EXPECT_EQ(p.datacenter_id, 11u);
  EXPECT_EQ(p.worker_id, 26u);
  EXPECT_EQ(p.sequence, 0u);
  EXPECT_EQ(fo::snowflake_encode(p), 1541815603606036480ull);
}

TEST(FanoutSnowflake, EncodeDecodeRoundTripsRandomParts) {
  scalebook::sim::Rng rng(99);
  for (int i = 0; i < 10000; ++i) {
    fo::SnowflakeParts p{.unix_ms = fo::kTwitterEpochMs + static_cast<std::int64_t>(rng.uniform_int(1ull << 41)),
                         .datacenter_id = static_cast<std::uint32_t>(rng.uniform_int(32)),
                         .worker_id = static_cast<std::uint32_t>(rng.uniform_int(32)),
                         .sequence = static_cast<std::uint32_t>(rng.uniform_int(4096))};
    const auto d = fo::snowflake_decode(fo::snowflake_encode(p));
    EXPECT_EQ(d.unix_ms, p.unix_ms);
    EXPECT_EQ(d.datacenter_id, p.datacenter_id);
    EXPECT_EQ(d.worker_id, p.worker_id);
    EXPECT_EQ(d.sequence, p.sequence);
  }
}

TEST(FanoutSnowflake, SequenceCountsWithinAMillisecondAndResetsOnTheNext) {
  fo::SnowflakeGenerator g(1, 1);
  const std::int64_t t = 1356998400000;
  for (std::uint32_t i = 0; i < 10; ++i) EXPECT_EQ(fo::snowflake_decode(g.next(t)->id).sequence, i);
  const auto next = fo::snowflake_decode(g.next(t + 1)->id);
  EXPECT_EQ(next.sequence, 0u);
  EXPECT_EQ(next.unix_ms, t + 1);
  // A jump of several ms also resets to 0.
  EXPECT_EQ(fo::snowflake_decode(g.next(t + 50)->id).sequence, 0u);
}

TEST(FanoutSnowflake, SequenceOverflowWaitsForTheNextMillisecond) {
  // 4096 IDs fit in one ms; the 4097th is sequence 0 of the next ms (tilNextMillis).
  fo::SnowflakeGenerator g(4, 4);
  const std::int64_t t = 1356998400000;
  std::uint64_t last = 0;
  for (int i = 0; i < 4096; ++i) {
    const auto is = *g.next(t);
    EXPECT_EQ(is.unix_ms, t);
    EXPECT_GT(is.id, last);
    last = is.id;
  }
  const auto wrapped = *g.next(t);
  EXPECT_EQ(wrapped.unix_ms, t + 1);
  EXPECT_EQ(fo::snowflake_decode(wrapped.id).sequence, 0u);
  EXPECT_GT(wrapped.id, last);
  // The clock still reads t: the reference would have slept; a strict caller is now "behind".
  EXPECT_FALSE(g.next(t).has_value());
  // A caller queued behind the sleeping generator gets t+1, sequence 1.
  const auto queued = *g.next_waiting(t);
  EXPECT_EQ(queued.unix_ms, t + 1);
  EXPECT_EQ(fo::snowflake_decode(queued.id).sequence, 1u);
}

TEST(FanoutSnowflake, ReferenceSpecRolloverSleepsOnce) {
  // IdWorkerSpec "sleep if we would rollover twice in the same millisecond":
  // clock 2, 2, 3 with sequence forced to 4095 before each call.
  fo::SnowflakeGenerator g(1, 1);
  const std::int64_t base = 1356998400000;
  g.set_sequence_for_test(4095, -1);
  const auto a = *g.next(base + 2);  // new ms: sequence 0, no wait
  EXPECT_EQ(a.unix_ms, base + 2);
  g.set_sequence_for_test(4095, base + 2);
  const auto b = *g.next(base + 2);  // same ms, wraps: waits until base + 3
  EXPECT_EQ(b.unix_ms, base + 3);
  EXPECT_EQ(fo::snowflake_decode(b.id).sequence, 0u);
}

TEST(FanoutSnowflake, BackwardsClockIsRefusedAndStateKept) {
  fo::SnowflakeGenerator g(0, 0);
  const std::int64_t t = 1356998400000;
  const auto a = *g.next(t);
  EXPECT_FALSE(g.next(t - 1).has_value());
  const auto b = *g.next(t);
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(fo::snowflake_decode(b.id).sequence, 1u);  // not a reused sequence
}

TEST(FanoutSnowflake, BeforeTwitterEpochIsRefused) {
  fo::SnowflakeGenerator g(0, 0);
  EXPECT_FALSE(g.next(fo::kTwitterEpochMs - 1).has_value());
  EXPECT_EQ(g.next(fo::kTwitterEpochMs)->id, 0u);
}

TEST(FanoutSnowflake, IdsOverFiftyBillionAsInTheReferenceSpec) {
  fo::SnowflakeGenerator g(0, 0);
  EXPECT_GT(g.next(1356998400000)->id, 50'000'000'000ull);
}

TEST(FanoutSnowflake, MonotonicAndUniqueUnderRandomClocksManySeeds) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    scalebook::sim::Rng rng(seed);
    fo::SnowflakeGenerator g(static_cast<std::uint32_t>(seed % 32), static_cast<std::uint32_t>(seed * 7 % 32));
    std::int64_t clock = 1356998400000;
    std::uint64_t last = 0;
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 20000; ++i) {
      if (rng.bernoulli(0.001)) clock += static_cast<std::int64_t>(rng.uniform_int(3));  // mostly same ms: forces wraps
      const auto is = *g.next_waiting(clock);
      ASSERT_GT(is.id, last);
      ASSERT_GE(is.unix_ms, clock);
      last = is.id;
      seen.insert(is.id);
      const auto p = fo::snowflake_decode(is.id);
      ASSERT_EQ(p.unix_ms, is.unix_ms);
    }
    EXPECT_EQ(seen.size(), 20000u);
  }
}

TEST(FanoutSnowflake, DistinctWorkersNeverCollideInTheSameMillisecond) {
  std::set<std::uint64_t> ids;
  for (std::uint32_t dc = 0; dc < 32; ++dc)
    for (std::uint32_t w = 0; w < 32; ++w) {
      fo::SnowflakeGenerator g(dc, w);
      for (int i = 0; i < 5; ++i) ids.insert(g.next(1356998400000)->id);
    }
  EXPECT_EQ(ids.size(), 32u * 32u * 5u);
}
