// The Raft cluster (sim/raft/cluster.h) on the network kernel: elections in bounded time,
// fail-over, partitions, PreVote against a rejoining node, replay and snapshots, and the
// safety invariants (sim/raft/safety.h) after every event of randomized faulty runs.
#include <gtest/gtest.h>

#include <algorithm>

#include "raft_harness.h"
#include "sim/raft/cluster.h"

using namespace raft_harness;
namespace net = scalebook::sim::net;

namespace {

constexpr std::int64_t kMs = 1000, kS = 1'000'000;

ClusterDesc quiet(std::uint64_t seed, std::uint32_t nodes = 5) {
  ClusterDesc d;
  d.nodes = nodes;
  d.seed = seed;
  d.proposals_per_s = 0;
  return d;
}

// Runs in 10 ms steps until a leader exists; its time, or -1 past limit_us.
std::int64_t run_until_leader(Cluster& c, std::int64_t limit_us) {
  while (c.now_us() < limit_us) {
    c.run_until(c.now_us() + 10 * kMs);
    if (c.leader() != kNone) return c.now_us();
  }
  return -1;
}

// Every up node is in one term and follows one leader, which is the only leader.
void expect_settled(const Cluster& c, const std::string& what) {
  const NodeId l = c.leader();
  ASSERT_NE(l, kNone) << what;
  for (NodeId n = 0; n < c.size(); ++n) {
    if (!c.up(n)) continue;
    EXPECT_EQ(c.view(n).term, c.view(l).term) << what << " node " << n;
    EXPECT_EQ(c.view(n).lead, l) << what << " node " << n;
    EXPECT_EQ(c.view(n).state, n == l ? StateType::Leader : StateType::Follower) << what << " node " << n;
  }
  EXPECT_TRUE(c.safety().ok()) << what << ": " << c.safety().first_violation();
}

TEST(RaftCluster, FiveNodesElectOneLeaderWithinBoundedTicks) {
  std::int64_t latest = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Cluster c(quiet(seed));
    const std::int64_t t = run_until_leader(c, 4 * kS);  // 40 ticks
    ASSERT_GE(t, 0) << "seed " << seed;
    // Nobody can campaign before ElectionTick ticks: the 10th comes 900 ms after the first.
    EXPECT_GE(t, 900 * kMs) << "seed " << seed;
    latest = std::max(latest, t);
    c.run_until(t + 10 * kS);
    expect_settled(c, "seed " + std::to_string(seed));
    EXPECT_EQ(c.stats().leaders_elected, 1u) << "seed " << seed << ": a settled leader keeps its term";
    for (NodeId n = 0; n < c.size(); ++n) EXPECT_EQ(c.view(n).commit, 1u) << "the new leader's empty entry";
  }
  EXPECT_LT(latest, 4 * kS);
}

TEST(RaftCluster, KillingTheLeaderElectsANewOneAtAHigherTerm) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    ClusterDesc d = quiet(seed);
    d.proposals_per_s = 20;
    Cluster c(d);
    ASSERT_GE(run_until_leader(c, 5 * kS), 0);
    c.run_until(c.now_us() + 2 * kS);
    const NodeId old = c.leader();
    const Term term = c.view(old).term;
    const std::uint64_t committed = c.stats().committed_proposals;
    c.crash(old);
    c.run_until(c.now_us() + 5 * kS);
    const NodeId now = c.leader();
    ASSERT_NE(now, kNone) << "seed " << seed;
    EXPECT_NE(now, old);
    EXPECT_GT(c.view(now).term, term);
    expect_settled(c, "after the crash, seed " + std::to_string(seed));
    EXPECT_GT(c.stats().committed_proposals, committed) << "proposals commit again";
    c.restart(old);  // it rejoins as a follower and catches up
    c.run_until(c.now_us() + 3 * kS);
    expect_settled(c, "after the restart, seed " + std::to_string(seed));
    EXPECT_GE(c.view(old).commit + 5, c.view(c.leader()).commit);
  }
}

TEST(RaftCluster, MinorityPartitionCannotCommitAndIsOverwrittenAfterHeal) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Cluster c(quiet(seed));
    ASSERT_GE(run_until_leader(c, 5 * kS), 0);
    const NodeId l = c.leader();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.propose_to(l));
    c.run_until(c.now_us() + kS);
    const Index committed = c.view(l).commit;
    ASSERT_EQ(committed, 4u);  // the empty entry and three proposals
    const NodeId f = (l + 1) % 5;
    std::vector<NodeId> minority = {l, f}, majority;
    for (NodeId n = 0; n < 5; ++n) {
      if (n != l && n != f) majority.push_back(n);
    }
    c.partition(minority, majority);
    std::vector<std::uint64_t> lost;
    for (int i = 0; i < 3; ++i) {
      std::uint64_t data = 0;
      EXPECT_TRUE(c.propose_to(l, &data));  // the old leader still accepts them...
      lost.push_back(data);
    }
    c.run_until(c.now_us() + 3 * kS);
    EXPECT_EQ(c.view(l).last_index, committed + 3);  // ...and replicates them to f...
    EXPECT_EQ(c.view(f).last_index, committed + 3);
    EXPECT_EQ(c.view(l).commit, committed);  // ...but cannot commit them
    EXPECT_EQ(c.view(f).commit, committed);
    EXPECT_NE(c.view(l).state, StateType::Leader);  // CheckQuorum stepped it down
    const NodeId m = c.leader();
    ASSERT_NE(m, kNone);
    EXPECT_TRUE(m != l && m != f);
    for (int i = 0; i < 2; ++i) EXPECT_TRUE(c.propose_to(m));
    c.run_until(c.now_us() + kS);
    EXPECT_EQ(c.view(m).commit, committed + 3);  // its empty entry and two proposals
    c.heal();
    c.run_until(c.now_us() + 3 * kS);
    expect_settled(c, "healed, seed " + std::to_string(seed));
    const std::vector<Entry> log = c.node(m).log().all();
    for (NodeId n = 0; n < 5; ++n) {
      EXPECT_EQ(c.node(n).log().all(), log) << "node " << n;
      EXPECT_EQ(c.view(n).commit, committed + 3) << "node " << n;
    }
    for (const Entry& e : log) EXPECT_EQ(std::count(lost.begin(), lost.end(), e.data), 0) << e.data;
  }
}

