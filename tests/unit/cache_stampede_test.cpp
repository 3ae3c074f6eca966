// The hot-key stampede (src/sim/cache/stampede.h) and memcached's meta-protocol
// lease rules (src/sim/cache/meta_lease.h). The numbers are derived in each
// test from the model's stated rules (Poisson arrivals, fixed query time), so a
// change in behaviour moves them out of their bands.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/cache/meta_lease.h"
#include "sim/cache/stampede.h"

namespace cache = scalebook::sim::cache;
using cache::MetaLease;
using cache::StampedeDesc;
using S = StampedeDesc::Strategy;

namespace {

// λ = 1000/s, a fixed 50 ms query, 0.5 ms cache round trip, TTL 2 s, 200 s.
StampedeDesc hot(S s) {
  StampedeDesc d;
  d.strategy = s;
  d.arrival_rate_per_s = 1000;
  d.duration_us = 200'000'000;
  d.ttl_us = 2'000'000;
  d.db_latency_us = 50'000;
  d.cache_rtt_us = 500;
  d.seed = 7;
  return d;
}

}  // namespace

// [SECTION] MetaLease: the rules of proto_text.c, scripted

TEST(CacheMetaLease, VivifyOnMissWinsOnceThenZ) {
  MetaLease m;
  auto a = m.mg("k", 100, {.vivify_ttl = 30});
  EXPECT_EQ(a.status, MetaLease::Status::Hit);  // the created empty item
  EXPECT_EQ(MetaLease::flags_text(a), "W");
  EXPECT_TRUE(a.value.empty());
  auto b = m.mg("k", 100, {.vivify_ttl = 30});
  EXPECT_EQ(MetaLease::flags_text(b), "Z");
  EXPECT_EQ(b.cas, a.cas);
  // The winner's set with its CAS is stored fresh; readers then get no flags.
  EXPECT_EQ(m.ms("k", "v1", 101, {.ttl = 60, .cas = a.cas}).status, MetaLease::Status::Stored);
  auto c = m.mg("k", 101, {.vivify_ttl = 30});
  EXPECT_EQ(MetaLease::flags_text(c), "");
  EXPECT_EQ(c.value, "v1");
}

TEST(CacheMetaLease, InvalidateMarksStaleAndRefusesTheOldToken) {
  MetaLease m;
  auto a = m.mg("k", 0, {.vivify_ttl = 30});
  ASSERT_TRUE(a.win);
  ASSERT_EQ(m.ms("k", "v1", 0, {.cas = a.cas}).status, MetaLease::Status::Stored);
  auto w = m.mg("k", 1, {.vivify_ttl = 30});
  EXPECT_EQ(MetaLease::flags_text(w), "");
  EXPECT_EQ(m.md("k", 1, {.invalidate = true}).status, MetaLease::Status::Stored);
  auto x = m.mg("k", 1, {.vivify_ttl = 30});
  EXPECT_EQ(MetaLease::flags_text(x), "X W");  // stale, and nobody had the token
  auto y = m.mg("k", 1, {.vivify_ttl = 30});
  EXPECT_EQ(MetaLease::flags_text(y), "Z X");
  EXPECT_EQ(y.value, "v1");  // the stale value is still served
  // A token from before the invalidation is refused; with I it is stored stale.
  EXPECT_EQ(m.ms("k", "old", 2, {.cas = w.cas}).status, MetaLease::Status::Exists);
  EXPECT_EQ(m.ms("k", "old", 2, {.cas = w.cas, .invalidate = true}).status, MetaLease::Status::Stored);
  EXPECT_EQ(MetaLease::flags_text(m.mg("k", 2, {})), "Z X");  // still stale, token kept
  // A second invalidation clears the token: the next reader wins again.
  ASSERT_EQ(m.md("k", 2, {.invalidate = true}).status, MetaLease::Status::Stored);
  auto z = m.mg("k", 2, {});
  EXPECT_EQ(MetaLease::flags_text(z), "X W");
  EXPECT_EQ(m.ms("k", "v2", 3, {.cas = z.cas}).status, MetaLease::Status::Stored);
  EXPECT_EQ(MetaLease::flags_text(m.mg("k", 3, {})), "");
}

