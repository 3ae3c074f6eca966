// Replication flow control — Progress probe/replicate, Inflights, rejection hints:
// expectations ported from etcd's raft_test.go and tracker tests (go.etcd.io/raft/v3), each
// named after its source. Node ids are etcd's minus one (raft_harness.h).
#include <gtest/gtest.h>

#include "raft_harness.h"

using namespace raft_harness;

namespace {

Node leader_of(std::uint32_t voters, int election = 10, const std::vector<Entry>& log = {}, const HardState& hs = {}) {
  Node r = new_node(N1, voters, election, 1, log, hs);
  r.become_candidate();
  r.become_leader();
  r.take_messages();
  return r;
}

// raft_test.go: TestLeaderAppResp.
TEST(RaftReplication, LeaderAppResp) {
  struct Case {
    Index index;
    bool reject;
    Index wmatch, wnext;
    std::size_t wmsgs;
    Index windex, wcommit;
  };
  const std::vector<Case> cases = {
      {3, true, 0, 3, 0, 0, 0},   // stale rejection: no reply
      {2, true, 0, 2, 1, 1, 0},   // rejected: next goes back, one probe
      {2, false, 2, 4, 2, 2, 2},  // accepted: commit and broadcast it
      {0, false, 0, 4, 1, 0, 0},  // a probe answered at Match: replicate, send everything
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node sm = leader_of(3, 10, terms_from(1, {1, 1}));
    Message m = msg(MsgType::AppResp, N2, N1, sm.term());
    m.index = cases[i].index;
    m.reject = cases[i].reject;
    m.reject_hint = cases[i].index;
    sm.step(m);
    EXPECT_EQ(sm.progress(N2).match, cases[i].wmatch) << "#" << i;
    EXPECT_EQ(sm.progress(N2).next, cases[i].wnext) << "#" << i;
    const std::vector<Message> ms = sm.take_messages();
    ASSERT_EQ(ms.size(), cases[i].wmsgs) << "#" << i;
    for (const Message& out : ms) {
      EXPECT_EQ(out.index, cases[i].windex) << "#" << i;
      EXPECT_EQ(out.commit, cases[i].wcommit) << "#" << i;
    }
  }
}

// raft_test.go: TestRecvMsgBeat (only a leader answers MsgBeat).
TEST(RaftReplication, RecvMsgBeat) {
  for (StateType st : {StateType::Leader, StateType::Candidate, StateType::Follower}) {
    Node sm = new_node(N1, 3, 10, 1, terms_from(1, {1, 1}), HardState{st == StateType::Follower ? 1u : 0u, kNone, 0});
    if (st != StateType::Follower) sm.become_candidate();
    if (st == StateType::Leader) sm.become_leader();
    sm.take_messages();
    sm.step(msg(MsgType::Beat, N1, N1));
    const std::vector<Message> ms = sm.take_messages();
    EXPECT_EQ(ms.size(), st == StateType::Leader ? 2u : 0u) << to_string(st);
    for (const Message& m : ms) EXPECT_EQ(m.type, MsgType::Heartbeat);
  }
}

// raft_test.go: TestLeaderIncreaseNext. etcd leaves the term at 0 under a log of terms 1..3;
// our log refuses a term going down, so the node starts at term 3 (nothing checked changes).
TEST(RaftReplication, LeaderIncreaseNext) {
  const std::vector<Entry> previous = terms_from(1, {1, 2, 3});
  struct Case {
    ProgressState state;
    Index next, wnext;
  };
  for (const Case& c : std::vector<Case>{{ProgressState::Replicate, 2, previous.size() + 1 + 1 + 1},
                                         {ProgressState::Probe, 2, 2}}) {
    Node sm = new_node(N1, 2, 10, 1, previous, HardState{3, kNone, 0});
    sm.become_candidate();
    sm.become_leader();
    sm.progress_mut(N2).state = c.state;
    sm.progress_mut(N2).next = c.next;
    sm.step(prop(N1, N1, 7));
    EXPECT_EQ(sm.progress(N2).next, c.wnext) << to_string(c.state);
  }
}

// raft_test.go: TestSendAppendForProgressProbe.
TEST(RaftReplication, SendAppendForProgressProbe) {
  Node r = leader_of(2);
  r.progress_mut(N2).become_probe();
  for (int round = 0; round < 3; ++round) {
    if (round == 0) {  // one MsgApp, then paused until an answer
      r.append_entry({Entry{0, 0, 7}});
      r.send_append(N2);
      const std::vector<Message> ms = r.take_messages();
      ASSERT_EQ(ms.size(), 1u);
      EXPECT_EQ(ms[0].index, 0u);
    }
    EXPECT_TRUE(r.progress(N2).msg_app_flow_paused);
    for (int j = 0; j < 10; ++j) {
      r.append_entry({Entry{0, 0, 7}});
      r.send_append(N2);
      EXPECT_TRUE(r.take_messages().empty());
    }
    r.step(msg(MsgType::Beat, N1, N1));
    EXPECT_TRUE(r.progress(N2).msg_app_flow_paused);
    const std::vector<Message> ms = r.take_messages();
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].type, MsgType::Heartbeat);
  }
  r.step(msg(MsgType::HeartbeatResp, N2, N1, r.term()));  // unpauses: one more MsgApp
  const std::vector<Message> ms = r.take_messages();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].index, 0u);
  EXPECT_TRUE(r.progress(N2).msg_app_flow_paused);
}

