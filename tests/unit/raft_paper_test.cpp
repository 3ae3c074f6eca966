// Expectations ported from etcd's raft_paper_test.go (go.etcd.io/raft/v3), the tests of the
// Raft paper's rules, each named after its etcd test. Our node ids are etcd's minus one
// (raft_harness.h). Where etcd reads messages before its Ready cycle ran, we compare after
// it: our step() and tick() run one cycle each (raft.h).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "raft_harness.h"

using namespace raft_harness;

namespace {

// raft_paper_test.go: testUpdateTermFromMessage (Follower/Candidate/LeaderUpdateTermFromMessage).
TEST(RaftPaper, UpdateTermFromMessage) {
  for (StateType st : {StateType::Follower, StateType::Candidate, StateType::Leader}) {
    Node r = new_node(N1, 3);
    if (st == StateType::Follower) r.become_follower(1, N2);
    if (st != StateType::Follower) r.become_candidate();
    if (st == StateType::Leader) r.become_leader();
    r.step(app(N2, N1, 2, 0, 0));
    EXPECT_EQ(r.term(), 2u) << to_string(st);
    EXPECT_EQ(r.state(), StateType::Follower) << to_string(st);
  }
}

// raft_paper_test.go: TestRejectStaleTermMessage (etcd ignores a lower-term request).
TEST(RaftPaper, RejectStaleTermMessage) {
  Node r = new_node(N1, 3, 10, 1, {}, HardState{2, kNone, 0});
  r.step(app(N2, N1, 1, 0, 0, terms_from(1, {1})));
  EXPECT_EQ(r.term(), 2u);
  EXPECT_EQ(r.lead(), kNone);
  EXPECT_EQ(r.log().last_index(), 0u);
  EXPECT_TRUE(r.take_messages().empty());
}

// raft_paper_test.go: TestStartAsFollower, TestLeaderBcastBeat.
TEST(RaftPaper, LeaderBcastBeat) {
  Node r = new_node(N1, 3);
  EXPECT_EQ(r.state(), StateType::Follower);
  r.become_candidate();
  r.become_leader();
  for (int i = 0; i < 10; ++i) r.append_entry({Entry{}});
  r.tick();  // heartbeat interval 1
  std::vector<Message> want = {msg(MsgType::Heartbeat, N1, N2, 1), msg(MsgType::Heartbeat, N1, N3, 1)};
  EXPECT_EQ(sorted(r.take_messages()), want);
}

// raft_paper_test.go: testNonleaderStartElection (Follower/CandidateStartNewElection).
TEST(RaftPaper, NonleaderStartElection) {
  for (StateType st : {StateType::Follower, StateType::Candidate}) {
    Node r = new_node(N1, 3);
    if (st == StateType::Follower) r.become_follower(1, N2);
    if (st == StateType::Candidate) r.become_candidate();
    for (int i = 1; i < 2 * 10; ++i) r.tick();
    EXPECT_EQ(r.term(), 2u);
    EXPECT_EQ(r.state(), StateType::Candidate);
    EXPECT_EQ(r.vote_from(N1), 1);
    std::vector<Message> want = {msg(MsgType::Vote, N1, N2, 2), msg(MsgType::Vote, N1, N3, 2)};
    EXPECT_EQ(sorted(r.take_messages()), want) << to_string(st);
  }
}

// raft_paper_test.go: TestLeaderElectionInOneRoundRPC.
TEST(RaftPaper, LeaderElectionInOneRoundRPC) {
  struct Case {
    std::uint32_t size;
    std::map<NodeId, bool> votes;
    StateType state;
  };
  const std::vector<Case> cases = {
      {1, {}, StateType::Leader},
      {3, {{N2, true}, {N3, true}}, StateType::Leader},
      {3, {{N2, true}}, StateType::Leader},
      {5, {{N2, true}, {N3, true}, {N4, true}, {N5, true}}, StateType::Leader},
      {5, {{N2, true}, {N3, true}, {N4, true}}, StateType::Leader},
      {5, {{N2, true}, {N3, true}}, StateType::Leader},
      {3, {{N2, false}, {N3, false}}, StateType::Follower},
      {5, {{N2, false}, {N3, false}, {N4, false}, {N5, false}}, StateType::Follower},
      {5, {{N2, true}, {N3, false}, {N4, false}, {N5, false}}, StateType::Follower},
      {3, {}, StateType::Candidate},
      {5, {{N2, true}}, StateType::Candidate},
      {5, {{N2, false}, {N3, false}}, StateType::Candidate},
      {5, {}, StateType::Candidate},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, cases[i].size);
    r.campaign();
    for (const auto& [id, granted] : cases[i].votes) {
      Message m = msg(MsgType::VoteResp, id, N1, r.term());
      m.reject = !granted;
      r.step(m);
    }
    EXPECT_EQ(r.state(), cases[i].state) << "#" << i;
    EXPECT_EQ(r.term(), 1u) << "#" << i;
  }
}

