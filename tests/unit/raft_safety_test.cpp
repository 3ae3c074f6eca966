// Raft's safety properties (sim/raft/safety.h), checked after every event of randomized runs
// with crashes, restarts, partitions, loss and reordering; and the checker itself, shown to
// catch each kind of violation on hand-made states.
#include <gtest/gtest.h>

#include "raft_harness.h"
#include "sim/raft/cluster.h"
#include "sim/raft/safety.h"

using namespace raft_harness;
namespace net = scalebook::sim::net;

namespace {

constexpr std::int64_t kMs = 1000, kS = 1'000'000;

// One randomized run: every 0.2-1.5 s a random fault (crash, restart, partition, isolate,
// heal) chosen by the test's own stream; then everything heals and restarts, and the
// cluster must converge. The cluster's checker observes every event.
void randomized_run(std::uint64_t seed) {
  ClusterDesc d;
  d.seed = seed;
  d.nodes = seed % 3 == 0 ? 3 : 5;
  d.proposals_per_s = 40;
  d.fifo_links = seed % 2 == 0;  // odd seeds: messages overtake each other
  d.link.latency = net::Latency::log_normal(200, 1000, 0.8, 60 * kMs);
  d.link.loss = seed % 4 == 1 ? 0.03 : 0.0;
  d.pre_vote = seed % 5 != 0;
  d.check_quorum = seed % 7 != 0;
  d.max_entries_per_msg = seed % 2 == 0 ? 64 : 3;
  d.max_inflight_msgs = seed % 2 == 0 ? 512 : 4;
  Cluster c(d);
  Rng faults(seed * 7919);
  const std::uint32_t n = d.nodes;
  while (c.now_us() < 40 * kS) {
    c.run_until(c.now_us() + 200 * kMs + static_cast<std::int64_t>(faults.uniform_int(1300 * kMs)));
    const auto node = static_cast<NodeId>(faults.uniform_int(n));
    switch (faults.uniform_int(6)) {
      case 0:
        c.crash(node);
        break;
      case 1:
        if (!c.up(node)) c.restart(node);
        break;
      case 2: {
        std::vector<NodeId> a, b;
        for (NodeId i = 0; i < n; ++i) (faults.bernoulli(0.5) ? a : b).push_back(i);
        c.partition(a, b);
        break;
      }
      case 3:
        c.isolate({node});
        break;
      case 4:
        c.heal();
        break;
      default:
        c.crash(c.leader() == kNone ? node : c.leader());
        break;
    }
    ASSERT_TRUE(c.safety().ok()) << "seed " << seed << " at " << c.now_us() << ": " << c.safety().first_violation();
  }
  c.heal();
  for (NodeId i = 0; i < n; ++i) {
    if (!c.up(i)) c.restart(i);
  }
  const Index before = c.stats().committed_index;
  c.run_until(c.now_us() + 30 * kS);
  ASSERT_TRUE(c.safety().ok()) << "seed " << seed << ": " << c.safety().first_violation();
  const NodeId l = c.leader();
  ASSERT_NE(l, kNone) << "seed " << seed << ": no leader 30 s after healing";
  EXPECT_GT(c.stats().committed_index, before) << "seed " << seed;
  EXPECT_GT(c.stats().committed_proposals, 0u) << "seed " << seed;
  for (NodeId i = 0; i < n; ++i) {
    EXPECT_EQ(c.view(i).term, c.view(l).term) << "seed " << seed << " node " << i;
    EXPECT_GE(c.view(i).commit + 10, c.view(l).commit) << "seed " << seed << " node " << i << " caught up";
  }
  EXPECT_GT(c.safety().observations(), 10'000u);
}

TEST(RaftSafety, InvariantsHoldAfterEveryEventUnderRandomFaults) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) randomized_run(seed);
}