// With PreVote an isolated follower's campaigns never raise its term, so when it rejoins it
// just follows; without PreVote its higher term deposes the leader (raft_test.go's
// TestDisruptiveFollower, here over a real network and clock).
TEST(RaftCluster, PreVoteKeepsARejoiningFollowerFromDisruptingTheLeader) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    for (bool pre_vote : {true, false}) {
      ClusterDesc d = quiet(seed);
      d.pre_vote = pre_vote;
      d.proposals_per_s = 10;
      Cluster c(d);
      ASSERT_GE(run_until_leader(c, 5 * kS), 0);
      c.run_until(c.now_us() + kS);
      const NodeId l = c.leader();
      const Term term = c.view(l).term;
      const std::uint64_t elected = c.stats().leaders_elected;
      const NodeId f = (l + 1) % 5;
      c.isolate({f});
      c.run_until(c.now_us() + 5 * kS);  // at least two election timeouts
      EXPECT_EQ(c.leader(), l);
      if (pre_vote) {
        EXPECT_EQ(c.view(f).term, term);
        EXPECT_GE(c.node(f).stats().pre_campaigns, 2u);
      } else {
        EXPECT_GT(c.view(f).term, term);
      }
      c.heal();
      c.run_until(c.now_us() + 15 * kS);  // without PreVote the churn can last several seconds
      expect_settled(c, std::string(pre_vote ? "pre-vote" : "no pre-vote") + ", seed " + std::to_string(seed));
      const std::string what = pre_vote ? "with PreVote" : "without PreVote";
      if (pre_vote) {
        EXPECT_EQ(c.leader(), l) << what;
        EXPECT_EQ(c.view(l).term, term) << what;
        EXPECT_EQ(c.stats().leaders_elected, elected) << what;
      } else {
        EXPECT_GT(c.view(c.leader()).term, term) << what;
        EXPECT_GT(c.stats().leaders_elected, elected) << what;
      }
    }
  }
}

// A fixed fault script; the steps due in [from_us, to_us), then run to to_us.
void script(Cluster& c, std::int64_t from_us, std::int64_t to_us) {
  struct Step {
    std::int64_t at_us;
    int what;
  };
  const Step steps[] = {{2 * kS, 0}, {5 * kS, 1}, {7 * kS, 2}, {9 * kS, 3}, {11 * kS, 4}};
  for (const Step& s : steps) {
    if (s.at_us < from_us || s.at_us >= to_us) continue;
    c.run_until(s.at_us);
    if (s.what == 0) c.crash(c.leader() == kNone ? 0 : c.leader());
    if (s.what == 1) c.partition({0, 1}, {2, 3, 4});
    if (s.what == 2) c.heal();
    if (s.what == 3) {
      for (NodeId n = 0; n < c.size(); ++n) {
        if (!c.up(n)) c.restart(n);
      }
    }
    if (s.what == 4) c.isolate({c.leader() == kNone ? 1 : c.leader()});
  }
  c.run_until(to_us);
}

ClusterDesc busy(std::uint64_t seed) {
  ClusterDesc d = quiet(seed);
  d.proposals_per_s = 30;
  return d;
}

TEST(RaftCluster, SameDescSeedAndFaultsGiveTheSameDigest) {
  Cluster a(busy(42)), b(busy(42));
  script(a, 0, 14 * kS);
  script(b, 0, 14 * kS);
  EXPECT_EQ(a.digest().value(), b.digest().value());
  EXPECT_EQ(a.network().stats().delivered, b.network().stats().delivered);
  EXPECT_GT(a.stats().committed_proposals, 100u);
  EXPECT_GE(a.stats().leader_changes, 2u);  // the crash and the isolation each cost a leader
  EXPECT_TRUE(a.safety().ok()) << a.safety().first_violation();
  Cluster other(busy(43));
  script(other, 0, 14 * kS);
  EXPECT_NE(other.digest().value(), a.digest().value());
  ClusterDesc slower = busy(42);
  slower.proposals_per_s = 29;
  Cluster c(slower);
  script(c, 0, 14 * kS);
  EXPECT_NE(c.digest().value(), a.digest().value());
}

TEST(RaftCluster, ACopyRunsOnIndependently) {
  Cluster straight(busy(7));
  script(straight, 0, 14 * kS);
  Cluster base(busy(7));
  script(base, 0, 6 * kS);  // crashed leader, partitioned
  Cluster copy = base;      // a snapshot mid-run
  Cluster diverged = base;
  script(base, 6 * kS, 14 * kS);
  script(copy, 6 * kS, 14 * kS);
  EXPECT_EQ(copy.digest().value(), base.digest().value());
  EXPECT_EQ(base.digest().value(), straight.digest().value());
  diverged.crash(3);  // changing a copy leaves the original alone
  script(diverged, 6 * kS, 14 * kS);
  EXPECT_NE(diverged.digest().value(), base.digest().value());
  EXPECT_TRUE(diverged.safety().ok()) << diverged.safety().first_violation();
}

}  // namespace