// raft_paper_test.go: TestFollowerVote (first come, first served within a term).
TEST(RaftPaper, FollowerVote) {
  struct Case {
    NodeId vote, nvote;
    bool reject;
  };
  for (const Case& c : std::vector<Case>{{kNone, N2, false}, {kNone, N3, false}, {N2, N2, false},
                                         {N3, N3, false}, {N2, N3, true}, {N3, N2, true}}) {
    Node r = new_node(N1, 3, 10, 1, {}, HardState{1, c.vote, 0});
    r.step(msg(MsgType::Vote, c.nvote, N1, 1));
    Message want = msg(MsgType::VoteResp, N1, c.nvote, 1);
    want.reject = c.reject;
    EXPECT_EQ(r.take_messages(), std::vector<Message>{want});
  }
}

// raft_paper_test.go: TestCandidateFallback.
TEST(RaftPaper, CandidateFallback) {
  for (Term t : {1u, 2u}) {
    Node r = new_node(N1, 3);
    r.campaign();
    ASSERT_EQ(r.state(), StateType::Candidate);
    r.step(app(N2, N1, t, 0, 0));
    EXPECT_EQ(r.state(), StateType::Follower);
    EXPECT_EQ(r.term(), t);
  }
}

// raft_paper_test.go: testNonleaderElectionTimeoutRandomized: every timeout in [et, 2·et) occurs.
TEST(RaftPaper, NonleaderElectionTimeoutRandomized) {
  for (StateType st : {StateType::Follower, StateType::Candidate}) {
    const int et = 10;
    Node r = new_node(N1, 3, et);
    std::set<int> timeouts;
    for (int round = 0; round < 50 * et; ++round) {
      if (st == StateType::Follower) r.become_follower(r.term() + 1, N2);
      if (st == StateType::Candidate) r.become_candidate();
      int time = 0;
      while (r.take_messages().empty()) {
        r.tick();
        ++time;
      }
      timeouts.insert(time);
    }
    for (int d = et; d < 2 * et; ++d) EXPECT_TRUE(timeouts.count(d)) << "timeout in " << d << " ticks";
    EXPECT_EQ(*timeouts.begin(), et);
    EXPECT_EQ(*timeouts.rbegin(), 2 * et - 1);
  }
}

// raft_paper_test.go: testNonleadersElectionTimeoutNonconflict: rarely two time out at once.
TEST(RaftPaper, NonleadersElectionTimeoutNonconflict) {
  for (StateType st : {StateType::Follower, StateType::Candidate}) {
    std::vector<Node> rs;
    for (NodeId id = 0; id < 5; ++id) rs.push_back(new_node(id, 5));
    int conflicts = 0;
    for (int round = 0; round < 1000; ++round) {
      for (Node& r : rs) {
        if (st == StateType::Follower) r.become_follower(r.term() + 1, kNone);
        if (st == StateType::Candidate) r.become_candidate();
      }
      int timeout_num = 0;
      while (timeout_num == 0) {
        for (Node& r : rs) {
          r.tick();
          if (!r.take_messages().empty()) ++timeout_num;
        }
      }
      if (timeout_num > 1) ++conflicts;
    }
    EXPECT_LE(conflicts / 1000.0, 0.3);
  }
}

