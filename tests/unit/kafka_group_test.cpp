// The consumer-group model (src/sim/kafka/group.h) and the kafka widget's Scenario: offsets
// conserved, assignments equal to the ported assignors at every generation, the eager and
// cooperative protocols' pauses, crash detection at session expiry, static membership,
// duplicates after a crash, determinism and replay.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "scenario_support.h"
#include "sim/kafka/assignors.h"
#include "sim/kafka/group.h"
#include "widgets/catalog.h"
#include "widgets/kafka/scenario.h"
#include "widgets/params.h"
#include "widgets/run.h"

namespace scalebook {
namespace {

using sim::kafka::AssignorKind;
using sim::kafka::ConsumerGroup;
using sim::kafka::GroupDesc;
using sim::kafka::Life;

constexpr std::int64_t S = 1'000'000;

// Partitions being consumed right now.
std::set<int> consuming(const ConsumerGroup& g) {
  std::set<int> out;
  for (std::size_t p = 0; p < g.partitions().size(); ++p)
    if (g.partitions()[p].consuming) out.insert(static_cast<int>(p));
  return out;
}

// Each in-group member's partitions, by member id, as the model holds them.
sim::kafka::Assignment held(const ConsumerGroup& g) {
  sim::kafka::Assignment a;
  for (const auto& m : g.members())
    if (m.in_group) {
      auto& tps = a[m.member_id];  // an entry for every member, as the assignors give
      for (int p : m.owned) tps.push_back({"events", p});
    }
  return a;
}

void expect_invariants(const ConsumerGroup& g) {
  const auto t = g.totals();
  EXPECT_EQ(t.appended, t.unique + static_cast<std::uint64_t>(t.backlog));
  EXPECT_EQ(t.processed, t.unique + t.duplicates);
  EXPECT_GE(t.lag, t.backlog);
  // Every partition has at most one owner, and that owner holds it.
  for (std::size_t p = 0; p < g.partitions().size(); ++p) {
    const int o = g.partitions()[p].owner;
    int holders = 0;
    for (const auto& m : g.members())
      if (m.in_group && std::count(m.owned.begin(), m.owned.end(), static_cast<int>(p))) ++holders;
    EXPECT_EQ(holders, o < 0 ? 0 : 1) << "partition " << p;
    EXPECT_LE(g.partitions()[p].committed, g.partitions()[p].log_end);
  }
}

// A schedule of actions over many seeds and both protocols: the offsets always add up.
TEST(KafkaGroup, RecordsAreConservedUnderAnySchedule) {
  for (const auto a : {AssignorKind::Range, AssignorKind::RoundRobin, AssignorKind::Sticky, AssignorKind::CooperativeSticky})
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      GroupDesc d;
      d.assignor = a;
      d.seed = seed;
      d.static_membership = seed % 2 == 0;
      d.hot_percent = seed % 3 == 0 ? 40 : 0;
      ConsumerGroup g(d);
      sim::Rng r(seed * 77);
      for (int step = 0; step < 40; ++step) {
        g.advance(static_cast<std::int64_t>(r.uniform_int(4 * S)));
        const int slot = 1 + static_cast<int>(r.uniform_int(static_cast<std::uint64_t>(g.slots())));
        switch (r.uniform_int(4)) {
          case 0: g.join(); break;
          case 1: g.leave(slot); break;
          case 2: g.crash(slot); break;
          default: g.restart(slot); break;
        }
        expect_invariants(g);
      }
      g.advance(60 * S);
      expect_invariants(g);
      EXPECT_GT(g.totals().appended, 0u);
    }
}

TEST(KafkaGroup, EveryGenerationIsTheAssignorsOwnAnswer) {
  // Range at t = 0: members ordered by member.id, two contiguous partitions each.
  GroupDesc d;
  ConsumerGroup g(d);
  std::vector<std::string> ids;
  for (const auto& m : g.members()) ids.push_back(m.member_id);
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& tps = g.last_assignment().at(ids[i]);
    ASSERT_EQ(tps.size(), 2u);
    EXPECT_EQ(tps[0].partition, static_cast<int>(2 * i));
    EXPECT_EQ(tps[1].partition, static_cast<int>(2 * i + 1));
  }
  EXPECT_EQ(held(g), g.last_assignment());
  // After a join (eager): the held partitions are the assignor's answer for the new members.
  g.advance(10 * S);
  g.join();
  g.advance(4 * S);
  EXPECT_EQ(g.generation(), 2);
  std::vector<sim::kafka::Member> in;
  for (const auto& m : g.members()) in.push_back({m.member_id, {"events"}, std::nullopt, {}, std::nullopt});
  EXPECT_EQ(sim::kafka::assign_range({{"events", 12}}, in), held(g));

