// progress.cpp — Progress, Inflights and the majority quorum (see progress.h).
#include "sim/raft/progress.h"

#include <cstdlib>

namespace scalebook::sim::raft {

const char* to_string(ProgressState s) { return s == ProgressState::Probe ? "probe" : "replicate"; }

void Inflights::add(Index last_index) {
  if (full()) std::abort();  // etcd: "cannot add into a Full inflights"
  std::uint32_t next = start_ + count_;
  if (next >= size_) next -= size_;
  if (next >= buffer_.size()) {
    std::size_t grown = buffer_.empty() ? 1 : 2 * buffer_.size();
    buffer_.resize(std::min<std::size_t>(grown, size_));
  }
  buffer_[next] = last_index;
  ++count_;
}

void Inflights::free_le(Index to) {
  if (count_ == 0 || to < buffer_[start_]) return;
  std::uint32_t idx = start_, i = 0;
  for (; i < count_; ++i) {
    if (to < buffer_[idx]) break;
    if (++idx >= size_) idx -= size_;
  }
  count_ -= i;
  start_ = count_ == 0 ? 0 : idx;
}

void Progress::sent_entries(std::size_t entries) {
  if (state == ProgressState::Replicate) {
    if (entries > 0) {
      next += entries;
      inflights.add(next - 1);
    }
    msg_app_flow_paused = inflights.full();
  } else if (entries > 0) {
    msg_app_flow_paused = true;  // probe: one message with entries per round trip
  }
}

bool Progress::maybe_update(Index n) {
  if (n <= match) return false;
  match = n;
  next = std::max(next, n + 1);
  msg_app_flow_paused = false;
  return true;
}

bool Progress::maybe_decr_to(Index rejected, Index match_hint) {
  if (state == ProgressState::Replicate) {
    if (rejected <= match) return false;  // stale
    next = match + 1;
    sent_commit = std::min(sent_commit, next - 1);
    return true;
  }
  if (next - 1 != rejected) return false;  // not for the probe in flight: stale
  next = std::max(std::min(rejected, match_hint + 1), match + 1);
  sent_commit = std::min(sent_commit, next - 1);
  msg_app_flow_paused = false;
  return true;
}

VoteResult majority_vote_result(const std::vector<std::int8_t>& votes) {
  if (votes.empty()) return VoteResult::Won;
  std::size_t granted = 0, missing = 0;
  for (std::int8_t v : votes) {
    if (v < 0) ++missing;
    else if (v > 0) ++granted;
  }
  const std::size_t q = votes.size() / 2 + 1;
  if (granted >= q) return VoteResult::Won;
  if (granted + missing >= q) return VoteResult::Pending;
  return VoteResult::Lost;
}

Index majority_committed_index(std::vector<Index> match) {
  if (match.empty()) return ~Index{0};  // etcd: math.MaxUint64 for an empty config
  std::sort(match.begin(), match.end());
  const std::size_t n = match.size();
  return match[n - (n / 2 + 1)];
}

}  // namespace scalebook::sim::raft
