// log.h — a Raft node's log, as etcd's raftLog (log.go) keeps it.
//
// Models: entries at indexes 1..last_index() (index 0 is a dummy with term 0, like
// MemoryStorage's), the committed index and the applied index, and the operations
// etcd's raft calls: term(i), matchTerm, isUpToDate (the §5.4.1 vote rule: a higher last
// term, or the same last term and a last index at least as long), findConflict,
// findConflictByTerm (the rejection hint both sides use to skip a divergent tail),
// maybeAppend (check the previous entry, truncate at the first conflict, append the rest,
// commit up to min(leader's commit, last new index)), maybeCommit (only at an entry of the
// given term), commitTo (never backwards) and entries(lo, max) for a MsgApp.
// Invariants (etcd panics on them; we abort): committed <= last_index(); a committed entry is
// never truncated or overwritten; applied <= committed; terms never decrease along the log.
// Storage is one vector: etcd's split into stable storage and the unstable tail, and the
// moment an append becomes durable, are not modelled (every append is durable at once).
// Not modelled: compaction and snapshots (first index is always 1), size limits in bytes
// (entries() limits a count instead: at least one entry, at most max_entries).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/raft/message.h"

namespace scalebook::sim::raft {

class RaftLog {
 public:
  RaftLog() : entries_(1) {}
  // A log holding `entries` (indexes must run 1, 2, ...), committed and applied at 0.
  explicit RaftLog(const std::vector<Entry>& entries);

  Index last_index() const { return entries_.size() - 1; }
  Term last_term() const { return entries_.back().term; }
  // The term at i, or 0 past the end (etcd: zeroTermOnOutOfBounds(term(i))).
  Term term(Index i) const { return i <= last_index() ? entries_[i].term : 0; }
  bool has(Index i) const { return i <= last_index(); }
  bool match_term(Index i, Term t) const { return i <= last_index() && entries_[i].term == t; }
  bool is_up_to_date(Index their_last_index, Term their_last_term) const {
    return their_last_term > last_term() || (their_last_term == last_term() && their_last_index >= last_index());
  }
  const Entry& at(Index i) const { return entries_.at(i); }  // i in 1..last_index()
  // Every entry, index 1 first.
  std::vector<Entry> all() const { return {entries_.begin() + 1, entries_.end()}; }
  const std::vector<Entry>& with_dummy() const { return entries_; }  // [0] is the dummy

  // The first entry of `ents` whose (index, term) is not in the log (0 if none).
  Index find_conflict(const std::vector<Entry>& ents) const;
  // The largest (index, term) at or below `index` whose term <= `term` ((0, 0) if none).
  std::pair<Index, Term> find_conflict_by_term(Index index, Term term) const;
  // etcd's maybeAppend. Returns the last new index, or 0 with ok=false if (prev_index,
  // prev_term) does not match.
  std::pair<Index, bool> maybe_append(Index prev_index, Term prev_term, Index committed,
                                      const std::vector<Entry>& ents);
  // Truncate after ents[0].index - 1 and append; returns last_index(). Aborts if that would
  // remove a committed entry.
  Index append(const std::vector<Entry>& ents);
  // Entries from lo to the end, at most max_entries of them (at least one if any).
  std::vector<Entry> entries(Index lo, std::uint32_t max_entries) const;

  Index committed() const { return committed_; }
  Index applied() const { return applied_; }
  void commit_to(Index to);  // aborts past last_index(); never decreases
  bool maybe_commit(Index index, Term term);
  void applied_to(Index i);  // aborts outside [applied, committed]

 private:
  std::vector<Entry> entries_;
  Index committed_ = 0;
  Index applied_ = 0;
};

}  // namespace scalebook::sim::raft
