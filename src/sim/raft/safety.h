// safety.h — Raft's safety properties (Ongaro & Ousterhout, "In Search of an Understandable
// Consensus Algorithm", Figure 3) checked on a running cluster, after every event.
//
// Checks, each time a node is observed (after it handled a message, a tick, a proposal or a
// restart):
//  - Election Safety: at most one node is ever leader in a given term.
//  - Log Matching: an entry (index, term) always has the same data and the same previous
//    term, in every log, at every time. By induction that is exactly "two logs holding an
//    entry with the same index and term are identical up to it" (an (index, term) is
//    written once, by the leader of that term), and it is checked in O(new entries): each
//    node's log is compared with its previous observation and only the changed tail is
//    registered.
//  - Leader Completeness: an entry committed while the committing node's term was T is in
//    the log of every leader of a term > T (checked when a node becomes leader, and for
//    the current leaders whenever an entry is first seen committed). T is the observing
//    node's term, an upper bound of the term the entry was committed in, so the check never
//    fires falsely.
//  - State Machine Safety: no two nodes apply different entries at one index.
//  - And what the four rely on: a node's term and commit index never decrease (both are
//    persisted), and a committed entry is never removed from a log.
// The first violation is kept as text; later ones only count.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/raft/raft.h"

namespace scalebook::sim::raft {

class SafetyChecker {
 public:
  explicit SafetyChecker(std::uint32_t nodes = 0) : seen_(nodes) {}

  // Node n handled an event; `nodes` is the whole cluster, indexed by id.
  void observe(NodeId n, const std::vector<Node>& nodes);

  bool ok() const { return violations_ == 0; }
  std::uint64_t violations() const { return violations_; }
  const std::string& first_violation() const { return first_violation_; }
  std::uint64_t observations() const { return observations_; }
  Index committed_index() const { return committed_.size(); }  // highest index seen committed
  std::uint64_t committed_proposals() const { return committed_proposals_; }  // data != 0
  const std::map<Term, NodeId>& leaders_by_term() const { return leader_of_term_; }

 private:
  struct Committed {
    Term term;
    std::uint64_t data;
    Term commit_term;
  };
  struct Seen {
    std::vector<Entry> log;  // index 1 first
    Index commit = 0, applied = 0;
    Term term = 0;
    bool leader = false;
  };
  void fail(NodeId n, const std::string& what);
  void check_log_matching(NodeId n, const RaftLog& log, Seen& seen);
  void check_committed(NodeId n, const std::vector<Node>& nodes, Seen& seen);
  void check_leader_has_committed(NodeId n, const Node& node);

  std::vector<Seen> seen_;
  std::map<Term, NodeId> leader_of_term_;
  std::map<std::pair<Index, Term>, std::pair<std::uint64_t, Term>> entry_ids_;  // -> (data, previous term)
  std::vector<Committed> committed_;  // [i - 1] for index i
  std::vector<Entry> applied_;        // [i - 1] for index i
  std::uint64_t committed_proposals_ = 0;
  std::uint64_t observations_ = 0;
  std::uint64_t violations_ = 0;
  std::string first_violation_;
};

}  // namespace scalebook::sim::raft
