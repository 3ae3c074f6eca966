// Elections under CheckQuorum and PreVote: expectations ported from etcd's raft_test.go and
// testdata/checkquorum.txt (go.etcd.io/raft/v3), each named after its source. Node ids are
// etcd's minus one (raft_harness.h).
#include <gtest/gtest.h>

#include "raft_harness.h"

using namespace raft_harness;

namespace {

Node cq_node(NodeId id, std::uint32_t voters = 3, const std::vector<Entry>& log = {}, const HardState& hs = {}) {
  Config c = test_config(id, voters);
  c.check_quorum = true;
  return new_node(c, log, hs);
}

TestNet cq_net() {
  std::vector<std::optional<Node>> p;
  for (NodeId id = 0; id < 3; ++id) p.emplace_back(cq_node(id));
  return TestNet(std::move(p));
}

// raft_test.go: testRecvMsgVote (TestRecvMsgVote, TestRecvMsgPreVote).
TEST(RaftElection, RecvMsgVote) {
  struct Case {
    StateType state;
    Index index;
    Term log_term;
    NodeId vote_for;
    bool reject;
  };
  const std::vector<Case> cases = {
      {StateType::Follower, 0, 0, kNone, true},  {StateType::Follower, 0, 1, kNone, true},
      {StateType::Follower, 0, 2, kNone, true},  {StateType::Follower, 0, 3, kNone, false},
      {StateType::Follower, 1, 0, kNone, true},  {StateType::Follower, 1, 1, kNone, true},
      {StateType::Follower, 1, 2, kNone, true},  {StateType::Follower, 1, 3, kNone, false},
      {StateType::Follower, 2, 0, kNone, true},  {StateType::Follower, 2, 1, kNone, true},
      {StateType::Follower, 2, 2, kNone, false}, {StateType::Follower, 2, 3, kNone, false},
      {StateType::Follower, 3, 0, kNone, true},  {StateType::Follower, 3, 1, kNone, true},
      {StateType::Follower, 3, 2, kNone, false}, {StateType::Follower, 3, 3, kNone, false},
      {StateType::Follower, 3, 2, N2, false},    {StateType::Follower, 3, 2, N1, true},
      {StateType::Leader, 3, 3, N1, true},       {StateType::PreCandidate, 3, 3, N1, true},
      {StateType::Candidate, 3, 3, N1, true},
  };
  for (MsgType type : {MsgType::Vote, MsgType::PreVote}) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const Term term = std::max<Term>(2, c.log_term);  // as etcd: max(last log term, logTerm)
      // etcd pokes state, vote and term in; we reach the same state through the transitions.
      const bool via_candidate = c.state == StateType::Candidate || c.state == StateType::Leader;
      Node sm = new_node(N1, 1, 10, 1, terms_from(1, {2, 2}), HardState{via_candidate ? term - 1 : term, c.vote_for, 0});
      if (via_candidate) sm.become_candidate();
      if (c.state == StateType::Leader) sm.become_leader();
      if (c.state == StateType::PreCandidate) sm.become_pre_candidate();
      sm.take_messages();
      ASSERT_EQ(sm.term(), term);
      Message m = msg(type, N2, N1, term);
      m.index = c.index;
      m.log_term = c.log_term;
      sm.step(m);
      const std::vector<Message> ms = sm.take_messages();
      ASSERT_EQ(ms.size(), 1u) << to_string(type) << " #" << i;
      EXPECT_EQ(ms[0].type, vote_resp_type(type)) << "#" << i;
      EXPECT_EQ(ms[0].reject, c.reject) << to_string(type) << " #" << i;
    }
  }
}

