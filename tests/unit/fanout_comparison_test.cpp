// sim/fanout/comparison.h: lanes run in lockstep over one scenario equal each strategy run
// on its own (run_scenario), whatever the steps; and the chart sample of a lane.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/fanout/comparison.h"
#include "sim/fanout/scenario.h"

namespace fo = scalebook::sim::fanout;

namespace {

std::shared_ptr<const fo::Scenario> make(std::uint64_t seed) {
  fo::GraphDesc g{.users = 400, .mean_followers = 12, .exponent = 2.25, .celebrities = 2, .celebrity_followers = 300,
                  .seed = seed};
  fo::WorkloadDesc w{.duration_us = 4'000'000, .posts_per_s = 40, .reads_per_s = 120, .celebrity_post_at_us = 1'000'000,
                     .mean_days_since_visit = 10, .seed = seed};
  return std::make_shared<const fo::Scenario>(fo::build_scenario(g, w));
}

std::vector<fo::SimDesc> strategies() {
  std::vector<fo::SimDesc> out;
  for (fo::Strategy s : {fo::Strategy::Push, fo::Strategy::Pull, fo::Strategy::Hybrid}) {
    fo::SimDesc d;
    d.strategy = s;
    d.hybrid_threshold = 100;
    d.worker_inserts_per_s = 200;
    d.record_deliveries = s == fo::Strategy::Push;
    out.push_back(d);
  }
  return out;
}

void expect_same(const fo::TimelineSim& a, const fo::TimelineSim& b) {
  const auto &m = a.metrics(), &n = b.metrics();
  EXPECT_EQ(m.posts, n.posts);
  EXPECT_EQ(m.reads, n.reads);
  EXPECT_EQ(m.deliveries, n.deliveries);
  EXPECT_EQ(m.fetches, n.fetches);
  EXPECT_EQ(m.stale_reads, n.stale_reads);
  EXPECT_EQ(m.backlog_peak_inserts, n.backlog_peak_inserts);
  EXPECT_EQ(m.backlog_series, n.backlog_series);
  EXPECT_EQ(m.delivery_latency_us.quantile(0.99), n.delivery_latency_us.quantile(0.99));
  EXPECT_EQ(m.timeline_digest.hex(), n.timeline_digest.hex());
  EXPECT_EQ(a.cache_memory_bytes(), b.cache_memory_bytes());
  EXPECT_EQ(a.deliveries().size(), b.deliveries().size());
}

}  // namespace

TEST(FanoutComparison, LanesEqualEachStrategyRunAlone) {
  for (std::uint64_t seed : {1ull, 2ull, 9ull}) {
    const auto sc = make(seed);
    const auto descs = strategies();
    fo::Comparison c(sc, descs);
    c.apply_until(sc->duration_us);
    EXPECT_EQ(c.events_applied(), sc->workload.events.size());
    ASSERT_EQ(c.lanes().size(), descs.size());
    for (std::size_t i = 0; i < descs.size(); ++i) expect_same(c.lanes()[i], fo::run_scenario(*sc, descs[i]));
    // The same reads of the same posts: every strategy returned the same timelines.
    EXPECT_EQ(c.lanes()[0].metrics().timeline_digest.hex(), c.lanes()[1].metrics().timeline_digest.hex());
    EXPECT_EQ(c.lanes()[0].metrics().timeline_digest.hex(), c.lanes()[2].metrics().timeline_digest.hex());
  }
}

TEST(FanoutComparison, StepsDoNotMatter) {
  const auto sc = make(3);
  const auto descs = strategies();
  fo::Comparison whole(sc, descs), steps(sc, descs);
  whole.apply_until(2'345'678);
  for (std::int64_t t = 0; t <= 2'345'678; t += 16'667) steps.apply_until(t);
  steps.apply_until(2'345'678);
  steps.apply_until(1'000'000);  // earlier: nothing happens
  EXPECT_EQ(whole.events_applied(), steps.events_applied());
  for (std::size_t i = 0; i < descs.size(); ++i) {
    expect_same(whole.lanes()[i], steps.lanes()[i]);
    const fo::LaneSample a = fo::sample_lane(whole.lanes()[i], 2'345'678), b = fo::sample_lane(steps.lanes()[i], 2'345'678);
    EXPECT_EQ(a.p99_s, b.p99_s);
    EXPECT_EQ(a.backlog, b.backlog);
    EXPECT_EQ(a.fan_in, b.fan_in);
  }
  // Every event applied is at or before the time, every one left is after it.
  const auto events = whole.events();
  ASSERT_GT(whole.events_applied(), 0u);
  EXPECT_LE(events[whole.events_applied() - 1].time_us, 2'345'678);
  if (whole.events_applied() < events.size()) {
    EXPECT_GT(events[whole.events_applied()].time_us, 2'345'678);
  }
}

TEST(FanoutComparison, SampleReadsTheLanesFigures) {
  const auto sc = make(5);
  const auto descs = strategies();
  fo::Comparison c(sc, descs);
  EXPECT_EQ(fo::sample_lane(c.lanes()[0], 0).write_amp, 0.0f) << "no post yet";
  EXPECT_EQ(fo::sample_lane(c.lanes()[0], 0).fan_in, 0.0f) << "no read yet";
  c.apply_until(1'500'000);  // half a second after the celebrities posted
  const fo::TimelineSim &push = c.lanes()[0], &pull = c.lanes()[1], &hybrid = c.lanes()[2];
  const fo::LaneSample p = fo::sample_lane(push, 1'500'000), q = fo::sample_lane(pull, 1'500'000),
                       h = fo::sample_lane(hybrid, 1'500'000);
  EXPECT_FLOAT_EQ(p.write_amp, static_cast<float>(static_cast<double>(push.metrics().deliveries) /
                                                  static_cast<double>(push.metrics().posts)));
  EXPECT_FLOAT_EQ(q.fan_in, static_cast<float>(static_cast<double>(pull.metrics().fetches) /
                                               static_cast<double>(pull.metrics().reads)));
  EXPECT_EQ(p.backlog, static_cast<float>(push.backlog_inserts(1'500'000)));
  EXPECT_EQ(p.memory_bytes, static_cast<float>(push.cache_memory_bytes()));
  EXPECT_GT(p.backlog, 0.0f) << "the celebrities' inserts are queued";
  EXPECT_EQ(q.backlog, 0.0f);
  EXPECT_EQ(q.memory_bytes, 0.0f);
  EXPECT_EQ(q.write_amp, 0.0f);
  EXPECT_GT(q.fan_in, p.fan_in);
  EXPECT_GT(p.p99_s, h.p99_s) << "push waits behind the celebrities' inserts; the hybrid skips them";
  EXPECT_LE(p.p50_s, p.p99_s);
}
