// Resources: the fan-out queue (delivery latency, backlog), read cost, cache cap
// and memory, inactive-user rebuilds — each against a hand-derived expectation.
#include <gtest/gtest.h>

#include "sim/fanout/timeline_sim.h"

namespace fo = scalebook::sim::fanout;

namespace {

// User 0 is followed by users 1..n-1; user 1 also follows 2 and 3; 2 follows 3.
std::shared_ptr<const fo::FollowerGraph> star(std::uint32_t n) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // (follower, followee)
  for (std::uint32_t u = 1; u < n; ++u) edges.push_back({u, 0});
  edges.push_back({1, 2});
  edges.push_back({1, 3});
  edges.push_back({2, 3});
  return std::make_shared<const fo::FollowerGraph>(fo::FollowerGraph::from_edges(n, edges));
}

fo::SimDesc desc(fo::Strategy s, std::uint32_t workers, std::int64_t per_worker) {
  fo::SimDesc d;
  d.strategy = s;
  d.fanout_workers = workers;
  d.worker_inserts_per_s = per_worker;
  d.inactive_after_us = 0;
  d.record_deliveries = true;
  return d;
}

}  // namespace

TEST(FanoutQueue, InsertKOfABurstBecomesVisibleAtKOverCapacity) {
  // 2000 followers, 4 workers × 1000 inserts/s = 4000/s: insert k visible at ceil(k·250) µs.
  fo::TimelineSim sim(star(2001), desc(fo::Strategy::Push, 4, 1000));
  const std::int64_t t0 = 1'000'000;
  sim.post(0, t0);
  ASSERT_EQ(sim.deliveries().size(), 2000u);
  for (std::size_t k = 1; k <= 2000; ++k) EXPECT_EQ(sim.deliveries()[k - 1].visible_at_us, t0 + 250 * (std::int64_t)k);
  EXPECT_EQ(sim.posts()[0].last_visible_us, t0 + 500'000);
  // Backlog: 2000 queued at t0, half at t0 + 250 ms, none after 500 ms.
  EXPECT_EQ(sim.backlog_inserts(t0), 2000u);
  EXPECT_EQ(sim.backlog_inserts(t0 + 250'000), 1000u);
  EXPECT_EQ(sim.backlog_inserts(t0 + 500'000), 0u);
  EXPECT_EQ(sim.metrics().backlog_peak_inserts, 2000u);
  EXPECT_EQ(sim.metrics().backlog_peak_drain_us, 500'000);
  EXPECT_EQ(sim.metrics().delivery_latency_us.max(), 500'000u);
}

TEST(FanoutQueue, NonIntegerServiceTimesAreExactAndRoundedUp) {
  // 3 inserts/s: insert k visible at ceil(k · 333333.33) µs.
  fo::TimelineSim sim(star(4), desc(fo::Strategy::Push, 1, 3));
  sim.post(0, 0);
  ASSERT_EQ(sim.deliveries().size(), 3u);
  EXPECT_EQ(sim.deliveries()[0].visible_at_us, 333'334);
  EXPECT_EQ(sim.deliveries()[1].visible_at_us, 666'667);
  EXPECT_EQ(sim.deliveries()[2].visible_at_us, 1'000'000);
}

TEST(FanoutQueue, FifoSecondPostWaitsBehindTheFirstThenTheQueueIdles) {
  fo::TimelineSim sim(star(1001), desc(fo::Strategy::Push, 1, 1000));  // 1 ms per insert
  sim.post(0, 0);                                   // 1000 inserts: done at 1 s
  sim.post(2, 100'000);                             // 1 follower (user 1): queued behind
  EXPECT_EQ(sim.deliveries().back().visible_at_us, 1'001'000);
  sim.post(3, 5'000'000);                           // idle queue: starts at its post time
  const auto& log = sim.deliveries();              // followers of 3: users 1 and 2
  EXPECT_EQ(log[log.size() - 2].visible_at_us, 5'001'000);
  EXPECT_EQ(log.back().visible_at_us, 5'002'000);
}

TEST(FanoutQueue, InstantDeliveryWhenCapacityIsUnbounded) {
  fo::TimelineSim sim(star(50), desc(fo::Strategy::Push, 4, 0));
  sim.post(0, 7);
  for (const auto& d : sim.deliveries()) EXPECT_EQ(d.visible_at_us, 7);
  EXPECT_EQ(sim.backlog_inserts(7), 0u);
  EXPECT_EQ(sim.read(5, 7).not_yet_visible, 0u);
}

TEST(FanoutQueue, BacklogSeriesIsSampledOnTheGrid) {
  auto d = desc(fo::Strategy::Push, 1, 1000);
  d.backlog_sample_us = 100'000;
  fo::TimelineSim sim(star(1001), d);
  sim.post(0, 0);
  sim.advance_to(1'200'000);
  const auto& s = sim.metrics().backlog_series;
  ASSERT_EQ(s.size(), 13u);  // 0, 0.1, ..., 1.2 s
  EXPECT_EQ(s[0].first, 0);
  EXPECT_EQ(s[0].second, 0u);  // sampled before the post at t = 0
  EXPECT_EQ(s[1].second, 900u);
  EXPECT_EQ(s[5].second, 500u);
  EXPECT_EQ(s[10].second, 0u);
}

TEST(FanoutQueue, ReadCostPerStrategy) {
  auto g = star(10);  // user 1 follows 0, 2, 3; 0 has 9 followers
  auto push = desc(fo::Strategy::Push, 1, 0), pull = desc(fo::Strategy::Pull, 1, 0), hyb = desc(fo::Strategy::Hybrid, 1, 0);
  hyb.hybrid_threshold = 5;  // 0 is a "celebrity" (9 followers); 2 and 3 are pushed
  push.fetch_rtt_us = pull.fetch_rtt_us = hyb.fetch_rtt_us = 1000;
  push.parallel_fetches = pull.parallel_fetches = hyb.parallel_fetches = 2;
  fo::TimelineSim a(g, push), b(g, pull), c(g, hyb);
  for (auto* s : {&a, &b, &c}) {
    s->post(0, 10);
    s->post(3, 20);
  }
  const auto ra = a.read(1, 30), rb = b.read(1, 30), rc = c.read(1, 30);
  EXPECT_EQ(ra.fetches, 1u);  // own cache
  EXPECT_EQ(rb.fetches, 3u);  // one per followee
  EXPECT_EQ(rc.fetches, 2u);  // own cache + the one celebrity followee
  EXPECT_EQ(ra.latency_us, 1000);
  EXPECT_EQ(rb.latency_us, 2000);  // ceil(3 / 2) rounds
  EXPECT_EQ(rc.latency_us, 1000);
  EXPECT_EQ(ra.post_ids, rb.post_ids);
  EXPECT_EQ(rb.post_ids, rc.post_ids);
  ASSERT_EQ(ra.post_ids.size(), 2u);
  EXPECT_GT(ra.post_ids[0], ra.post_ids[1]);  // ID descending
  EXPECT_EQ(c.metrics().deliveries, 2u);       // only user 3's post was pushed (to 1 and 2)
  EXPECT_EQ(b.metrics().deliveries, 0u);
}

TEST(FanoutQueue, CacheKeepsTheNewestCapEntriesAndMemoryIsEntriesTimesBytesTimesReplicas) {
  auto d = desc(fo::Strategy::Push, 1, 0);
  d.timeline_cap = 5;
  d.entry_bytes = 20;
  d.replication = 3;
  fo::TimelineSim sim(star(4), d);
  for (int i = 0; i < 23; ++i) sim.post(0, 1000 * i);  // 3 followers × 23 posts
  EXPECT_EQ(sim.metrics().cache_entries, 15u);        // 3 timelines × cap 5
  EXPECT_EQ(sim.cache_memory_bytes(), 15u * 20u * 3u);
  const auto r = sim.read(2, 30'000);
  ASSERT_EQ(r.post_ids.size(), 5u);
  EXPECT_EQ(r.post_ids[0], sim.posts()[22].id);
  EXPECT_EQ(r.post_ids[4], sim.posts()[18].id);
}

TEST(FanoutQueue, InactiveFollowerIsSkippedThenRebuiltOnItsNextRead) {
  auto d = desc(fo::Strategy::Push, 1, 0);
  d.inactive_after_us = 30 * fo::kUsPerDay;
  std::vector<std::int64_t> last_visit(10, 0);
  last_visit[1] = -40 * fo::kUsPerDay;  // user 1 last read 40 days ago
  fo::TimelineSim sim(star(10), d, last_visit);
  EXPECT_FALSE(sim.has_cache(1));
  sim.post(0, 100);
  sim.post(3, 200);  // followers of 3: users 1 and 2
  EXPECT_EQ(sim.metrics().skipped_inactive, 2u);  // user 1, twice
  EXPECT_EQ(sim.metrics().deliveries, 8u + 1u);
  const auto r = sim.read(1, 300);
  EXPECT_TRUE(r.rebuilt);
  EXPECT_EQ(r.fetches, 3u + 1u);  // one per followee merged, then the cache
  ASSERT_EQ(r.post_ids.size(), 2u);
  EXPECT_EQ(sim.metrics().rebuilds, 1u);
  EXPECT_TRUE(sim.has_cache(1));
  sim.post(0, 400);  // user 1 is active again: pushed
  EXPECT_EQ(sim.metrics().skipped_inactive, 2u);
  EXPECT_EQ(sim.read(1, 500).fetches, 1u);
}