// raft_test.go: TestAllServerStepdown.
TEST(RaftElection, AllServerStepdown) {
  struct Case {
    StateType state;
    Index windex;
  };
  for (const Case& c : std::vector<Case>{{StateType::Follower, 0}, {StateType::PreCandidate, 0},
                                         {StateType::Candidate, 0}, {StateType::Leader, 1}}) {
    Node sm = new_node(N1, 3);
    if (c.state == StateType::Follower) sm.become_follower(1, kNone);
    if (c.state == StateType::PreCandidate) sm.become_pre_candidate();
    if (c.state == StateType::Candidate || c.state == StateType::Leader) sm.become_candidate();
    if (c.state == StateType::Leader) sm.become_leader();
    for (MsgType t : {MsgType::Vote, MsgType::App}) {
      Message m = msg(t, N2, N1, 3);
      m.log_term = 3;
      sm.step(m);
      EXPECT_EQ(sm.state(), StateType::Follower) << to_string(c.state) << " " << to_string(t);
      EXPECT_EQ(sm.term(), 3u);
      EXPECT_EQ(sm.log().last_index(), c.windex);
      EXPECT_EQ(sm.lead(), t == MsgType::App ? N2 : kNone);
    }
  }
}

// raft_test.go: TestLeaderStepdownWhenQuorumActive and TestLeaderStepdownWhenQuorumLost.
TEST(RaftElection, LeaderStepdownWhenQuorumLost) {
  for (bool active : {true, false}) {
    Config c = test_config(N1, 3, 5, 1);
    c.check_quorum = true;
    Node sm = new_node(c);
    sm.become_candidate();
    sm.become_leader();
    for (int i = 0; i < 5 + 1; ++i) {
      if (active) sm.step(msg(MsgType::HeartbeatResp, N2, N1, sm.term()));
      sm.tick();
    }
    EXPECT_EQ(sm.state(), active ? StateType::Leader : StateType::Follower);
  }
}

// raft_test.go: TestLeaderSupersedingWithCheckQuorum.
TEST(RaftElection, LeaderSupersedingWithCheckQuorum) {
  TestNet n = cq_net();
  n[N2].set_randomized_election_timeout(10 + 1);
  for (int i = 0; i < 10; ++i) n[N2].tick();
  n.hup(N1);
  EXPECT_EQ(n[N1].state(), StateType::Leader);
  EXPECT_EQ(n[N3].state(), StateType::Follower);
  n.hup(N3);
  EXPECT_EQ(n[N3].state(), StateType::Candidate);  // node 2 ignored it: its lease had not expired
  for (int i = 0; i < 10; ++i) n[N2].tick();
  n.hup(N3);
  EXPECT_EQ(n[N3].state(), StateType::Leader);
}

// raft_test.go: TestLeaderElectionWithCheckQuorum.
TEST(RaftElection, LeaderElectionWithCheckQuorum) {
  TestNet n = cq_net();
  n[N1].set_randomized_election_timeout(10 + 1);
  n[N2].set_randomized_election_timeout(10 + 2);
  n.hup(N1);  // right after creation votes are cast regardless of the lease
  EXPECT_EQ(n[N1].state(), StateType::Leader);
  EXPECT_EQ(n[N3].state(), StateType::Follower);
  n[N1].set_randomized_election_timeout(10 + 1);
  n[N2].set_randomized_election_timeout(10 + 2);
  for (int i = 0; i < 10; ++i) n[N1].tick();
  for (int i = 0; i < 10; ++i) n[N2].tick();
  n.hup(N3);
  EXPECT_EQ(n[N1].state(), StateType::Follower);
  EXPECT_EQ(n[N3].state(), StateType::Leader);
}

// raft_test.go: TestFreeStuckCandidateWithCheckQuorum.
TEST(RaftElection, FreeStuckCandidateWithCheckQuorum) {
  TestNet n = cq_net();
  n[N2].set_randomized_election_timeout(10 + 1);
  for (int i = 0; i < 10; ++i) n[N2].tick();
  n.hup(N1);
  n.isolate(N1);
  n.hup(N3);
  EXPECT_EQ(n[N2].state(), StateType::Follower);
  EXPECT_EQ(n[N3].state(), StateType::Candidate);
  EXPECT_EQ(n[N3].term(), n[N2].term() + 1);
  n.hup(N3);
  EXPECT_EQ(n[N2].state(), StateType::Follower);
  EXPECT_EQ(n[N3].state(), StateType::Candidate);
  EXPECT_EQ(n[N3].term(), n[N2].term() + 2);
  n.recover();
  n.send(msg(MsgType::Heartbeat, N1, N3, n[N1].term()));
  EXPECT_EQ(n[N1].state(), StateType::Follower);  // the stale leader learns the higher term
  EXPECT_EQ(n[N1].term(), n[N3].term());
  n.hup(N3);
  EXPECT_EQ(n[N3].state(), StateType::Leader);
}

