// progress.h — what a leader knows about each follower, as etcd's tracker package keeps it,
// and the majority-quorum rules of etcd's quorum package.
//
// Models (go.etcd.io/raft/v3: tracker/progress.go, tracker/inflights.go, quorum/majority.go):
//  - Progress: Match (highest index known replicated), Next (next index to send),
//    sentCommit, State probe / replicate, RecentActive (heard from since the last
//    CheckQuorum), MsgAppFlowPaused, and the Inflights window.
//    Probe: at most one MsgApp with entries until an answer (or heartbeat response) unpauses
//    it; a rejection moves Next back to max(min(rejected, hint + 1), Match + 1), only if
//    the rejection is for Next - 1. Replicate: Next is advanced optimistically by what was
//    sent, each MsgApp with entries takes one Inflights slot, paused when the window is
//    full; a rejection above Match falls back to Next = Match + 1 (the caller then probes).
//  - Inflights: a ring of the last index of each in-flight MsgApp, at most MaxInflightMsgs;
//    freeLE(i) releases every message whose last index <= i. MaxInflightBytes is not
//    modelled (etcd's default, 0, means no byte limit).
//  - Majority quorum: committed index = the (n/2 + 1)-th largest Match among the voters
//    (sorted ascending, element n - (n/2 + 1)); a vote is won with n/2 + 1 grants, lost
//    once that many can no longer come, pending otherwise. CheckQuorum's "quorum active"
//    is the same vote over RecentActive.
// Not modelled: StateSnapshot and PendingSnapshot (no snapshots), learners, joint configs.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/raft/message.h"

namespace scalebook::sim::raft {

class Inflights {
 public:
  Inflights() = default;
  explicit Inflights(std::uint32_t size) : size_(size) {}
  void add(Index last_index);  // aborts if full
  void free_le(Index to);
  bool full() const { return count_ == size_; }
  std::uint32_t count() const { return count_; }
  std::uint32_t size() const { return size_; }
  void reset() {
    start_ = 0;
    count_ = 0;
  }

 private:
  std::uint32_t start_ = 0, count_ = 0, size_ = 256;
  std::vector<Index> buffer_;  // grows up to size_, like etcd's
};

enum class ProgressState : std::uint8_t { Probe, Replicate };
const char* to_string(ProgressState s);

struct Progress {
  Index match = 0;
  Index next = 1;
  Index sent_commit = 0;
  ProgressState state = ProgressState::Probe;
  bool recent_active = false;
  bool msg_app_flow_paused = false;
  Inflights inflights;

  void reset_state(ProgressState s) {
    msg_app_flow_paused = false;
    state = s;
    inflights.reset();
  }
  void become_probe() {
    reset_state(ProgressState::Probe);
    next = match + 1;
    sent_commit = std::min(sent_commit, next - 1);
  }
  void become_replicate() {
    reset_state(ProgressState::Replicate);
    next = match + 1;
  }
  void sent_entries(std::size_t entries);
  bool can_bump_commit(Index index) const { return index > sent_commit && sent_commit < next - 1; }
  bool maybe_update(Index n);
  bool maybe_decr_to(Index rejected, Index match_hint);
  bool is_paused() const { return msg_app_flow_paused; }
};

enum class VoteResult : std::uint8_t { Pending, Lost, Won };

// votes[i]: -1 not voted, 0 rejected, 1 granted (one slot per voter).
VoteResult majority_vote_result(const std::vector<std::int8_t>& votes);
// The highest index acknowledged by a majority of `match` (one per voter).
Index majority_committed_index(std::vector<Index> match);

}  // namespace scalebook::sim::raft