// raft_test.go: TestSendAppendForProgressReplicate.
TEST(RaftReplication, SendAppendForProgressReplicate) {
  Node r = leader_of(2);
  r.progress_mut(N2).become_replicate();
  for (int i = 0; i < 10; ++i) {
    r.append_entry({Entry{0, 0, 7}});
    r.send_append(N2);
    EXPECT_EQ(r.take_messages().size(), 1u) << i;
  }
}

// raft_test.go: TestProgressPaused.
TEST(RaftReplication, ProgressPaused) {
  Node r = new_node(N1, 2, 5);
  r.become_candidate();
  r.become_leader();
  for (int i = 0; i < 3; ++i) r.step(prop(N1, N1, 7));
  EXPECT_EQ(r.take_messages().size(), 1u);
}

// raft_test.go: TestProgressFlowControl, with entries counted instead of bytes: MaxSizePerMsg
// 2048 with 1000-byte entries is two entries a message (max_entries_per_msg = 2); its large
// entries and MaxInflightBytes are not modelled, so only its first two expectations are
// etcd's (one probe of two entries, then three messages of two); the rest follows from
// MaxInflightMsgs = 3.
TEST(RaftReplication, ProgressFlowControl) {
  Config c = test_config(N1, 2, 5, 1);
  c.max_inflight_msgs = 3;
  c.max_entries_per_msg = 2;
  Node r = new_node(c);
  r.become_candidate();
  r.become_leader();
  r.take_messages();
  r.progress_mut(N2).become_probe();
  for (int i = 0; i < 22; ++i) r.step(prop(N1, N1, 100 + i));
  std::vector<Message> ms = r.take_messages();
  ASSERT_EQ(ms.size(), 1u);
  ASSERT_EQ(ms[0].entries.size(), 2u);
  EXPECT_EQ(ms[0].entries[0].data, 0u);  // the empty entry of the election
  EXPECT_EQ(ms[0].entries[1].data, 100u);
  auto ack_and_verify = [&](Index index, std::vector<std::size_t> want) {
    Message ack = msg(MsgType::AppResp, N2, N1, r.term());
    ack.index = index;
    r.step(ack);
    const std::vector<Message> out = r.take_messages();
    std::vector<std::size_t> got;
    for (const Message& m : out) {
      EXPECT_EQ(m.type, MsgType::App);
      got.push_back(m.entries.size());
    }
    EXPECT_EQ(got, want) << "after ack of " << index;
    return out.empty() || out.back().entries.empty() ? index : out.back().entries.back().index;
  };
  Index index = ack_and_verify(ms[0].entries[1].index, {2, 2, 2});  // now replicating
  index = ack_and_verify(index, {2, 2, 2});
  index = ack_and_verify(index, {2, 2, 2});
  index = ack_and_verify(index, {2, 1});
  EXPECT_EQ(index, 23u);                  // everything has been sent
  EXPECT_EQ(r.log().committed(), 20u);    // and the last ack was of 20
}

