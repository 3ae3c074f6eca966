// raft_harness.h — what etcd's raft tests build on, for the ported tests (raft_test.go,
// raft_paper_test.go): node constructors (newTestRaft, entsWithConfig, votedWithConfig),
// log literals (index(i).terms(...)), acceptAndReply / commitNoopEntry, and `TestNet`, the
// synchronous in-memory network of raft_test.go (`network`: send() delivers breadth-first
// until quiet, cut / isolate / ignore / recover, nullopt peers are etcd's nopStepper).
// Ids: etcd numbers nodes from 1; ours from 0, so etcd's node k is N<k> = k - 1 here.
#pragma once
#include <algorithm>
#include <deque>
#include <initializer_list>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "sim/raft/raft.h"

namespace raft_harness {

using namespace scalebook::sim::raft;
using scalebook::sim::Rng;

inline constexpr NodeId N1 = 0, N2 = 1, N3 = 2, N4 = 3, N5 = 4;

// newTestConfig: MaxSizePerMsg noLimit, MaxInflightMsgs 256.
inline Config test_config(NodeId id, std::uint32_t voters, int election = 10, int heartbeat = 1) {
  Config c;
  c.id = id;
  c.voters = voters;
  c.election_tick = election;
  c.heartbeat_tick = heartbeat;
  c.max_inflight_msgs = 256;
  c.max_entries_per_msg = 0xFFFF'FFFFu;
  return c;
}

inline Node new_node(const Config& c, const std::vector<Entry>& log = {}, const HardState& hs = {}) {
  return Node(c, Rng(1000 + c.id), log, hs);
}

inline Node new_node(NodeId id, std::uint32_t voters, int election = 10, int heartbeat = 1,
                     const std::vector<Entry>& log = {}, const HardState& hs = {}) {
  return new_node(test_config(id, voters, election, heartbeat), log, hs);
}

// etcd's index(first).terms(t...): entries first, first + 1, ... with those terms.
inline std::vector<Entry> terms_from(Index first, std::initializer_list<Term> terms) {
  std::vector<Entry> out;
  for (Term t : terms) out.push_back(Entry{t, first++, 0});
  return out;
}

inline Message msg(MsgType t, NodeId from, NodeId to, Term term = 0) { return make_msg(t, from, to, term); }

inline Message prop(NodeId from, NodeId to, std::uint64_t data = 1) {
  Message m = make_msg(MsgType::Prop, from, to);
  m.entries.push_back(Entry{0, 0, data});
  return m;
}

inline Message app(NodeId from, NodeId to, Term term, Term log_term, Index index, std::vector<Entry> ents = {},
                   Index commit = 0) {
  Message m = make_msg(MsgType::App, from, to, term);
  m.log_term = log_term;
  m.index = index;
  m.entries = std::move(ents);
  m.commit = commit;
  return m;
}

// etcd's acceptAndReply.
inline Message accept_and_reply(const Message& m) {
  Message r = make_msg(MsgType::AppResp, m.to, m.from, m.term);
  r.index = m.index + m.entries.size();
  return r;
}

// etcd's messageSlice order: by To, then Type, then From.
inline std::vector<Message> sorted(std::vector<Message> ms) {
  std::stable_sort(ms.begin(), ms.end(), [](const Message& a, const Message& b) {
    if (a.to != b.to) return a.to < b.to;
    if (a.type != b.type) return a.type < b.type;
    return a.from < b.from;
  });
  return ms;
}

// etcd's commitNoopEntry: acknowledge the new leader's empty entry from every follower.
inline void commit_noop_entry(Node& r) {
  r.broadcast_append();
  for (const Message& m : r.take_messages()) r.step(accept_and_reply(m));
  r.take_messages();
}

// entsWithConfig / votedWithConfig: ElectionTick 5, a term from the last entry / the vote.
inline Node ents_node(NodeId id, std::uint32_t voters, bool pre_vote, std::initializer_list<Term> terms) {
  Config c = test_config(id, voters, 5, 1);
  c.pre_vote = pre_vote;
  const std::vector<Entry> log = terms_from(1, terms);
  return new_node(c, log, HardState{log.back().term, kNone, 0});
}
inline Node voted_node(NodeId id, std::uint32_t voters, bool pre_vote, NodeId vote, Term term) {
  Config c = test_config(id, voters, 5, 1);
  c.pre_vote = pre_vote;
  return new_node(c, {}, HardState{term, vote, 0});
}

class TestNet {
 public:
  explicit TestNet(std::vector<std::optional<Node>> peers) : peers_(std::move(peers)) {}
  // newNetworkWithConfig(cfg, nil...): n fresh nodes, ElectionTick 10.
  static TestNet fresh(std::uint32_t n, bool pre_vote = false, bool check_quorum = false) {
    std::vector<std::optional<Node>> peers;
    for (NodeId id = 0; id < n; ++id) {
      Config c = test_config(id, n);
      c.pre_vote = pre_vote;
      c.check_quorum = check_quorum;
      peers.emplace_back(new_node(c));
    }
    return TestNet(std::move(peers));
  }

  void send(std::vector<Message> first) {
    std::deque<Message> queue(first.begin(), first.end());
    while (!queue.empty()) {
      Message m = std::move(queue.front());
      queue.pop_front();
      std::optional<Node>& p = peers_.at(m.to);
      if (!p) continue;  // a black hole
      p->step(m);
      for (Message& out : p->take_messages()) {
        if (ignored_.count(out.type) == 0 && dropped_.count({out.from, out.to}) == 0) queue.push_back(std::move(out));
      }
    }
  }
  void send(const Message& m) { send(std::vector<Message>{m}); }
  // The interaction tests' `stabilize`: deliver whatever any node has queued, until quiet.
  void stabilize() {
    for (bool again = true; again;) {
      again = false;
      for (std::optional<Node>& p : peers_) {
        if (!p) continue;
        std::vector<Message> out;
        for (Message& m : p->take_messages()) {
          if (ignored_.count(m.type) == 0 && dropped_.count({m.from, m.to}) == 0) out.push_back(std::move(m));
        }
        if (!out.empty()) {
          again = true;
          send(std::move(out));
        }
      }
    }
  }
  void hup(NodeId n) { send(msg(MsgType::Hup, n, n)); }
  void cut(NodeId a, NodeId b) {
    dropped_.insert({a, b});
    dropped_.insert({b, a});
  }
  void isolate(NodeId n) {
    for (NodeId o = 0; o < peers_.size(); ++o) {
      if (o != n) cut(n, o);
    }
  }
  void ignore(MsgType t) { ignored_.insert(t); }
  void recover() {
    dropped_.clear();
    ignored_.clear();
  }
  Node& operator[](NodeId n) { return *peers_.at(n); }
  bool is_black_hole(NodeId n) const { return !peers_.at(n).has_value(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(peers_.size()); }

 private:
  std::vector<std::optional<Node>> peers_;
  std::set<std::pair<NodeId, NodeId>> dropped_;
  std::set<MsgType> ignored_;
};

}  // namespace raft_harness