TEST(CacheMetaLease, ExpiryCasModeAndDelete) {
  MetaLease m;
  EXPECT_EQ(m.ms("k", "v", 10, {.ttl = 2}).status, MetaLease::Status::Stored);
  EXPECT_EQ(m.mg("k", 11).status, MetaLease::Status::Hit);
  EXPECT_EQ(m.mg("k", 12).status, MetaLease::Status::Miss);  // exptime 12 <= now 12
  EXPECT_EQ(m.ms("k", "v", 12, {.cas = 5}).status, MetaLease::Status::NotFound);
  auto st = m.ms("k", "v", 12, {});
  EXPECT_EQ(m.ms("k", "v", 12, {.cas = 0}).status, MetaLease::Status::Exists);  // C0 is refused
  EXPECT_EQ(m.md("k", 12, {.cas = st.cas + 1}).status, MetaLease::Status::Exists);
  EXPECT_EQ(m.md("k", 12, {}).status, MetaLease::Status::Stored);
  EXPECT_EQ(m.md("k", 12, {}).status, MetaLease::Status::NotFound);
  // The vivified item's own TTL bounds the lease: it expires and a new reader wins.
  EXPECT_TRUE(m.mg("k", 20, {.vivify_ttl = 3}).win);
  EXPECT_FALSE(m.mg("k", 22, {.vivify_ttl = 3}).win);
  EXPECT_TRUE(m.mg("k", 23, {.vivify_ttl = 3}).win);
  // R: win when the remaining TTL is below the token, once.
  m.ms("r", "v", 0, {.ttl = 10});
  EXPECT_FALSE(m.mg("r", 5, {.recache_ttl = 5}).win);  // 10 < 10 is false
  EXPECT_TRUE(m.mg("r", 6, {.recache_ttl = 5}).win);
  EXPECT_EQ(MetaLease::flags_text(m.mg("r", 6, {.recache_ttl = 5})), "Z");
}

// [SECTION] the stampede