// raft_test.go: TestFastLogRejection (the follower's hint and the leader's next probe; the
// case with a compacted follower log is not modelled).
TEST(RaftReplication, FastLogRejection) {
  struct Case {
    std::vector<Entry> leader, follower;
    Term hint_term;
    Index hint_index;
    Term next_term;
    Index next_index;
  };
  const std::vector<Case> cases = {
      {terms_from(1, {1, 2, 2, 4, 4, 4, 4}), terms_from(1, {1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3}), 3, 7, 2, 3},
      {terms_from(1, {1, 2, 2, 3, 4, 4, 4, 5}), terms_from(1, {1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3}), 3, 8, 3, 4},
      {terms_from(1, {1, 1, 1, 1}), terms_from(1, {1, 2, 2, 4}), 1, 1, 1, 1},
      {terms_from(1, {1, 1, 1, 1, 1, 1}), terms_from(1, {1, 2, 2, 4}), 1, 1, 1, 1},
      {terms_from(1, {1, 1, 1, 1}), terms_from(1, {1, 2, 2, 4, 4, 4}), 1, 1, 1, 1},
      {terms_from(1, {1, 1, 1, 4, 5}), terms_from(1, {1, 1, 1, 4}), 4, 4, 4, 4},
      {terms_from(1, {2, 5, 5, 5, 5, 5, 5, 5, 5}), terms_from(1, {2, 4, 4, 4, 4, 4}), 4, 6, 2, 1},
      {terms_from(1, {2, 2, 2, 2, 2}), terms_from(1, {2, 4, 4, 4, 4, 4, 4, 4}), 2, 1, 2, 1},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Entry last = cases[i].leader.back();
    Node n1 = new_node(N1, 3, 10, 1, cases[i].leader, HardState{last.term - 1, kNone, last.index});
    n1.become_candidate();  // bumps the term to last.term
    n1.become_leader();
    Node n2 = new_node(N2, 3, 10, 1, cases[i].follower, HardState{last.term, N1, 0});
    n2.step(msg(MsgType::Heartbeat, N1, N2));
    std::vector<Message> ms = n2.take_messages();
    ASSERT_EQ(ms.size(), 1u);
    ASSERT_EQ(ms[0].type, MsgType::HeartbeatResp);
    n1.step(ms[0]);
    ms = n1.take_messages();
    ASSERT_EQ(ms.size(), 1u) << "#" << i;
    ASSERT_EQ(ms[0].type, MsgType::App);
    n2.step(ms[0]);
    ms = n2.take_messages();
    ASSERT_EQ(ms.size(), 1u);
    ASSERT_EQ(ms[0].type, MsgType::AppResp);
    ASSERT_TRUE(ms[0].reject);
    EXPECT_EQ(ms[0].log_term, cases[i].hint_term) << "#" << i;
    EXPECT_EQ(ms[0].reject_hint, cases[i].hint_index) << "#" << i;
    n1.step(ms[0]);
    ms = n1.take_messages();
    ASSERT_FALSE(ms.empty());
    EXPECT_EQ(ms[0].log_term, cases[i].next_term) << "#" << i;
    EXPECT_EQ(ms[0].index, cases[i].next_index) << "#" << i;
  }
}