// A 3-node leader of term 1 whose empty entry is committed, after one proposal (data 7).
Node leader_after_one_proposal() {
  Node r = new_node(N1, 3);
  r.become_candidate();
  r.become_leader();
  commit_noop_entry(r);
  r.step(prop(N1, N1, 7));
  return r;
}

// raft_paper_test.go: TestLeaderStartReplication.
TEST(RaftPaper, LeaderStartReplication) {
  Node r = leader_after_one_proposal();
  const Index li = r.log().last_index() - 1;  // before the proposal
  EXPECT_EQ(r.log().last_index(), li + 1);
  EXPECT_EQ(r.log().committed(), li);
  const std::vector<Entry> wents = {Entry{1, li + 1, 7}};
  std::vector<Message> want = {app(N1, N2, 1, 1, li, wents, li), app(N1, N3, 1, 1, li, wents, li)};
  EXPECT_EQ(sorted(r.take_messages()), want);
}

// raft_paper_test.go: TestLeaderCommitEntry.
TEST(RaftPaper, LeaderCommitEntry) {
  Node r = leader_after_one_proposal();
  const Index li = r.log().last_index() - 1;  // before the proposal
  for (const Message& m : r.take_messages()) r.step(accept_and_reply(m));
  EXPECT_EQ(r.log().committed(), li + 1);
  EXPECT_EQ(r.log().applied(), li + 1);
  EXPECT_EQ(r.log().at(li + 1), (Entry{1, li + 1, 7}));
  const std::vector<Message> ms = sorted(r.take_messages());
  ASSERT_EQ(ms.size(), 2u);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    EXPECT_EQ(ms[i].to, N2 + i);
    EXPECT_EQ(ms[i].type, MsgType::App);
    EXPECT_EQ(ms[i].commit, li + 1);
  }
}

// raft_paper_test.go: TestLeaderAcknowledgeCommit.
TEST(RaftPaper, LeaderAcknowledgeCommit) {
  struct Case {
    std::uint32_t size;
    std::set<NodeId> acceptors;
    bool ack;
  };
  const std::vector<Case> cases = {{1, {}, true},           {3, {}, false},           {3, {N2}, true},
                                   {3, {N2, N3}, true},     {5, {}, false},           {5, {N2}, false},
                                   {5, {N2, N3}, true},     {5, {N2, N3, N4}, true},  {5, {N2, N3, N4, N5}, true}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, cases[i].size);
    r.become_candidate();
    r.become_leader();
    commit_noop_entry(r);
    const Index li = r.log().last_index();
    r.step(prop(N1, N1, 7));
    for (const Message& m : r.take_messages()) {
      if (cases[i].acceptors.count(m.to)) r.step(accept_and_reply(m));
    }
    EXPECT_EQ(r.log().committed() > li, cases[i].ack) << "#" << i;
  }
}

// raft_paper_test.go: TestLeaderCommitPrecedingEntries.
TEST(RaftPaper, LeaderCommitPrecedingEntries) {
  const std::vector<std::vector<Entry>> cases = {{}, {Entry{2, 1, 0}}, {Entry{1, 1, 0}, Entry{2, 2, 0}}, {Entry{1, 1, 0}}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, 3, 10, 1, cases[i], HardState{2, kNone, 0});
    r.become_candidate();
    r.become_leader();
    r.step(prop(N1, N1, 7));
    for (const Message& m : r.take_messages()) r.step(accept_and_reply(m));
    const Index li = cases[i].size();
    std::vector<Entry> want = cases[i];
    want.push_back(Entry{3, li + 1, 0});
    want.push_back(Entry{3, li + 2, 7});
    EXPECT_EQ(r.log().all(), want) << "#" << i;
    EXPECT_EQ(r.log().applied(), li + 2) << "#" << i;
  }
}