// raft_test.go: TestDisruptiveFollower and TestDisruptiveFollowerPreVote.
TEST(RaftElection, DisruptiveFollower) {
  for (bool pre_vote : {false, true}) {
    TestNet n = cq_net();
    for (NodeId id = 0; id < 3; ++id) n[id].become_follower(1, kNone);
    n.hup(N1);
    ASSERT_EQ(n[N1].state(), StateType::Leader);
    if (!pre_vote) {
      // Node 3's election timer fires while the leader's heartbeats are delayed.
      n[N3].set_randomized_election_timeout(10 + 2);
      for (int i = 0; i < 10 + 2; ++i) n[N3].tick();
      ASSERT_EQ(n[N3].state(), StateType::Candidate);
      EXPECT_EQ(n[N1].term(), 2u);
      EXPECT_EQ(n[N3].term(), 3u);
    } else {
      n.isolate(N3);
      for (int i = 0; i < 3; ++i) n.send(prop(N1, N1, 7));
      for (NodeId id = 0; id < 3; ++id) n[id].set_pre_vote(true);
      n.recover();
      n.hup(N3);
      EXPECT_EQ(n[N3].state(), StateType::PreCandidate);
      for (NodeId id = 0; id < 3; ++id) EXPECT_EQ(n[id].term(), 2u);
    }
    // The delayed heartbeat: without PreVote node 3's higher-term answer deposes the leader.
    n.send(msg(MsgType::Heartbeat, N1, N3, n[N1].term()));
    EXPECT_EQ(n[N1].state(), pre_vote ? StateType::Leader : StateType::Follower);
    if (!pre_vote) {
      EXPECT_EQ(n[N2].state(), StateType::Follower);
      EXPECT_EQ(n[N3].state(), StateType::Candidate);
      EXPECT_EQ(n[N1].term(), 3u);
      EXPECT_EQ(n[N2].term(), 2u);
      EXPECT_EQ(n[N3].term(), 3u);
    }
  }
}

TestNet pre_vote_net(bool check_quorum) {
  std::vector<std::optional<Node>> p;
  for (NodeId id = 0; id < 3; ++id) {
    Config c = test_config(id, 3);
    c.pre_vote = true;
    c.check_quorum = check_quorum;
    p.emplace_back(new_node(c));
    p.back()->become_follower(1, kNone);
  }
  return TestNet(std::move(p));
}

// raft_test.go: TestNodeWithSmallerTermCanCompleteElection.
TEST(RaftElection, NodeWithSmallerTermCanCompleteElection) {
  TestNet n = pre_vote_net(false);
  n.cut(N1, N3);
  n.cut(N2, N3);
  n.hup(N1);
  EXPECT_EQ(n[N1].state(), StateType::Leader);
  EXPECT_EQ(n[N2].state(), StateType::Follower);
  n.hup(N3);
  EXPECT_EQ(n[N3].state(), StateType::PreCandidate);
  n.hup(N2);
  EXPECT_EQ(n[N1].term(), 3u);
  EXPECT_EQ(n[N2].term(), 3u);
  EXPECT_EQ(n[N3].term(), 1u);
  EXPECT_EQ(n[N1].state(), StateType::Follower);
  EXPECT_EQ(n[N2].state(), StateType::Leader);
  EXPECT_EQ(n[N3].state(), StateType::PreCandidate);
  n.recover();
  n.cut(N2, N1);  // node 2, the leader, "crashes"
  n.cut(N2, N3);
  n.hup(N3);
  n.hup(N1);
  EXPECT_TRUE(n[N1].state() == StateType::Leader || n[N3].state() == StateType::Leader);
}