// What etcd's WAL keeps survives restart(): a node that voted in a term cannot vote again in it.
TEST(RaftSafety, RestartKeepsTermVoteLogAndCommit) {
  Node r = new_node(N1, 3);
  r.step(app(N2, N1, 4, 0, 0, terms_from(1, {4, 4}), 1));
  r.step(msg(MsgType::Vote, N2, N1, 5));  // a vote for 2 in term 5 (its log 0/0 is behind ours...)
  ASSERT_TRUE(r.take_messages().back().reject);
  Message v = msg(MsgType::Vote, N2, N1, 5);
  v.log_term = 4;
  v.index = 2;
  r.step(v);  // ...this one is up to date
  ASSERT_EQ(r.vote(), N2);
  r.take_messages();
  r.restart();
  EXPECT_EQ(r.state(), StateType::Follower);
  EXPECT_EQ(r.lead(), kNone);
  EXPECT_EQ(r.term(), 5u);
  EXPECT_EQ(r.vote(), N2);
  EXPECT_EQ(r.log().all(), terms_from(1, {4, 4}));
  EXPECT_EQ(r.log().committed(), 1u);
  EXPECT_EQ(r.log().applied(), 1u);
  Message other = v;
  other.from = N3;
  r.step(other);  // a second candidate of term 5
  const std::vector<Message> ms = r.take_messages();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_TRUE(ms[0].reject);
  EXPECT_EQ(r.vote(), N2);
}

std::vector<Node> pair_of_nodes() {
  std::vector<Node> v;
  v.push_back(new_node(N1, 3));
  v.push_back(new_node(N2, 3));
  return v;
}

TEST(RaftSafety, CheckerFlagsTwoLeadersInOneTerm) {
  std::vector<Node> v = pair_of_nodes();
  for (Node& x : v) {
    x.become_candidate();
    x.become_leader();
  }
  SafetyChecker s(2);
  s.observe(N1, v);
  EXPECT_TRUE(s.ok());
  s.observe(N2, v);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.first_violation().find("Election Safety"), std::string::npos) << s.first_violation();
}

TEST(RaftSafety, CheckerFlagsLogMismatch) {
  std::vector<Node> v;
  v.push_back(new_node(N1, 3, 10, 1, {Entry{1, 1, 5}, Entry{1, 2, 6}}));
  v.push_back(new_node(N2, 3, 10, 1, {Entry{1, 1, 5}, Entry{1, 2, 7}}));  // same (index, term), other data
  SafetyChecker s(2);
  s.observe(N1, v);
  s.observe(N2, v);
  EXPECT_NE(s.first_violation().find("Log Matching"), std::string::npos) << s.first_violation();
}

TEST(RaftSafety, CheckerFlagsDifferentAppliedEntries) {
  std::vector<Node> v;
  v.push_back(new_node(N1, 3, 10, 1, {Entry{1, 1, 5}}, HardState{1, kNone, 1}));
  v.push_back(new_node(N2, 3, 10, 1, {Entry{2, 1, 6}}, HardState{2, kNone, 1}));
  for (Node& x : v) x.advance();  // apply
  SafetyChecker s(2);
  s.observe(N1, v);
  s.observe(N2, v);
  EXPECT_EQ(s.violations(), 2u);  // a second committed entry at 1, and a second applied one
  EXPECT_NE(s.first_violation().find("was committed"), std::string::npos) << s.first_violation();
}

TEST(RaftSafety, CheckerFlagsALeaderMissingACommittedEntry) {
  std::vector<Node> v;
  v.push_back(new_node(N1, 3, 10, 1, {Entry{1, 1, 5}}, HardState{1, kNone, 1}));
  v.push_back(new_node(N2, 3, 10, 1, {}, HardState{1, kNone, 0}));
  SafetyChecker s(2);
  s.observe(N1, v);
  v[N2].become_candidate();  // term 2, and it lacks (1, 1)
  v[N2].become_leader();
  s.observe(N2, v);
  EXPECT_NE(s.first_violation().find("Leader Completeness"), std::string::npos) << s.first_violation();
}

TEST(RaftSafety, CheckerFlagsARemovedCommittedEntry) {
  std::vector<Node> v;
  v.push_back(new_node(N1, 3, 10, 1, terms_from(1, {1, 1}), HardState{1, kNone, 2}));
  SafetyChecker s(1);
  s.observe(N1, v);
  EXPECT_TRUE(s.ok());
  v[N1] = new_node(N1, 3, 10, 1, terms_from(1, {1}), HardState{1, kNone, 1});  // a "restart" that lost one
  s.observe(N1, v);
  EXPECT_FALSE(s.ok());
}

}  // namespace