// raft_paper_test.go: TestFollowerCommitEntry.
TEST(RaftPaper, FollowerCommitEntry) {
  struct Case {
    std::vector<Entry> ents;
    Index commit;
  };
  const std::vector<Case> cases = {{{Entry{1, 1, 7}}, 1},
                                   {{Entry{1, 1, 7}, Entry{1, 2, 8}}, 2},
                                   {{Entry{1, 1, 8}, Entry{1, 2, 7}}, 2},
                                   {{Entry{1, 1, 7}, Entry{1, 2, 8}}, 1}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, 3);
    r.become_follower(1, N2);
    r.step(app(N2, N1, 1, 0, 0, cases[i].ents, cases[i].commit));
    EXPECT_EQ(r.log().committed(), cases[i].commit) << "#" << i;
    EXPECT_EQ(r.log().applied(), cases[i].commit) << "#" << i;
    for (Index k = 1; k <= cases[i].commit; ++k) EXPECT_EQ(r.log().at(k), cases[i].ents[k - 1]);
  }
}

// raft_paper_test.go: TestFollowerCheckMsgApp (including the rejection hints).
TEST(RaftPaper, FollowerCheckMsgApp) {
  struct Case {
    Term term;
    Index index, windex;
    bool reject;
    Index hint;
    Term hint_term;
  };
  const std::vector<Case> cases = {
      {0, 0, 1, false, 0, 0}, {1, 1, 1, false, 0, 0}, {2, 2, 2, false, 0, 0},
      {1, 2, 2, true, 1, 1},  {3, 3, 3, true, 2, 2},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, 3, 10, 1, terms_from(1, {1, 2}), HardState{0, kNone, 1});
    r.become_follower(2, N2);
    r.step(app(N2, N1, 2, cases[i].term, cases[i].index));
    Message want = msg(MsgType::AppResp, N1, N2, 2);
    want.index = cases[i].windex;
    want.reject = cases[i].reject;
    want.reject_hint = cases[i].hint;
    want.log_term = cases[i].hint_term;
    EXPECT_EQ(r.take_messages(), std::vector<Message>{want}) << "#" << i;
  }
}

// raft_paper_test.go: TestFollowerAppendEntries (truncate the conflict, append the rest).
TEST(RaftPaper, FollowerAppendEntries) {
  struct Case {
    Index index;
    Term term;
    std::vector<Entry> ents, want;
  };
  const std::vector<Case> cases = {
      {2, 2, terms_from(3, {3}), terms_from(1, {1, 2, 3})},
      {1, 1, terms_from(2, {3, 4}), terms_from(1, {1, 3, 4})},
      {0, 0, terms_from(1, {1}), terms_from(1, {1, 2})},
      {0, 0, terms_from(1, {3}), terms_from(1, {3})},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, 3, 10, 1, terms_from(1, {1, 2}));
    r.become_follower(2, N2);
    r.step(app(N2, N1, 2, cases[i].term, cases[i].index, cases[i].ents));
    EXPECT_EQ(r.log().all(), cases[i].want) << "#" << i;
  }
}

// raft_paper_test.go: TestLeaderSyncFollowerLog (the paper's Figure 7 followers).
TEST(RaftPaper, LeaderSyncFollowerLog) {
  const std::vector<Entry> ents = terms_from(1, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6});
  const Term term = 8;
  const std::vector<std::vector<Entry>> followers = {
      terms_from(1, {1, 1, 1, 4, 4, 5, 5, 6, 6}),       terms_from(1, {1, 1, 1, 4}),
      terms_from(1, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}), terms_from(1, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}),
      terms_from(1, {1, 1, 1, 4, 4, 4, 4}),             terms_from(1, {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}),
  };
  for (std::size_t i = 0; i < followers.size(); ++i) {
    std::vector<std::optional<Node>> peers;
    peers.emplace_back(new_node(N1, 3, 10, 1, ents, HardState{term, kNone, ents.size()}));
    peers.emplace_back(new_node(N2, 3, 10, 1, followers[i], HardState{term - 1, kNone, 0}));
    peers.emplace_back(std::nullopt);
    TestNet n(std::move(peers));
    n.hup(N1);
    n.send(msg(MsgType::VoteResp, N3, N1, term + 1));
    n.send(prop(N1, N1, 0));
    EXPECT_EQ(n[N1].log().all(), n[N2].log().all()) << "#" << i;
    EXPECT_EQ(n[N1].log().committed(), n[N2].log().committed()) << "#" << i;
  }
}

