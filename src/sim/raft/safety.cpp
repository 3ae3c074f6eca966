// safety.cpp — SafetyChecker (see safety.h).
#include "sim/raft/safety.h"

#include <algorithm>

namespace scalebook::sim::raft {

namespace {
std::string entry_text(Index i, Term t, std::uint64_t data) {
  return "(index " + std::to_string(i) + ", term " + std::to_string(t) + ", data " + std::to_string(data) + ")";
}
}  // namespace

void SafetyChecker::fail(NodeId n, const std::string& what) {
  if (violations_++ == 0) first_violation_ = "node " + std::to_string(n) + ": " + what;
}

void SafetyChecker::observe(NodeId n, const std::vector<Node>& nodes) {
  ++observations_;
  const Node& node = nodes.at(n);
  Seen& seen = seen_.at(n);
  if (node.term() < seen.term) fail(n, "term went back from " + std::to_string(seen.term));
  if (node.log().committed() < seen.commit) fail(n, "commit index went back from " + std::to_string(seen.commit));

  const bool leader = node.state() == StateType::Leader;
  if (leader) {
    auto [it, fresh] = leader_of_term_.emplace(node.term(), n);
    if (!fresh && it->second != n) {
      fail(n, "Election Safety: second leader in term " + std::to_string(node.term()) + " (first: node " +
                  std::to_string(it->second) + ")");
    }
  }
  check_log_matching(n, node.log(), seen);
  if (leader && (!seen.leader || seen.term != node.term())) check_leader_has_committed(n, node);
  seen.leader = leader;
  seen.term = node.term();
  check_committed(n, nodes, seen);

  // State Machine Safety.
  const RaftLog& log = node.log();
  for (Index i = seen.applied + 1; i <= log.applied(); ++i) {
    const Entry& e = log.at(i);
    if (i > applied_.size()) {
      applied_.push_back(e);
    } else if (applied_[i - 1] != e) {
      const Entry& a = applied_[i - 1];
      fail(n, "State Machine Safety: applied " + entry_text(i, e.term, e.data) + " where another node applied " +
                  entry_text(i, a.term, a.data));
    }
  }
  seen.applied = std::max(seen.applied, log.applied());
}

void SafetyChecker::check_log_matching(NodeId n, const RaftLog& log, Seen& seen) {
  const std::vector<Entry>& now = log.with_dummy();  // [0] is the dummy
  const std::size_t common = std::min(seen.log.size(), now.size() - 1);
  const auto diff = std::mismatch(seen.log.begin(), seen.log.begin() + static_cast<std::ptrdiff_t>(common),
                                  now.begin() + 1);
  const Index first_changed = static_cast<Index>(diff.first - seen.log.begin()) + 1;
  if (first_changed <= seen.log.size() && first_changed <= seen.commit) {
    fail(n, "committed entry at index " + std::to_string(first_changed) + " was overwritten or removed");
  }
  seen.log.resize(first_changed - 1);
  for (Index i = first_changed; i < now.size(); ++i) {
    const Entry& e = now[i];
    const Term prev = now[i - 1].term;
    auto [it, fresh] = entry_ids_.try_emplace({i, e.term}, e.data, prev);
    if (!fresh && it->second != std::make_pair(e.data, prev)) {
      fail(n, "Log Matching: " + entry_text(i, e.term, e.data) + " after term " + std::to_string(prev) +
                  ", elsewhere data " + std::to_string(it->second.first) + " after term " +
                  std::to_string(it->second.second));
    }
    seen.log.push_back(e);
  }
}

void SafetyChecker::check_committed(NodeId n, const std::vector<Node>& nodes, Seen& seen) {
  const RaftLog& log = nodes[n].log();
  for (Index i = seen.commit + 1; i <= log.committed(); ++i) {
    const Entry& e = log.at(i);
    if (i <= committed_.size()) {
      const Committed& c = committed_[i - 1];
      if (c.term != e.term || c.data != e.data) {
        fail(n, "committed " + entry_text(i, e.term, e.data) + " where " + entry_text(i, c.term, c.data) +
                    " was committed");
      }
      continue;
    }
    committed_.push_back(Committed{e.term, e.data, nodes[n].term()});
    if (e.data != 0) ++committed_proposals_;
    for (NodeId m = 0; m < nodes.size(); ++m) {
      const Node& other = nodes[m];
      if (other.state() == StateType::Leader && other.term() > nodes[n].term() && !other.log().match_term(i, e.term)) {
        fail(m, "Leader Completeness: leader of term " + std::to_string(other.term()) + " lacks committed " +
                    entry_text(i, e.term, e.data));
      }
    }
  }
  seen.commit = std::max(seen.commit, log.committed());
}

void SafetyChecker::check_leader_has_committed(NodeId n, const Node& node) {
  for (Index i = 1; i <= committed_.size(); ++i) {
    const Committed& c = committed_[i - 1];
    if (c.commit_term < node.term() && !node.log().match_term(i, c.term)) {
      fail(n, "Leader Completeness: new leader of term " + std::to_string(node.term()) + " lacks committed " +
                  entry_text(i, c.term, c.data));
      return;
    }
  }
}

}  // namespace scalebook::sim::raft
