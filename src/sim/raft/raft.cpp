// raft.cpp — Node: the Ready cycle, Step's term rules, elections, and the follower and
// candidate step functions (raft.go). The leader's side is in raft_leader.cpp.
#include <cstdlib>
#include <utility>

#include "sim/raft/raft.h"

namespace scalebook::sim::raft {

const char* to_string(MsgType t) {
  static const char* const names[] = {"MsgHup",  "MsgBeat",     "MsgCheckQuorum", "MsgProp",
                                      "MsgApp",  "MsgAppResp",  "MsgVote",        "MsgVoteResp",
                                      "MsgPreVote", "MsgPreVoteResp", "MsgHeartbeat", "MsgHeartbeatResp"};
  return names[static_cast<int>(t)];
}

const char* to_string(StateType s) {
  static const char* const names[] = {"StateFollower", "StateCandidate", "StateLeader", "StatePreCandidate"};
  return names[static_cast<int>(s)];
}

// [SECTION] Construction and the Ready cycle

Node::Node(const Config& cfg, Rng rng, const std::vector<Entry>& log, const HardState& hs)
    : cfg_(cfg), rng_(rng), log_(log), progress_(cfg.voters), votes_(cfg.voters, -1) {
  // etcd's Config.validate().
  if (cfg.id >= cfg.voters || cfg.heartbeat_tick <= 0 || cfg.election_tick <= cfg.heartbeat_tick ||
      cfg.max_inflight_msgs == 0) {
    std::abort();
  }
  if (hs != HardState{}) {  // loadState
    if (hs.commit > log_.last_index()) std::abort();
    log_.commit_to(hs.commit);
    term_ = hs.term;
    vote_ = hs.vote;
  }
  become_follower(term_, kNone);
}

void Node::tick() {
  if (state_ == StateType::Leader) {
    tick_heartbeat();
  } else {
    tick_election();
  }
  advance();
}

bool Node::step(const Message& m) {
  const bool ok = step_raw(m);
  advance();
  if (!ok) ++stats_.proposals_dropped;
  return ok;
}

bool Node::propose(std::uint64_t data) {
  Message m = make_msg(MsgType::Prop, id(), id());
  m.entries.push_back(Entry{0, 0, data});
  return step(m);
}

// RawNode with synchronous storage: Ready.Messages is msgs followed by the after-append
// messages to other nodes; on Advance the self-addressed ones are stepped, which may queue
// more. Then every committed entry is applied.
void Node::advance() {
  while (!msgs_after_append_.empty()) {
    std::vector<Message> batch = std::exchange(msgs_after_append_, {});
    std::vector<Message> to_self;
    for (Message& m : batch) {
      if (m.to == id()) {
        to_self.push_back(std::move(m));
      } else {
        msgs_.push_back(std::move(m));
      }
    }
    for (const Message& m : to_self) step_raw(m);
  }
  if (log_.applied() < log_.committed()) log_.applied_to(log_.committed());
}

std::vector<Message> Node::take_messages() {
  advance();
  return std::exchange(msgs_, {});
}

void Node::restart() {
  msgs_.clear();
  msgs_after_append_.clear();
  become_follower(term_, kNone);  // same term: the vote survives, like the WAL's HardState
}

void Node::send(Message m) {
  if (m.from == kNone) m.from = id();
  const bool vote_like = m.type == MsgType::Vote || m.type == MsgType::VoteResp || m.type == MsgType::PreVote ||
                         m.type == MsgType::PreVoteResp;
  if (vote_like) {
    if (m.term == 0) std::abort();  // etcd: "term should be set when sending"
  } else {
    if (m.term != 0) std::abort();
    if (m.type != MsgType::Prop) m.term = term_;
  }
  if (m.type == MsgType::AppResp || m.type == MsgType::VoteResp || m.type == MsgType::PreVoteResp) {
    msgs_after_append_.push_back(std::move(m));  // only after the state they vouch for is durable
  } else {
    if (m.to == id()) std::abort();
    msgs_.push_back(std::move(m));
  }
}

// [SECTION] State transitions

void Node::reset(Term term) {
  if (term_ != term) {
    term_ = term;
    vote_ = kNone;
  }
  lead_ = kNone;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  reset_randomized_election_timeout();
  votes_.assign(cfg_.voters, -1);
  for (NodeId n = 0; n < cfg_.voters; ++n) {
    Progress& pr = progress_[n];
    pr = Progress{};
    pr.next = log_.last_index() + 1;
    pr.inflights = Inflights(cfg_.max_inflight_msgs);
    if (n == id()) pr.match = log_.last_index();
  }
}

void Node::reset_randomized_election_timeout() {
  randomized_election_timeout_ =
      cfg_.election_tick + static_cast<int>(rng_.uniform_int(static_cast<std::uint64_t>(cfg_.election_tick)));
}

void Node::become_follower(Term term, NodeId lead) {
  reset(term);
  lead_ = lead;
  state_ = StateType::Follower;
}

void Node::become_candidate() {
  if (state_ == StateType::Leader) std::abort();  // etcd: "invalid transition [leader -> candidate]"
  reset(term_ + 1);
  vote_ = id();
  state_ = StateType::Candidate;
  ++stats_.campaigns;
}

void Node::become_pre_candidate() {
  if (state_ == StateType::Leader) std::abort();
  // Neither the term nor the vote changes, and electionElapsed is not reset.
  votes_.assign(cfg_.voters, -1);
  lead_ = kNone;
  state_ = StateType::PreCandidate;
  ++stats_.pre_campaigns;
}

void Node::become_leader() {
  if (state_ == StateType::Follower) std::abort();  // etcd: "invalid transition [follower -> leader]"
  reset(term_);
  lead_ = id();
  state_ = StateType::Leader;
  Progress& self = progress_[id()];
  self.become_replicate();
  self.recent_active = true;
  append_entry({Entry{}});  // the empty entry that lets this term commit
  ++stats_.became_leader;
}

// [SECTION] Ticks and elections

void Node::tick_election() {
  ++election_elapsed_;
  if (past_election_timeout()) {  // every node is promotable here (no learners)
    election_elapsed_ = 0;
    step_raw(make_msg(MsgType::Hup, id(), id()));
  }
}

void Node::tick_heartbeat() {
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  if (election_elapsed_ >= cfg_.election_tick) {
    election_elapsed_ = 0;
    if (cfg_.check_quorum) step_raw(make_msg(MsgType::CheckQuorum, id(), id()));
  }
  if (state_ != StateType::Leader) return;
  if (heartbeat_elapsed_ >= cfg_.heartbeat_tick) {
    heartbeat_elapsed_ = 0;
    step_raw(make_msg(MsgType::Beat, id(), id()));
  }
}

void Node::hup(Campaign t) {
  if (state_ == StateType::Leader) return;  // "ignoring MsgHup because already leader"
  run_campaign(t);
}

void Node::run_campaign(Campaign t) {
  MsgType vote_msg;
  Term term;
  if (t == Campaign::PreElection) {
    become_pre_candidate();
    vote_msg = MsgType::PreVote;
    term = term_ + 1;  // pre-votes ask for the next term without moving to it
  } else {
    become_candidate();
    vote_msg = MsgType::Vote;
    term = term_;
  }
  for (NodeId n = 0; n < cfg_.voters; ++n) {
    Message m = make_msg(vote_resp_type(vote_msg), id(), n, term);
    if (n != id()) {
      m.type = vote_msg;
      m.index = log_.last_index();
      m.log_term = log_.last_term();
    }
    send(std::move(m));  // our own vote is an after-append response to ourselves
  }
}

VoteResult Node::poll(NodeId from, bool granted) {
  if (from < votes_.size() && votes_[from] < 0) votes_[from] = granted ? 1 : 0;  // the first answer counts
  return majority_vote_result(votes_);
}

// [SECTION] Step

bool Node::step_raw(const Message& m) {
  if (m.term == 0) {
    // a local message
  } else if (m.term > term_) {
    if (m.type == MsgType::Vote || m.type == MsgType::PreVote) {
      const bool in_lease = cfg_.check_quorum && lead_ != kNone && election_elapsed_ < cfg_.election_tick;
      if (in_lease) return true;  // heard from a leader within the election timeout: ignore it
    }
    if (m.type == MsgType::PreVote) {
      // never change the term for a pre-vote
    } else if (m.type == MsgType::PreVoteResp && !m.reject) {
      // a granted pre-vote carries the term we asked for; the term moves if we win
    } else if (m.type == MsgType::App || m.type == MsgType::Heartbeat) {
      become_follower(m.term, m.from);
    } else {
      become_follower(m.term, kNone);
    }
  } else if (m.term < term_) {
    if ((cfg_.check_quorum || cfg_.pre_vote) && (m.type == MsgType::Heartbeat || m.type == MsgType::App)) {
      // A stale leader: tell it our term so that it steps down.
      send(make_msg(MsgType::AppResp, id(), m.from));
    } else if (m.type == MsgType::PreVote) {
      Message r = make_msg(MsgType::PreVoteResp, id(), m.from, term_);
      r.reject = true;
      send(std::move(r));
    }
    return true;  // every other lower-term message is ignored
  }

  switch (m.type) {
    case MsgType::Hup:
      hup(cfg_.pre_vote ? Campaign::PreElection : Campaign::Election);
      return true;
    case MsgType::Vote:
    case MsgType::PreVote:
      step_vote_request(m);
      return true;
    default:
      break;
  }
  switch (state_) {
    case StateType::Leader:
      return step_leader(m);
    case StateType::Candidate:
    case StateType::PreCandidate:
      return step_candidate(m);
    case StateType::Follower:
      break;
  }
  return step_follower(m);
}

void Node::step_vote_request(const Message& m) {
  const bool can_vote = vote_ == m.from || (vote_ == kNone && lead_ == kNone) ||
                        (m.type == MsgType::PreVote && m.term > term_);
  if (can_vote && log_.is_up_to_date(m.index, m.log_term)) {
    // Answer with the message's term, not ours: for a pre-vote they differ.
    send(make_msg(vote_resp_type(m.type), id(), m.from, m.term));
    if (m.type == MsgType::Vote) {
      election_elapsed_ = 0;
      vote_ = m.from;
    }
  } else {
    Message r = make_msg(vote_resp_type(m.type), id(), m.from, term_);
    r.reject = true;
    send(std::move(r));
  }
}

bool Node::step_candidate(const Message& m) {
  const MsgType my_resp = state_ == StateType::PreCandidate ? MsgType::PreVoteResp : MsgType::VoteResp;
  switch (m.type) {
    case MsgType::Prop:
      return false;  // no leader: dropped
    case MsgType::App:
      become_follower(m.term, m.from);  // m.term == term_ here
      handle_append_entries(m);
      return true;
    case MsgType::Heartbeat:
      become_follower(m.term, m.from);
      handle_heartbeat(m);
      return true;
    default:
      break;
  }
  if (m.type != my_resp) return true;  // e.g. a stale pre-vote answer once a candidate
  switch (poll(m.from, !m.reject)) {
    case VoteResult::Won:
      if (state_ == StateType::PreCandidate) {
        run_campaign(Campaign::Election);
      } else {
        become_leader();
        bcast_append();
      }
      break;
    case VoteResult::Lost:
      become_follower(term_, kNone);  // a pre-vote answer's term is ours + 1: keep ours
      break;
    case VoteResult::Pending:
      break;
  }
  return true;
}

bool Node::step_follower(const Message& m) {
  switch (m.type) {
    case MsgType::Prop: {
      if (lead_ == kNone) return false;
      Message fwd = m;
      fwd.to = lead_;
      send(std::move(fwd));
      return true;
    }
    case MsgType::App:
      election_elapsed_ = 0;
      lead_ = m.from;
      handle_append_entries(m);
      return true;
    case MsgType::Heartbeat:
      election_elapsed_ = 0;
      lead_ = m.from;
      handle_heartbeat(m);
      return true;
    default:
      return true;
  }
}

void Node::handle_append_entries(const Message& m) {
  Message r = make_msg(MsgType::AppResp, id(), m.from);
  if (m.index < log_.committed()) {
    r.index = log_.committed();
    send(std::move(r));
    return;
  }
  if (auto [last_new, ok] = log_.maybe_append(m.index, m.log_term, m.commit, m.entries); ok) {
    r.index = last_new;
    send(std::move(r));
    return;
  }
  // A hint: the largest (index, term) at or below m.index with term <= m.log_term, so the
  // leader can skip our whole divergent tail of higher terms.
  const auto [hint_index, hint_term] = log_.find_conflict_by_term(std::min(m.index, log_.last_index()), m.log_term);
  r.index = m.index;
  r.reject = true;
  r.reject_hint = hint_index;
  r.log_term = hint_term;
  send(std::move(r));
}

void Node::handle_heartbeat(const Message& m) {
  log_.commit_to(m.commit);
  send(make_msg(MsgType::HeartbeatResp, id(), m.from));
}

}  // namespace scalebook::sim::raft
