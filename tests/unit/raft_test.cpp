// Expectations ported from etcd's raft_test.go (go.etcd.io/raft/v3), each named after its
// etcd test; the multi-node ones run on TestNet, etcd's synchronous test network
// (raft_harness.h). Our node ids are etcd's minus one. The cluster runs are in
// raft_cluster_test.cpp.
#include <gtest/gtest.h>

#include <cmath>

#include "raft_harness.h"

using namespace raft_harness;

namespace {

std::vector<std::optional<Node>> fresh_peers(std::uint32_t n, std::vector<bool> black_hole, bool pre_vote) {
  std::vector<std::optional<Node>> peers;
  for (NodeId id = 0; id < n; ++id) {
    Config c = test_config(id, n);
    c.pre_vote = pre_vote;
    if (id < black_hole.size() && black_hole[id]) {
      peers.emplace_back(std::nullopt);
    } else {
      peers.emplace_back(new_node(c));
    }
  }
  return peers;
}

// raft_test.go: testLeaderElection (TestLeaderElection, TestLeaderElectionPreVote).
TEST(RaftEtcd, LeaderElection) {
  for (bool pre_vote : {false, true}) {
    const StateType cand_state = pre_vote ? StateType::PreCandidate : StateType::Candidate;
    const Term cand_term = pre_vote ? 0 : 1;
    struct Case {
      TestNet net;
      StateType state;
      Term term;
    };
    std::vector<Case> cases;
    cases.push_back({TestNet(fresh_peers(3, {}, pre_vote)), StateType::Leader, 1});
    cases.push_back({TestNet(fresh_peers(3, {false, false, true}, pre_vote)), StateType::Leader, 1});
    cases.push_back({TestNet(fresh_peers(3, {false, true, true}, pre_vote)), cand_state, cand_term});
    cases.push_back({TestNet(fresh_peers(4, {false, true, true}, pre_vote)), cand_state, cand_term});
    cases.push_back({TestNet(fresh_peers(5, {false, true, true}, pre_vote)), StateType::Leader, 1});
    // Three logs further along than node 1's, in the same term: rejections, not silence.
    std::vector<std::optional<Node>> p = fresh_peers(5, {}, pre_vote);
    p[N2] = ents_node(N2, 5, pre_vote, {1});
    p[N3] = ents_node(N3, 5, pre_vote, {1});
    p[N4] = ents_node(N4, 5, pre_vote, {1, 1});
    cases.push_back({TestNet(std::move(p)), StateType::Follower, 1});
    for (std::size_t i = 0; i < cases.size(); ++i) {
      cases[i].net.hup(N1);
      EXPECT_EQ(cases[i].net[N1].state(), cases[i].state) << "pre_vote " << pre_vote << " #" << i;
      EXPECT_EQ(cases[i].net[N1].term(), cases[i].term) << "pre_vote " << pre_vote << " #" << i;
    }
  }
}

// raft_test.go: testLeaderCycle (TestLeaderCycle, TestLeaderCyclePreVote).
TEST(RaftEtcd, LeaderCycle) {
  for (bool pre_vote : {false, true}) {
    TestNet n = TestNet::fresh(3, pre_vote);
    for (NodeId c = N1; c <= N3; ++c) {
      n.hup(c);
      for (NodeId id = 0; id < 3; ++id) {
        EXPECT_EQ(n[id].state(), id == c ? StateType::Leader : StateType::Follower) << c << " " << id;
      }
    }
  }
}

// raft_test.go: testLeaderElectionOverwriteNewerLogs (and its PreVote twin).
TEST(RaftEtcd, LeaderElectionOverwriteNewerLogs) {
  for (bool pre_vote : {false, true}) {
    std::vector<std::optional<Node>> p;
    p.emplace_back(ents_node(N1, 5, pre_vote, {1}));  // won the first election
    p.emplace_back(ents_node(N2, 5, pre_vote, {1}));  // got node 1's entry
    p.emplace_back(ents_node(N3, 5, pre_vote, {2}));  // won the second election
    p.emplace_back(voted_node(N4, 5, pre_vote, N3, 2));
    p.emplace_back(voted_node(N5, 5, pre_vote, N3, 2));
    TestNet n(std::move(p));
    n.hup(N1);  // fails: a quorum knows term 2; node 1's term moves to 2
    EXPECT_EQ(n[N1].state(), StateType::Follower);
    EXPECT_EQ(n[N1].term(), 2u);
    n.hup(N1);
    EXPECT_EQ(n[N1].state(), StateType::Leader);
    EXPECT_EQ(n[N1].term(), 3u);
    for (NodeId id = 0; id < 5; ++id) {
      const std::vector<Entry> ents = n[id].log().all();
      ASSERT_EQ(ents.size(), 2u) << id;
      EXPECT_EQ(ents[0].term, 1u);
      EXPECT_EQ(ents[1].term, 3u);
    }
  }
}

// raft_test.go: testVoteFromAnyState (TestVoteFromAnyState, TestPreVoteFromAnyState).
TEST(RaftEtcd, VoteFromAnyState) {
  for (MsgType vt : {MsgType::Vote, MsgType::PreVote}) {
    for (StateType st : {StateType::Follower, StateType::Candidate, StateType::Leader, StateType::PreCandidate}) {
      Node r = new_node(N1, 3, 10, 1, {}, HardState{1, kNone, 0});
      if (st == StateType::Follower) r.become_follower(r.term(), N3);
      if (st == StateType::PreCandidate) r.become_pre_candidate();
      if (st == StateType::Candidate || st == StateType::Leader) r.become_candidate();
      if (st == StateType::Leader) r.become_leader();
      const Term orig = r.term(), next = r.term() + 1;
      Message m = msg(vt, N2, N1, next);
      m.log_term = next;
      m.index = 42;
      EXPECT_TRUE(r.step(m));
      const std::vector<Message> ms = r.take_messages();
      ASSERT_EQ(ms.size(), 1u) << to_string(vt) << " " << to_string(st);
      EXPECT_EQ(ms[0].type, vote_resp_type(vt));
      EXPECT_FALSE(ms[0].reject);
      if (vt == MsgType::Vote) {
        EXPECT_EQ(r.state(), StateType::Follower);
        EXPECT_EQ(r.term(), next);
        EXPECT_EQ(r.vote(), N2);
      } else {
        EXPECT_EQ(r.state(), st);
        EXPECT_EQ(r.term(), orig);
        EXPECT_TRUE(r.vote() == kNone || r.vote() == N1);
      }
    }
  }
}

// raft_test.go: TestLogReplication.
TEST(RaftEtcd, LogReplication) {
  struct Case {
    std::vector<Message> msgs;
    Index committed;
  };
  const std::vector<Case> cases = {
      {{prop(N1, N1, 7)}, 2},
      {{prop(N1, N1, 7), msg(MsgType::Hup, N1, N2), prop(N1, N2, 8)}, 4},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    TestNet n = TestNet::fresh(3);
    n.hup(N1);
    for (const Message& m : cases[i].msgs) n.send(m);
    for (NodeId id = 0; id < 3; ++id) {
      EXPECT_EQ(n[id].log().committed(), cases[i].committed) << "#" << i << "." << id;
      std::vector<std::uint64_t> applied, proposed;
      for (Index k = 1; k <= n[id].log().applied(); ++k) {
        if (n[id].log().at(k).data != 0) applied.push_back(n[id].log().at(k).data);
      }
      for (const Message& m : cases[i].msgs) {
        if (m.type == MsgType::Prop) proposed.push_back(m.entries[0].data);
      }
      EXPECT_EQ(applied, proposed) << "#" << i << "." << id;
    }
  }
}

// Both tests below: 5 nodes, N1 leads, is cut off from N3..N5 and takes two proposals that
// only N2 receives, so neither commits.
TestNet leader_with_two_uncommitted_entries() {
  TestNet n = TestNet::fresh(5);
  n.hup(N1);
  n.cut(N1, N3);
  n.cut(N1, N4);
  n.cut(N1, N5);
  n.send(prop(N1, N1, 7));
  n.send(prop(N1, N1, 8));
  return n;
}

// raft_test.go: TestCannotCommitWithoutNewTermEntry.
TEST(RaftEtcd, CannotCommitWithoutNewTermEntry) {
  TestNet n = leader_with_two_uncommitted_entries();
  EXPECT_EQ(n[N1].log().committed(), 1u);
  n.recover();
  n.ignore(MsgType::App);  // keep the new leader's empty entry from being replicated
  n.hup(N2);
  EXPECT_EQ(n[N2].log().committed(), 1u);  // nothing of the previous term is committed
  n.recover();
  n.send(msg(MsgType::Beat, N2, N2));
  n.send(prop(N2, N2, 9));
  EXPECT_EQ(n[N2].log().committed(), 5u);
}

// raft_test.go: TestCommitWithoutNewTermEntry.
TEST(RaftEtcd, CommitWithoutNewTermEntry) {
  TestNet n = leader_with_two_uncommitted_entries();
  EXPECT_EQ(n[N1].log().committed(), 1u);
  n.recover();
  n.hup(N2);  // its empty entry of term 2 commits everything before it
  EXPECT_EQ(n[N1].log().committed(), 4u);
}

// raft_test.go: TestDuelingCandidates and TestDuelingPreCandidates.
TEST(RaftEtcd, DuelingCandidates) {
  for (bool pre_vote : {false, true}) {
    TestNet n = TestNet::fresh(3, pre_vote);
    n.cut(N1, N3);
    n.hup(N1);
    n.hup(N3);
    EXPECT_EQ(n[N1].state(), StateType::Leader);
    // Without PreVote 3 stays candidate (a vote and a rejection); with it, it gives up.
    EXPECT_EQ(n[N3].state(), pre_vote ? StateType::Follower : StateType::Candidate);
    n.recover();
    n.hup(N3);  // without PreVote its higher term disrupts the leader; with PreVote it does not
    struct Want {
      StateType state;
      Term term;
      Index last;
    };
    const std::vector<Want> want = pre_vote ? std::vector<Want>{{StateType::Leader, 1, 1},
                                                                {StateType::Follower, 1, 1},
                                                                {StateType::Follower, 1, 0}}
                                            : std::vector<Want>{{StateType::Follower, 2, 1},
                                                                {StateType::Follower, 2, 1},
                                                                {StateType::Follower, 2, 0}};
    for (NodeId id = 0; id < 3; ++id) {
      EXPECT_EQ(n[id].state(), want[id].state) << "pre_vote " << pre_vote << " node " << id;
      EXPECT_EQ(n[id].term(), want[id].term) << "pre_vote " << pre_vote << " node " << id;
      EXPECT_EQ(n[id].log().last_index(), want[id].last) << "pre_vote " << pre_vote << " node " << id;
    }
  }
}

// raft_test.go: TestCandidateConcede.
TEST(RaftEtcd, CandidateConcede) {
  TestNet n = TestNet::fresh(3);
  n.isolate(N1);
  n.hup(N1);
  n.hup(N3);
  n.recover();
  n.send(msg(MsgType::Beat, N3, N3));
  n.send(prop(N3, N3, 7));
  n.send(msg(MsgType::Beat, N3, N3));
  EXPECT_EQ(n[N1].state(), StateType::Follower);
  EXPECT_EQ(n[N1].term(), 1u);
  const std::vector<Entry> want = {Entry{1, 1, 0}, Entry{1, 2, 7}};
  for (NodeId id = 0; id < 3; ++id) EXPECT_EQ(n[id].log().all(), want) << id;
}

// raft_test.go: TestOldMessages (an old leader's append is ignored).
TEST(RaftEtcd, OldMessages) {
  TestNet n = TestNet::fresh(3);
  n.hup(N1);
  n.hup(N2);
  n.hup(N1);  // node 1 leads at term 3
  n.send(app(N2, N1, 2, 0, 0, terms_from(3, {2})));
  n.send(prop(N1, N1, 7));
  const std::vector<Entry> want = {Entry{1, 1, 0}, Entry{2, 2, 0}, Entry{3, 3, 0}, Entry{3, 4, 7}};
  for (NodeId id = 0; id < 3; ++id) EXPECT_EQ(n[id].log().all(), want) << id;
}

// raft_test.go: TestProposal and TestProposalByProxy.
TEST(RaftEtcd, Proposal) {
  struct Case {
    std::uint32_t size;
    std::vector<bool> black_hole;
    bool success;
  };
  const std::vector<Case> cases = {{3, {}, true},
                                   {3, {false, false, true}, true},
                                   {3, {false, true, true}, false},
                                   {4, {false, true, true}, false},
                                   {5, {false, true, true}, true}};
  for (std::size_t j = 0; j < cases.size(); ++j) {
    for (NodeId proposer : {N1, N2}) {
      if (proposer == N2 && j > 1) continue;  // TestProposalByProxy: its two networks
      TestNet n(fresh_peers(cases[j].size, cases[j].black_hole, false));
      n.hup(N1);
      n.send(prop(proposer, proposer, 7));
      const std::vector<Entry> want =
          cases[j].success ? std::vector<Entry>{Entry{1, 1, 0}, Entry{1, 2, 7}} : std::vector<Entry>{};
      for (NodeId id = 0; id < n.size(); ++id) {
        if (!n.is_black_hole(id)) {
          EXPECT_EQ(n[id].log().all(), want) << "#" << j << " peer " << id;
        }
      }
      EXPECT_EQ(n[N1].term(), 1u);
    }
  }
}

// raft_test.go: TestPastElectionTimeout (the randomized timeout's distribution).
TEST(RaftEtcd, PastElectionTimeout) {
  struct Case {
    int elapse;
    double probability;
    bool round;
  };
  const std::vector<Case> cases = {{5, 0, false},   {10, 0.1, true}, {13, 0.4, true},
                                   {15, 0.6, true}, {18, 0.9, true}, {20, 1, false}};
  for (const Case& c : cases) {
    Node sm = new_node(N1, 1);
    sm.set_election_elapsed(c.elapse);
    int hits = 0;
    for (int j = 0; j < 10000; ++j) {
      sm.reset_randomized_election_timeout();
      if (sm.past_election_timeout()) ++hits;
    }
    double got = hits / 10000.0;
    if (c.round) got = std::floor(got * 10 + 0.5) / 10.0;
    EXPECT_EQ(got, c.probability) << "elapsed " << c.elapse;
  }
}

// raft_test.go: TestHandleMsgApp.
TEST(RaftEtcd, HandleMsgApp) {
  struct Case {
    Message m;
    Index windex, wcommit;
    bool wreject;
  };
  const std::vector<Case> cases = {
      {app(N2, N1, 2, 3, 2, {}, 3), 2, 0, true},  // previous log mismatch
      {app(N2, N1, 2, 3, 3, {}, 3), 2, 0, true},  // previous log non-exist
      {app(N2, N1, 2, 1, 1, {}, 1), 2, 1, false},
      {app(N2, N1, 2, 0, 0, {Entry{2, 1, 0}}, 1), 1, 1, false},
      {app(N2, N1, 2, 2, 2, {Entry{2, 3, 0}, Entry{2, 4, 0}}, 3), 4, 3, false},
      {app(N2, N1, 2, 2, 2, {Entry{2, 3, 0}}, 4), 3, 3, false},
      {app(N2, N1, 2, 1, 1, {Entry{2, 2, 0}}, 4), 2, 2, false},
      {app(N2, N1, 1, 1, 1, {}, 3), 2, 1, false},  // commit up to the last new entry, 1
      {app(N2, N1, 1, 1, 1, {Entry{2, 2, 0}}, 3), 2, 2, false},
      {app(N2, N1, 2, 2, 2, {}, 3), 2, 2, false},
      {app(N2, N1, 2, 2, 2, {}, 4), 2, 2, false},  // commit up to the log's end
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node sm = new_node(N1, 1, 10, 1, terms_from(1, {1, 2}));
    sm.become_follower(2, kNone);
    Message m = cases[i].m;
    m.term = 2;  // etcd calls handleAppendEntries directly, past the term check
    sm.step(m);
    EXPECT_EQ(sm.log().last_index(), cases[i].windex) << "#" << i;
    EXPECT_EQ(sm.log().committed(), cases[i].wcommit) << "#" << i;
    const std::vector<Message> ms = sm.take_messages();
    ASSERT_EQ(ms.size(), 1u) << "#" << i;
    EXPECT_EQ(ms[0].reject, cases[i].wreject) << "#" << i;
  }
}

// raft_test.go: TestHandleHeartbeat and TestHandleHeartbeatResp.
TEST(RaftEtcd, HandleHeartbeatAndResp) {
  for (Index commit : {3u, 1u}) {
    Node sm = new_node(N1, 2, 5, 1, terms_from(1, {1, 2, 3}), HardState{0, kNone, 2});
    sm.become_follower(2, N2);
    Message hb = msg(MsgType::Heartbeat, N2, N1, 2);
    hb.commit = commit;
    sm.step(hb);
    EXPECT_EQ(sm.log().committed(), std::max<Index>(commit, 2));  // never decreases
    const std::vector<Message> ms = sm.take_messages();
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].type, MsgType::HeartbeatResp);
  }
  Node sm = new_node(N1, 2, 5, 1, terms_from(1, {1, 2, 3}), HardState{3, kNone, 3});
  sm.become_candidate();
  sm.become_leader();
  sm.take_messages();
  for (int i = 0; i < 2; ++i) {  // a response from a node that is behind re-sends MsgApp
    sm.step(msg(MsgType::HeartbeatResp, N2, N1, sm.term()));
    const std::vector<Message> ms = sm.take_messages();
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].type, MsgType::App);
    if (i == 1) {
      Message ack = msg(MsgType::AppResp, N2, N1, sm.term());
      ack.index = ms[0].index + ms[0].entries.size();
      sm.step(ack);
    }
  }
  sm.take_messages();
  sm.step(msg(MsgType::HeartbeatResp, N2, N1, sm.term()));  // caught up: nothing to re-send
  EXPECT_TRUE(sm.take_messages().empty());
}

// raft_test.go: TestMsgAppRespWaitReset.
TEST(RaftEtcd, MsgAppRespWaitReset) {
  Node sm = new_node(N1, 3, 5, 1);
  sm.become_candidate();
  sm.become_leader();
  sm.broadcast_append();
  sm.take_messages();
  Message ack = msg(MsgType::AppResp, N2, N1, sm.term());
  ack.index = 1;
  sm.step(ack);
  ASSERT_EQ(sm.log().committed(), 1u);
  sm.take_messages();
  sm.step(prop(N1, N1, 0));
  std::vector<Message> ms = sm.take_messages();  // node 2 left the wait, node 3 still probes
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].type, MsgType::App);
  EXPECT_EQ(ms[0].to, N2);
  ASSERT_EQ(ms[0].entries.size(), 1u);
  EXPECT_EQ(ms[0].entries[0].index, 2u);
  ack.from = N3;
  sm.step(ack);
  ms = sm.take_messages();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].to, N3);
  ASSERT_EQ(ms[0].entries.size(), 1u);
  EXPECT_EQ(ms[0].entries[0].index, 2u);
}

}  // namespace