TEST(CacheStampede, NoProtectionQueriesEveryArrivalOfTheRecomputeWindow) {
  const auto r = cache::run_stampede(hot(S::None));
  // Each expiry: the first miss plus every arrival until its result lands
  // (rtt + 50 ms later): 1 + λ·(0.0505 s) = 51.5 queries on average.
  ASSERT_GE(r.expiries, 80u);
  const double per_expiry = static_cast<double>(r.db_queries) / static_cast<double>(r.expiries);
  EXPECT_NEAR(per_expiry, 51.5, 3.0);
  EXPECT_GE(r.peak_in_flight, 40u);
  EXPECT_EQ(r.stale_reads, 0u);
  EXPECT_EQ(r.reads, r.hits + r.db_queries);
  // Misses wait for their own query: the p99.9 read is a miss.
  EXPECT_EQ(r.latency_percentile_us(99.9), 50'500);
  EXPECT_EQ(r.latency_percentile_us(50), 500);
}

TEST(CacheStampede, LeasesQueryExactlyOncePerExpiry) {
  const auto r = cache::run_stampede(hot(S::Lease));
  ASSERT_GE(r.expiries, 60u);
  EXPECT_EQ(r.db_queries, r.expiries);
  EXPECT_EQ(r.peak_in_flight, 1u);
  EXPECT_EQ(r.refused_sets, 0u);
  EXPECT_EQ(r.sets, r.db_queries);
  EXPECT_GT(r.lease_retries, 20u * r.expiries);  // ~50 waiters per expiry, each retrying
  // A waiter is served within one retry after the set lands: ≤ 2 rtt + query + retry.
  EXPECT_LE(r.latency_percentile_us(100), 500 + 50'000 + 10'000 + 500 + 500);
  EXPECT_GT(r.latency_percentile_us(99.9), 40'000);
}

TEST(CacheStampede, CoalescingIsPerServer) {
  auto one = hot(S::Coalesce);
  const auto r1 = cache::run_stampede(one);
  EXPECT_EQ(r1.db_queries, r1.expiries);
  auto eight = hot(S::Coalesce);
  eight.servers = 8;
  eight.arrival_rate_per_s = 100;
  const auto r8 = cache::run_stampede(eight);
  // The first miss's server queries; each of the other 7 does when one of its
  // readers arrives within the 50.5 ms window: 1 + 7·(1 − e^{−(100/8)·0.0505}).
  const double expected = 1 + 7 * (1 - std::exp(-100.0 / 8 * 0.0505));
  ASSERT_GE(r8.expiries, 60u);
  EXPECT_NEAR(static_cast<double>(r8.db_queries) / static_cast<double>(r8.expiries), expected, 0.5);
}

TEST(CacheStampede, StaleWhileRevalidateNeverMakesAReaderWait) {
  const auto r = cache::run_stampede(hot(S::StaleWhileRevalidate));
  ASSERT_GE(r.expiries, 80u);
  EXPECT_EQ(r.db_queries, r.expiries);
  EXPECT_EQ(r.latency_percentile_us(100), 500);
  // Stale reads: the arrivals during each background refresh, ~λ·(rtt + 50 ms).
  EXPECT_NEAR(static_cast<double>(r.stale_reads) / static_cast<double>(r.expiries), 51.5, 3.0);
}

TEST(CacheStampede, XFetchEarlyRecomputeProbability) {
  // A read with r of TTL left triggers with probability exp(−r/(δβ)); over a
  // value's life under Poisson(λ) reads, P(≥ 1 trigger) = 1 − exp(−λδβ(1 − e^{−T/δβ})).
  StampedeDesc d;
  d.strategy = S::XFetch;
  d.arrival_rate_per_s = 10;
  d.db_latency_us = 1'000;
  d.cache_rtt_us = 500;
  d.xfetch_beta = 100;  // δβ = 0.1 s, λδβ = 1
  d.ttl_us = 2'000'000;
  d.duration_us = 4'000'000'000;
  d.seed = 3;
  const auto r = cache::run_stampede(d);
  ASSERT_GE(r.versions, 1500u);
  const double p = static_cast<double>(r.versions_triggered) / static_cast<double>(r.versions);
  const double expected = 1 - std::exp(-1.0 * (1 - std::exp(-20.0)));  // 0.632
  EXPECT_NEAR(p, expected, 0.035);
  EXPECT_GE(r.early_recomputes, r.versions_triggered);
}

TEST(CacheStampede, XFetchBetaZeroIsNoProtectionAndLargeBetaPreventsExpiry) {
  auto x0 = hot(S::XFetch);
  x0.xfetch_beta = 0;
  const auto a = cache::run_stampede(x0);
  const auto b = cache::run_stampede(hot(S::None));
  EXPECT_EQ(a.early_recomputes, 0u);
  EXPECT_EQ(a.db_queries, b.db_queries);
  EXPECT_EQ(a.latencies_us, b.latencies_us);
  auto x1 = hot(S::XFetch);  // λδβ = 1000 · 0.05 · 1 = 50: e^{−50}, never expires
  const auto c = cache::run_stampede(x1);
  EXPECT_EQ(c.expiries, 0u);
  EXPECT_GT(c.early_recomputes, 90u);
  EXPECT_LT(c.db_queries, b.db_queries / 4);
}

TEST(CacheStampede, WritesCauseStaleSetsExceptUnderLeases) {
  auto none = hot(S::None);
  none.write_every_us = 25'000;  // a write inside every recompute window
  none.duration_us = 20'000'000;
  const auto n = cache::run_stampede(none);
  EXPECT_GT(n.stale_sets, 100u);
  EXPECT_GT(n.outdated_reads, 0u);
  // Leases: a write every 100 ms, queries of 50 ms + Exp(40 ms): about 30 % of
  // them still run when the next write's md I bumps the CAS.
  auto lease = hot(S::Lease);
  lease.write_every_us = 100'000;
  lease.db_jitter_mean_us = 40'000;
  lease.duration_us = 20'000'000;
  const auto l = cache::run_stampede(lease);
  EXPECT_EQ(l.stale_sets, 0u);  // md I bumped the CAS: the old token's set is EX
  EXPECT_GT(l.refused_sets, 20u);
  EXPECT_GT(l.invalidations, 150u);
  EXPECT_GT(l.stale_reads, 0u);  // X Z readers take the stale value
  EXPECT_EQ(l.db_queries, l.sets + l.refused_sets);
}

TEST(CacheStampede, BucketsAddUpAndTheRunIsDeterministic) {
  auto d = hot(S::None);
  d.db_jitter_mean_us = 20'000;
  d.db_load_factor = 0.01;
  d.duration_us = 20'000'000;
  const auto a = cache::run_stampede(d);
  std::uint64_t started = 0, reads = 0;
  std::uint32_t peak = 0;
  for (const auto& b : a.buckets) {
    started += b.queries_started;
    reads += b.reads;
    peak = std::max(peak, b.max_in_flight);
  }
  EXPECT_EQ(started, a.db_queries);
  EXPECT_EQ(reads, a.reads);
  EXPECT_EQ(peak, a.peak_in_flight);
  EXPECT_EQ(std::accumulate(a.queries_per_second.begin(), a.queries_per_second.end(), std::uint64_t{0}), a.db_queries);
  EXPECT_EQ(a.latencies_us.size(), a.reads);
  const auto b = cache::run_stampede(d);
  EXPECT_EQ(a.latencies_us, b.latencies_us);
  EXPECT_EQ(a.queries_per_second, b.queries_per_second);
  d.seed = 8;
  EXPECT_NE(cache::run_stampede(d).latencies_us, a.latencies_us);
  // Every strategy offers each query's result to the cache, with writes too.
  for (S s : {S::None, S::Lease, S::Coalesce, S::StaleWhileRevalidate, S::XFetch}) {
    d.strategy = s;
    d.write_every_us = 300'000;
    const auto r = cache::run_stampede(d);
    EXPECT_EQ(r.db_queries, r.sets + r.refused_sets) << cache::strategy_name(s);
    EXPECT_EQ(r.latencies_us.size(), r.reads) << cache::strategy_name(s);
    if (s != S::Lease) {
      EXPECT_EQ(r.refused_sets, 0u) << cache::strategy_name(s);
    }
  }
}
