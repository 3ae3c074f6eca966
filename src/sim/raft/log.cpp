// log.cpp — RaftLog: etcd's raftLog operations over one vector (see log.h).
#include "sim/raft/log.h"

#include <algorithm>
#include <cstdlib>

namespace scalebook::sim::raft {

RaftLog::RaftLog(const std::vector<Entry>& entries) : entries_(1) {
  for (const Entry& e : entries) {
    if (e.index != entries_.size() || e.term < entries_.back().term) std::abort();
    entries_.push_back(e);
  }
}

Index RaftLog::find_conflict(const std::vector<Entry>& ents) const {
  for (const Entry& e : ents) {
    if (!match_term(e.index, e.term)) return e.index;
  }
  return 0;
}

std::pair<Index, Term> RaftLog::find_conflict_by_term(Index index, Term term) const {
  // etcd returns (index, 0) when index is past the end (term() fails there).
  if (index > last_index()) return {index, 0};
  for (; index > 0; --index) {
    if (entries_[index].term <= term) return {index, entries_[index].term};
  }
  return {0, 0};
}

std::pair<Index, bool> RaftLog::maybe_append(Index prev_index, Term prev_term, Index committed,
                                             const std::vector<Entry>& ents) {
  if (!match_term(prev_index, prev_term)) return {0, false};
  const Index last_new = prev_index + ents.size();
  const Index ci = find_conflict(ents);
  if (ci != 0) {
    if (ci <= committed_) std::abort();  // etcd: "entry %d conflict with committed entry"
    append({ents.begin() + static_cast<std::ptrdiff_t>(ci - (prev_index + 1)), ents.end()});
  }
  commit_to(std::min(committed, last_new));
  return {last_new, true};
}

Index RaftLog::append(const std::vector<Entry>& ents) {
  if (ents.empty()) return last_index();
  const Index after = ents.front().index - 1;
  if (after < committed_ || after > last_index()) std::abort();
  entries_.resize(after + 1);
  for (const Entry& e : ents) {
    if (e.index != entries_.size() || e.term < entries_.back().term) std::abort();
    entries_.push_back(e);
  }
  return last_index();
}

std::vector<Entry> RaftLog::entries(Index lo, std::uint32_t max_entries) const {
  if (lo == 0 || lo > last_index()) return {};
  const Index n = std::min<Index>(last_index() + 1 - lo, std::max<std::uint32_t>(max_entries, 1));
  const auto first = entries_.begin() + static_cast<std::ptrdiff_t>(lo);
  return {first, first + static_cast<std::ptrdiff_t>(n)};
}

void RaftLog::commit_to(Index to) {
  if (to <= committed_) return;
  if (to > last_index()) std::abort();  // etcd: "tocommit(%d) is out of range"
  committed_ = to;
}

bool RaftLog::maybe_commit(Index index, Term term) {
  if (term != 0 && index > committed_ && match_term(index, term)) {
    commit_to(index);
    return true;
  }
  return false;
}

void RaftLog::applied_to(Index i) {
  if (i < applied_ || i > committed_) std::abort();
  applied_ = i;
}

}  // namespace scalebook::sim::raft