// raft_test.go: TestPreVoteWithSplitVote.
TEST(RaftElection, PreVoteWithSplitVote) {
  TestNet n = pre_vote_net(false);
  n.hup(N1);
  n.isolate(N1);  // the leader is gone; its followers split the vote
  n.send({msg(MsgType::Hup, N2, N2), msg(MsgType::Hup, N3, N3)});
  EXPECT_EQ(n[N2].term(), 3u);
  EXPECT_EQ(n[N3].term(), 3u);
  EXPECT_EQ(n[N2].state(), StateType::Candidate);
  EXPECT_EQ(n[N3].state(), StateType::Candidate);
  n.hup(N2);
  EXPECT_EQ(n[N2].term(), 4u);
  EXPECT_EQ(n[N3].term(), 4u);
  EXPECT_EQ(n[N2].state(), StateType::Leader);
  EXPECT_EQ(n[N3].state(), StateType::Follower);
}

// raft_test.go: TestPreVoteWithCheckQuorum.
TEST(RaftElection, PreVoteWithCheckQuorum) {
  TestNet n = pre_vote_net(true);
  n.hup(N1);
  n.isolate(N1);
  ASSERT_EQ(n[N1].state(), StateType::Leader);
  ASSERT_EQ(n[N2].state(), StateType::Follower);
  ASSERT_EQ(n[N3].state(), StateType::Follower);
  n.hup(N3);  // node 2 ignores node 3's pre-vote (lease)
  n.hup(N2);
  EXPECT_TRUE(n[N2].state() == StateType::Leader || n[N3].state() == StateType::Follower);
}

// testdata/checkquorum.txt: votes are ignored while a leader is active; a leader that
// hears from nobody for two election timeouts steps down; the higher-term answers of the
// failed candidate then move it to that term, and a new election succeeds.
TEST(RaftElection, CheckQuorumInteraction) {
  std::vector<std::optional<Node>> p;  // add-nodes 3 voters=(1,2,3) index=10 checkquorum=true
  for (NodeId id = 0; id < 3; ++id) {
    p.emplace_back(cq_node(id, 3, terms_from(1, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), HardState{0, kNone, 10}));
  }
  TestNet n(std::move(p));
  n[N1].campaign();
  n.stabilize();
  ASSERT_EQ(n[N1].state(), StateType::Leader);
  ASSERT_EQ(n[N1].term(), 1u);
  n[N2].campaign();  // fails: 1 and 3 ignore the MsgVote, "lease is not expired"
  n.stabilize();
  EXPECT_EQ(n[N2].state(), StateType::Candidate);
  EXPECT_EQ(n[N2].term(), 2u);
  EXPECT_EQ(n[N1].state(), StateType::Leader);
  EXPECT_EQ(n[N1].term(), 1u);
  EXPECT_EQ(n[N3].term(), 1u);
  for (int i = 0; i < 10; ++i) n[N1].tick();  // tick-election 1: the followers were active
  EXPECT_EQ(n[N1].state(), StateType::Leader);
  for (int i = 0; i < 10; ++i) n[N1].tick();  // tick-election 1: nobody answered
  EXPECT_EQ(n[N1].state(), StateType::Follower);
  EXPECT_EQ(n[N1].term(), 1u);
  n.stabilize();  // the buffered heartbeats; 2 answers them at term 2
  EXPECT_EQ(n[N1].term(), 2u);
  EXPECT_EQ(n[N1].state(), StateType::Follower);
  n[N2].campaign();  // term 3: 1 votes, 3 (not ticked since) still ignores it
  n.stabilize();
  EXPECT_EQ(n[N2].state(), StateType::Leader);
  for (NodeId id = 0; id < 3; ++id) {
    EXPECT_EQ(n[id].term(), 3u) << id;
    EXPECT_EQ(n[id].log().last_index(), 12u) << id;  // 3/12, the new leader's empty entry
    EXPECT_EQ(n[id].log().committed(), 12u) << id;
  }
  EXPECT_EQ(n[N3].vote(), kNone);  // it ignored the vote and followed the MsgApp
}

}  // namespace