// tracker/inflights_test.go: TestInflightFreeTo (counts only: bytes are not modelled).
TEST(RaftReplication, InflightFreeTo) {
  Inflights in(10);
  for (Index i = 0; i < 10; ++i) in.add(i);
  in.free_le(0);
  EXPECT_EQ(in.count(), 9u);
  in.free_le(4);
  EXPECT_EQ(in.count(), 5u);
  in.free_le(8);
  EXPECT_EQ(in.count(), 1u);
  for (Index i = 10; i < 15; ++i) in.add(i);  // the rotating case
  in.free_le(12);
  EXPECT_EQ(in.count(), 2u);
  in.free_le(14);
  EXPECT_EQ(in.count(), 0u);
}

// tracker/inflights_test.go: TestInflightsFull, the cases without a byte limit.
TEST(RaftReplication, InflightsFull) {
  struct Case {
    std::uint32_t size, full_at;
    Index free_le;
    std::uint32_t again_at;
  };
  for (const Case& c : std::vector<Case>{{1, 1, 1, 2}, {15, 15, 6, 22}}) {
    Inflights in(c.size);
    std::uint32_t i = 0;
    for (; i < c.full_at; ++i) {
      EXPECT_FALSE(in.full());
      in.add(i);
    }
    EXPECT_TRUE(in.full());
    in.free_le(c.free_le);
    for (; i < c.again_at; ++i) {
      EXPECT_FALSE(in.full());
      in.add(i);
    }
    EXPECT_TRUE(in.full()) << c.size;
  }
}

// quorum/testdata/majority_commit.txt and majority_vote.txt; an unknown index ("_") is a
// Match of 0 here.
TEST(RaftReplication, MajorityQuorum) {
  EXPECT_EQ(majority_committed_index({0}), 0u);
  EXPECT_EQ(majority_committed_index({12}), 12u);
  EXPECT_EQ(majority_committed_index({12, 0}), 0u);
  EXPECT_EQ(majority_committed_index({12, 5}), 5u);
  EXPECT_EQ(majority_committed_index({12, 5, 0}), 5u);
  EXPECT_EQ(majority_committed_index({12, 5, 6}), 6u);
  EXPECT_EQ(majority_committed_index({12, 5, 4}), 5u);
  EXPECT_EQ(majority_committed_index({5, 5, 12}), 5u);
  EXPECT_EQ(majority_committed_index({100, 101, 103}), 101u);
  EXPECT_EQ(majority_committed_index({101, 104, 103, 103, 0}), 103u);
  EXPECT_EQ(majority_committed_index({101, 102, 103, 103, 0}), 102u);
  // votes: y = 1, n = 0, _ = -1.
  EXPECT_EQ(majority_vote_result({}), VoteResult::Won);
  EXPECT_EQ(majority_vote_result({-1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({0}), VoteResult::Lost);
  EXPECT_EQ(majority_vote_result({1}), VoteResult::Won);
  EXPECT_EQ(majority_vote_result({-1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({0, -1}), VoteResult::Lost);
  EXPECT_EQ(majority_vote_result({1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({0, 1}), VoteResult::Lost);
  EXPECT_EQ(majority_vote_result({1, 1}), VoteResult::Won);
  EXPECT_EQ(majority_vote_result({-1, -1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({0, -1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({1, -1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({0, 0, -1}), VoteResult::Lost);
  EXPECT_EQ(majority_vote_result({1, 0, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({1, 1, -1}), VoteResult::Won);
  EXPECT_EQ(majority_vote_result({1, 1, 0}), VoteResult::Won);
  EXPECT_EQ(majority_vote_result({0, 1, 0}), VoteResult::Lost);
  EXPECT_EQ(majority_vote_result({1, 1, 0, 1, -1, -1, -1}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({-1, 1, 1, -1, 0, 1, 0}), VoteResult::Pending);
  EXPECT_EQ(majority_vote_result({1, 1, 0, 1, -1, 0, 1}), VoteResult::Won);
}

}  // namespace