  // Cooperative: the first round revokes exactly owned − cooperative assignment; the second
  // hands them over, ending where the sticky assignor would.
  d.assignor = AssignorKind::CooperativeSticky;
  ConsumerGroup c(d);
  c.advance(10 * S);
  const auto before = held(c);
  c.join();
  c.advance(S);  // inside round 1
  std::vector<sim::kafka::Member> owned;
  for (const auto& m : c.members()) {
    sim::kafka::Member x{m.member_id, {"events"}, std::nullopt, {}, std::nullopt};
    if (before.count(m.member_id)) {
      x.owned = before.at(m.member_id);
      x.generation = 1;
    }
    owned.push_back(x);
  }
  const auto coop = sim::kafka::assign_cooperative_sticky({{"events", 12}}, owned);
  const auto sticky = sim::kafka::assign_sticky({{"events", 12}}, owned);
  c.advance(2 * S + 500'000);  // round 1 ended at 13 s, round 2 runs
  EXPECT_EQ(c.generation(), 2);
  EXPECT_EQ(held(c), coop.assignment);
  EXPECT_EQ(static_cast<int>(coop.transferring.size()), c.rounds().at(0).revoked);
  c.advance(3 * S);
  EXPECT_EQ(c.generation(), 3);
  EXPECT_EQ(held(c), sticky.assignment);
}

TEST(KafkaGroup, AnEagerRoundStopsEveryConsumer) {
  GroupDesc d;
  ConsumerGroup g(d);
  g.advance(10 * S);
  EXPECT_EQ(consuming(g).size(), 12u);
  const auto stalled = g.totals().stalled_partition_us;
  g.join();
  EXPECT_TRUE(consuming(g).empty());
  g.advance(2'990'000);
  EXPECT_TRUE(consuming(g).empty());
  EXPECT_TRUE(g.in_round());
  g.advance(10'000);
  EXPECT_FALSE(g.in_round());
  EXPECT_EQ(consuming(g).size(), 12u);
  EXPECT_EQ(g.rounds().size(), 1u);
  EXPECT_EQ(g.rounds()[0].end_us - g.rounds()[0].start_us, 3 * S);
  EXPECT_EQ(g.rounds()[0].revoked, 12);
  EXPECT_EQ(g.totals().stalled_partition_us - stalled, 12 * 3 * S);
  EXPECT_EQ(g.totals().duplicates, 0u);  // everyone committed before revoking
}

// Auto-commit: every auto.commit.interval.ms from the consumer's start; the commit that opens
// a rebalance does not move that timer (only the periodic commit resets nextAutoCommitTimer).
TEST(KafkaGroup, AutoCommitKeepsItsPeriodThroughARebalance) {
  ConsumerGroup g(GroupDesc{});
  g.advance(12 * S);
  EXPECT_EQ(g.partitions()[0].committed, 5000);  // 500 records/s, committed at 10 s
  EXPECT_EQ(g.members()[0].next_commit_us, 15 * S);
  g.join();
  EXPECT_EQ(g.partitions()[0].committed, 6000);  // onJoinPrepare committed at 12 s
  EXPECT_EQ(g.members()[0].next_commit_us, 15 * S);
  EXPECT_EQ(g.members()[6].next_commit_us, 17 * S);  // the newcomer's own timer
}

TEST(KafkaGroup, ACooperativeRebalanceTakesTwoRoundsAndOnlyMovedPartitionsPause) {
  GroupDesc d;
  d.assignor = AssignorKind::CooperativeSticky;
  ConsumerGroup g(d);
  g.advance(10 * S);
  g.join();
  EXPECT_EQ(consuming(g).size(), 12u);  // round 1: nobody stops
  g.advance(3 * S);
  ASSERT_EQ(g.rounds().size(), 2u);
  EXPECT_TRUE(g.rounds()[1].follow_up);
  const int moved = g.rounds()[0].revoked;
  EXPECT_EQ(moved, 1);  // 12 over 7: minQuota 1, so the newcomer takes one partition from one member
  EXPECT_EQ(static_cast<int>(consuming(g).size()), 12 - moved);
  g.advance(3 * S);
  EXPECT_EQ(g.generation(), 3);
  EXPECT_EQ(consuming(g).size(), 12u);
  EXPECT_EQ(g.totals().rebalances, 2);
  EXPECT_EQ(g.totals().stalled_partition_us, moved * 3 * S);
}

TEST(KafkaGroup, ACrashIsDetectedASessionTimeoutAfterTheLastHeartbeat) {
  GroupDesc d;
  ConsumerGroup g(d);
  g.advance(10'500'000);
  ASSERT_EQ(g.crash(2), "");
  const auto& m = g.members()[1];
  EXPECT_EQ(m.expires_us, 9 * S + 45 * S);  // heartbeats at 0, 3, 6, 9 s
  g.advance(54 * S - 10'500'000 - 1);
  EXPECT_TRUE(g.rounds().empty());
  EXPECT_EQ(consuming(g).size(), 10u);  // its two partitions wait, unread
  g.advance(1);
  ASSERT_EQ(g.rounds().size(), 1u);
  EXPECT_EQ(g.rounds()[0].start_us, 54 * S);
  EXPECT_FALSE(g.members()[1].in_group);
}

TEST(KafkaGroup, DuplicatesAfterACrashAreTheRecordsProcessedSinceTheLastCommit) {
  for (const auto a : {AssignorKind::Range, AssignorKind::CooperativeSticky}) {
    GroupDesc d;
    d.assignor = a;
    ConsumerGroup g(d);
    g.advance(12'340'000);
    std::int64_t uncommitted = 0;
    for (int p : g.members()[2].owned) uncommitted += g.partitions()[p].position - g.partitions()[p].committed;
    EXPECT_GT(uncommitted, 0);
    ASSERT_EQ(g.crash(3), "");
    g.advance(80 * S);
    EXPECT_EQ(g.totals().duplicates, static_cast<std::uint64_t>(uncommitted));
    expect_invariants(g);
  }
  // A graceful leave commits first: nothing twice.
  ConsumerGroup g(GroupDesc{});
  g.advance(12'340'000);
  ASSERT_EQ(g.leave(3), "");
  ASSERT_EQ(g.rounds().size(), 1u);  // LeaveGroup: at once
  EXPECT_EQ(g.rounds()[0].start_us, 12'340'000);
  g.advance(30 * S);
  EXPECT_EQ(g.totals().duplicates, 0u);
}

TEST(KafkaGroup, AStaticMemberRestartedInsideTheSessionTimeoutCausesNoRebalance) {
  GroupDesc d;
  d.static_membership = true;
  ConsumerGroup g(d);
  g.advance(10 * S);
  const auto parts = g.members()[3].owned;
  ASSERT_EQ(g.crash(4), "");
  g.advance(20 * S);
  ASSERT_EQ(g.restart(4), "");
  g.advance(60 * S);
  EXPECT_TRUE(g.rounds().empty());
  EXPECT_EQ(g.generation(), 1);
  EXPECT_EQ(g.members()[3].owned, parts);
  EXPECT_EQ(consuming(g).size(), 12u);
  // A static member's clean shutdown sends no LeaveGroup either: the group notices at expiry.
  ConsumerGroup s(d);
  s.advance(10 * S);
  ASSERT_EQ(s.leave(1), "");
  s.advance(44 * S - 1);
  EXPECT_TRUE(s.rounds().empty());
  s.advance(1);
  ASSERT_EQ(s.rounds().size(), 1u);
  EXPECT_EQ(s.rounds()[0].start_us, 9 * S + 45 * S);
  s.advance(5 * S);
  EXPECT_EQ(s.generation(), 2);
  // Restarted after the expiry, it is a new member: a rebalance.
  ASSERT_EQ(s.restart(1), "");
  s.advance(10 * S);
  EXPECT_EQ(s.generation(), 3);
}

TEST(KafkaGroup, ADynamicRestartStartsARoundTheDeadMemberHoldsOpen) {
  ConsumerGroup g(GroupDesc{});
  g.advance(10 * S);
  ASSERT_EQ(g.crash(1), "");
  g.advance(10 * S);
  ASSERT_EQ(g.restart(1), "");  // a new member.id joins at 20 s
  ASSERT_EQ(g.rounds().size(), 1u);
  EXPECT_TRUE(consuming(g).empty());  // eager: everyone revoked
  g.advance(34 * S - 1);              // until 54 s − 1 µs: the old member has not expired
  EXPECT_TRUE(g.in_round());
  g.advance(1);
  EXPECT_FALSE(g.in_round());
  EXPECT_EQ(g.rounds()[0].end_us, 54 * S);
  EXPECT_EQ(g.members().size(), 7u);
  EXPECT_EQ(g.members()[6].owned.size(), 2u);
}

TEST(KafkaGroup, MoreConsumersThanPartitionsLeaveSomeIdle) {
  GroupDesc d;
  d.consumers = 13;
  ConsumerGroup g(d);
  int idle = 0;
  for (const auto& m : g.members()) idle += m.owned.empty() ? 1 : 0;
  EXPECT_EQ(idle, 1);
  // Joins beyond the widget's cap are no-ops (applied, with a note).
  for (int i = 0; i < 25; ++i) EXPECT_EQ(g.join(), "");
  int live = 0;
  for (const auto& m : g.members()) live += m.in_group && m.life == Life::Live ? 1 : 0;
  EXPECT_EQ(live, sim::kafka::kMaxLiveConsumers);
  EXPECT_NE(g.events().back().find("no consumer joined"), std::string::npos);
}

TEST(KafkaGroup, SameSeedSameRunAndAdvanceSplitsFreely) {
  for (std::uint64_t seed : {1ull, 2ull, 99ull}) {
    GroupDesc d;
    d.seed = seed;
    d.assignor = AssignorKind::CooperativeSticky;
    const auto script = [](ConsumerGroup& g, const std::vector<std::int64_t>& steps) {
      std::int64_t t = 0;
      for (auto dt : steps) {
        g.advance(dt);
        t += dt;
        if (t == 10 * S) g.crash(2);
        if (t == 20 * S) g.join();
      }
    };
    ConsumerGroup a(d), b(d);
    script(a, {10 * S, 10 * S, 60 * S});
    std::vector<std::int64_t> fine;
    for (int i = 0; i < 10; ++i) fine.push_back(S);
    for (int i = 0; i < 4; ++i) fine.push_back(2'500'000);
    for (int i = 0; i < 3; ++i) fine.push_back(20 * S);
    script(b, fine);
    EXPECT_EQ(a.totals().processed, b.totals().processed);
    EXPECT_EQ(a.totals().duplicates, b.totals().duplicates);
    EXPECT_EQ(a.totals().max_lag, b.totals().max_lag);
    EXPECT_EQ(held(a), held(b));
    EXPECT_EQ(a.members().back().member_id, b.members().back().member_id);
  }
  // Another seed: other member ids (the UUIDs), so another order.
  GroupDesc d1, d2;
  d2.seed = 2;
  EXPECT_NE(ConsumerGroup(d1).members()[0].member_id, ConsumerGroup(d2).members()[0].member_id);
  EXPECT_EQ(ConsumerGroup(d1).members()[0].member_id.rfind("consumer-scalebook-1-", 0), 0u);
}

// [SECTION] the widget's scenario

const widgets::WidgetInfo& info() { return *widgets::find_widget("kafka"); }

TEST(KafkaScenario, ARunReplaysItsActionsToTheSameDigest) {
  const std::vector<widgets::Action> acts = {widgets::testing::checked_action(info(), 10 * S, "crash", {"2"}),
                                             widgets::testing::checked_action(info(), 20 * S, "join", {}),
                                             widgets::testing::checked_action(info(), 30 * S, "restart", {"2"})};
  widgets::Run run(info(), widgets::make_scenario("kafka"));
  run.configure(widgets::default_params(info()), 3, acts);
  run.seek(80 * S);
  widgets::Run again(info(), widgets::make_scenario("kafka"));
  again.configure(widgets::default_params(info()), 3, acts);
  for (int i = 0; i < 160; ++i) again.advance(500'000);
  EXPECT_EQ(again.digest(), run.digest());
  EXPECT_EQ(again.scenario().summary(), run.scenario().summary());
  run.seek(5 * S);
  run.seek(80 * S);
  EXPECT_EQ(again.digest(), run.digest());
}

TEST(KafkaScenario, PresetsTellTheirStories) {
  const auto run = [](const std::string& preset, std::vector<widgets::Action> acts, std::int64_t until) {
    widgets::kafka::KafkaScenario s;
    widgets::ParamMap p = widgets::default_params(info());
    for (const auto& ps : info().presets)
      if (ps.id == preset)
        for (const auto& [k, v] : ps.params) p[std::string(k)] = std::string(v);
    s.configure(p, 1);
    for (const auto& a : acts) {
      s.advance(a.time_us - s.time_us());
      EXPECT_EQ(s.act(a), "");
    }
    s.advance(until - s.time_us());
    return s.group().totals();
  };
  const auto join = widgets::testing::checked_action(info(), 10 * S, "join", {});
  EXPECT_EQ(run("cooperative", {join}, 30 * S).rebalances, 2);
  EXPECT_LT(run("cooperative", {join}, 30 * S).stalled_partition_us, run("", {join}, 30 * S).stalled_partition_us);
  const auto crash = widgets::testing::checked_action(info(), 10 * S, "crash", {"1"});
  const auto restart = widgets::testing::checked_action(info(), 30 * S, "restart", {"1"});
  EXPECT_EQ(run("static-membership", {crash, restart}, 90 * S).rebalances, 0);
  EXPECT_EQ(run("", {crash, restart}, 90 * S).rebalances, 1);
  // The hot partition's lag keeps growing: 3,000/s in, 2,000/s out.
  EXPECT_GT(run("hot-partition", {}, 90 * S).lag, 80'000);
  EXPECT_LT(run("", {}, 90 * S).lag, 2'000);
  widgets::kafka::KafkaScenario s;
  widgets::ParamMap p = widgets::default_params(info());
  p["consumers"] = "13";
  s.configure(p, 1);
  int idle = 0;
  for (std::size_t i = 0; i < s.group().members().size(); ++i)
    idle += s.doing(static_cast<int>(i)) == widgets::kafka::Doing::Idle ? 1 : 0;
  EXPECT_EQ(idle, 1);
}

TEST(KafkaScenario, ActionsAreCheckedAndTheHeartbeatMustBeShorterThanTheSession) {
  widgets::kafka::KafkaScenario s;
  s.configure(widgets::default_params(info()), 1);
  EXPECT_EQ(s.act(widgets::testing::checked_action(info(), 0, "restart", {"1"})), "action 'restart': consumer 1 is running");
  EXPECT_EQ(s.act(widgets::testing::checked_action(info(), 0, "crash", {"9"})), "action 'crash': there is no consumer 9");
  EXPECT_EQ(s.act(widgets::testing::checked_action(info(), 0, "crash", {"1"})), "");
  EXPECT_EQ(s.act(widgets::testing::checked_action(info(), 0, "crash", {"1"})), "action 'crash': consumer 1 is not running");
  widgets::ParamMap p = widgets::default_params(info());
  EXPECT_EQ(widgets::kafka::check_params(p), "");
  p["heartbeat_interval_ms"] = "45000";
  EXPECT_NE(widgets::kafka::check_params(p), "");
  EXPECT_NE(s.summary().find("generation 1 (range, eager)"), std::string::npos) << s.summary();
}

}  // namespace
}  // namespace scalebook
