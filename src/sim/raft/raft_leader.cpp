// raft_leader.cpp — Node as a leader: stepLeader, replication and commitment (raft.go).
#include <cstdlib>

#include "sim/raft/raft.h"

namespace scalebook::sim::raft {

bool Node::step_leader(const Message& m) {
  switch (m.type) {
    case MsgType::Beat:
      bcast_heartbeat();
      return true;
    case MsgType::CheckQuorum:
      if (!quorum_active()) become_follower(term_, kNone);
      for (NodeId n = 0; n < cfg_.voters; ++n) {
        if (n != id()) progress_[n].recent_active = false;  // count afresh until the next check
      }
      return true;
    case MsgType::Prop:
      if (m.entries.empty()) std::abort();  // etcd: "stepped empty MsgProp"
      append_entry(m.entries);
      bcast_append();
      return true;
    default:
      break;
  }
  if (m.from >= cfg_.voters) return true;  // no progress for it
  Progress& pr = progress_[m.from];
  switch (m.type) {
    case MsgType::AppResp:
      step_leader_app_resp(m, pr);
      break;
    case MsgType::HeartbeatResp:
      pr.recent_active = true;
      pr.msg_app_flow_paused = false;
      // Behind, or still probing: an append (empty if paused) lets it catch up or recover.
      if (pr.match < log_.last_index() || pr.state == ProgressState::Probe) send_append(m.from);
      break;
    default:
      break;
  }
  return true;
}

void Node::step_leader_app_resp(const Message& m, Progress& pr) {
  pr.recent_active = true;
  if (m.reject) {
    // The follower's hint is (reject_hint, log_term); every index of ours between the hint's
    // term and it with a larger term must fail too, so probe at or below the last index
    // whose term is <= the hint's term.
    Index next_probe = m.reject_hint;
    if (m.log_term > 0) next_probe = log_.find_conflict_by_term(m.reject_hint, m.log_term).first;
    if (pr.maybe_decr_to(m.index, next_probe)) {
      if (pr.state == ProgressState::Replicate) pr.become_probe();
      send_append(m.from);
    }
    return;
  }
  if (!pr.maybe_update(m.index) && !(pr.match == m.index && pr.state == ProgressState::Probe)) return;
  if (pr.state == ProgressState::Probe) {
    pr.become_replicate();
  } else {
    pr.inflights.free_le(m.index);
  }
  if (maybe_commit()) {
    bcast_append();
  } else if (m.from != id() && pr.can_bump_commit(log_.committed())) {
    send_append(m.from);  // it may be missing the latest commit index
  }
  if (m.from != id()) {
    while (maybe_send_append(m.from, false)) {
      // send as many messages with entries as the window allows
    }
  }
}

bool Node::maybe_send_append(NodeId to, bool send_if_empty) {
  Progress& pr = progress_[to];
  if (pr.is_paused()) return false;
  const Index prev_index = pr.next - 1;
  if (!log_.has(prev_index)) std::abort();  // etcd would send a snapshot; we never compact
  std::vector<Entry> ents;
  // A throttled replicate stream sends only empty appends, to keep the answers coming.
  if (pr.state != ProgressState::Replicate || !pr.inflights.full()) {
    ents = log_.entries(pr.next, cfg_.max_entries_per_msg);
  }
  if (ents.empty() && !send_if_empty) return false;
  Message m = make_msg(MsgType::App, id(), to);
  m.index = prev_index;
  m.log_term = log_.term(prev_index);
  m.commit = log_.committed();
  const std::size_t n = ents.size();
  m.entries = std::move(ents);
  send(std::move(m));
  pr.sent_entries(n);
  pr.sent_commit = log_.committed();
  return true;
}

void Node::send_heartbeat(NodeId to) {
  Progress& pr = progress_[to];
  // Never tell a follower to commit past what it is known to hold.
  const Index commit = std::min(pr.match, log_.committed());
  Message m = make_msg(MsgType::Heartbeat, id(), to);
  m.commit = commit;
  send(std::move(m));
  pr.sent_commit = commit;
}

void Node::bcast_append() {
  for (NodeId n = 0; n < cfg_.voters; ++n) {
    if (n != id()) send_append(n);
  }
}

void Node::bcast_heartbeat() {
  for (NodeId n = 0; n < cfg_.voters; ++n) {
    if (n != id()) send_heartbeat(n);
  }
}

void Node::append_entry(const std::vector<Entry>& ents) {
  const Index li = log_.last_index();
  std::vector<Entry> stamped = ents;
  for (std::size_t i = 0; i < stamped.size(); ++i) {
    stamped[i].term = term_;
    stamped[i].index = li + 1 + i;
  }
  Message ack = make_msg(MsgType::AppResp, id(), id());
  ack.index = log_.append(stamped);
  send(std::move(ack));  // the self-ack, stepped once the append is durable
}

bool Node::maybe_commit() {
  std::vector<Index> match(cfg_.voters);
  for (NodeId n = 0; n < cfg_.voters; ++n) match[n] = progress_[n].match;
  return log_.maybe_commit(majority_committed_index(std::move(match)), term_);
}

bool Node::quorum_active() const {
  std::vector<std::int8_t> active(cfg_.voters);
  for (NodeId n = 0; n < cfg_.voters; ++n) active[n] = progress_[n].recent_active ? 1 : 0;
  return majority_vote_result(active) == VoteResult::Won;
}

}  // namespace scalebook::sim::raft