// raft_paper_test.go: TestVoteRequest.
TEST(RaftPaper, VoteRequest) {
  struct Case {
    std::vector<Entry> ents;
    Term wterm;
  };
  for (const Case& c : std::vector<Case>{{terms_from(1, {1}), 2}, {terms_from(1, {1, 2}), 3}}) {
    Node r = new_node(N1, 3);
    r.step(app(N2, N1, c.wterm - 1, 0, 0, c.ents));
    r.take_messages();
    for (int i = 1; i < 2 * 10; ++i) r.tick();
    const std::vector<Message> ms = sorted(r.take_messages());
    ASSERT_EQ(ms.size(), 2u);
    for (std::size_t i = 0; i < ms.size(); ++i) {
      EXPECT_EQ(ms[i].type, MsgType::Vote);
      EXPECT_EQ(ms[i].to, N2 + i);
      EXPECT_EQ(ms[i].term, c.wterm);
      EXPECT_EQ(ms[i].index, c.ents.back().index);
      EXPECT_EQ(ms[i].log_term, c.ents.back().term);
    }
  }
}

// raft_paper_test.go: TestVoter (deny a vote to a candidate whose log is behind, §5.4.1).
TEST(RaftPaper, Voter) {
  struct Case {
    std::vector<Entry> ents;
    Term log_term;
    Index index;
    bool reject;
  };
  const std::vector<Case> cases = {
      {terms_from(1, {1}), 1, 1, false},    {terms_from(1, {1}), 1, 2, false},
      {terms_from(1, {1, 1}), 1, 1, true},  {terms_from(1, {1}), 2, 1, false},
      {terms_from(1, {1}), 2, 2, false},    {terms_from(1, {1, 1}), 2, 1, false},
      {terms_from(1, {2}), 1, 1, true},     {terms_from(1, {2}), 1, 2, true},
      {terms_from(1, {2, 2}), 1, 1, true},  {terms_from(1, {1, 1}), 1, 1, true},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Node r = new_node(N1, 2, 10, 1, cases[i].ents);
    Message v = msg(MsgType::Vote, N2, N1, 3);
    v.log_term = cases[i].log_term;
    v.index = cases[i].index;
    r.step(v);
    const std::vector<Message> ms = r.take_messages();
    ASSERT_EQ(ms.size(), 1u) << "#" << i;
    EXPECT_EQ(ms[0].type, MsgType::VoteResp) << "#" << i;
    EXPECT_EQ(ms[0].reject, cases[i].reject) << "#" << i;
  }
}

// raft_paper_test.go: TestLeaderOnlyCommitsLogFromCurrentTerm (§5.4.2).
TEST(RaftPaper, LeaderOnlyCommitsLogFromCurrentTerm) {
  struct Case {
    Index index, wcommit;
  };
  for (const Case& c : std::vector<Case>{{1, 0}, {2, 0}, {3, 3}}) {
    Node r = new_node(N1, 2, 10, 1, terms_from(1, {1, 2}), HardState{2, kNone, 0});
    r.become_candidate();  // term 3
    r.become_leader();
    r.take_messages();
    r.step(prop(N1, N1, 0));
    Message resp = msg(MsgType::AppResp, N2, N1, r.term());
    resp.index = c.index;
    r.step(resp);
    EXPECT_EQ(r.log().committed(), c.wcommit) << "ack of " << c.index;
  }
}

}  // namespace
