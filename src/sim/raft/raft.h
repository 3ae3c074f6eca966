// raft.h — one Raft node as etcd's raft library runs it (go.etcd.io/raft/v3, raft.go's
// `raft` struct), driven by tick() and step(msg), UI-free and deterministic.
//
// Models (raft.go, rawnode.go, tracker/, quorum/majority.go, log.go):
//  - States follower / pre-candidate / candidate / leader; Term, Vote, lead.
//  - Ticks: a follower or (pre-)candidate counts electionElapsed and campaigns (MsgHup) once
//    it reaches its randomized election timeout, drawn uniformly from
//    [electionTick, 2·electionTick) at every reset (becoming follower, candidate or leader).
//    A leader sends heartbeats every heartbeatTick and, every electionTick, runs
//    CheckQuorum if enabled: it steps down unless a quorum (itself included) was
//    RecentActive since the previous check, then marks every follower inactive.
//  - Step's term rules: a message with a higher term makes the node a follower of that
//    term (lead = sender for App/Heartbeat, none otherwise) — except MsgPreVote, and
//    MsgPreVoteResp granting the vote, which never change the term; with CheckQuorum a
//    node that heard from a leader within the last electionTick ignores a higher-term
//    MsgVote/MsgPreVote altogether (the lease). A lower-term App/Heartbeat is answered
//    with an empty MsgAppResp at our term when CheckQuorum or PreVote is on (that is what
//    frees a stuck leader), a lower-term MsgPreVote is rejected, everything else of a lower
//    term is dropped.
//  - Votes: granted to a candidate whose log is at least as up to date (§5.4.1) if we
//    already voted for it, or have no vote and no leader in this term, or it is a PreVote
//    for a later term; a real vote is recorded and resets electionElapsed. Pre-vote
//    campaigns ask for term + 1 without changing the term; winning one starts the real
//    election. Votes are tallied per voter (the first answer counts) by majority.
//  - Leader: appends an empty entry at its term on election, replicates with one Progress
//    per follower (progress.h: probe / replicate, Inflights window of MaxInflightMsgs),
//    commits the highest index a majority has matched, only if that entry is of the
//    current term (log.h maybeCommit), sends the commit index in MsgApp and
//    min(Match, commit) in heartbeats, re-sends on heartbeat responses when behind.
//    Rejections carry etcd's hint (index, term) computed by findConflictByTerm on the
//    follower; the leader narrows it again with its own log before probing.
//  - Follower: appends after checking the previous entry, truncates a conflicting tail,
//    answers with its last new index or a rejection with the hint; forwards proposals to
//    the leader it knows (drops them without one, as does a candidate).
//  - One Ready cycle per input, as a RawNode with synchronous storage runs it: step() and
//    tick() update the state, persist it (instantly), queue outgoing messages in etcd's
//    Ready order (msgs, then the after-append responses to others), step the self-addressed
//    responses (the leader's self-ack of an append, a candidate's own vote) and apply every
//    committed entry (applied = commit). take_messages() hands the queue out. (etcd's node
//    loop folds whatever arrived between two Readys into one; here each input is its own.)
//  - MaxSizePerMsg is simplified to max_entries_per_msg: a MsgApp carries at most that many
//    entries, and at least one when any are due (etcd: MaxSizePerMsg 0 = one entry each).
// Randomness: etcd draws the randomized election timeout from its own global generator
// (crypto/rand in raft.go); here it is drawn from the node's own sim::Rng, so timeouts follow
// etcd's distribution but not its draws.
// Durability: restart() is a process restart from etcd's WAL: term, vote, the log and the
// commit index survive, as does `applied` (etcd's state machine is durable, bbolt with its
// consistent index); state, lead, votes, progress and timers are volatile and reset.
// Not modelled: log compaction and snapshots, conf changes and learners, leadership
// transfer, ReadIndex / lease reads, MaxUncommittedEntriesSize, MaxInflightBytes, async
// storage writes, the time a fsync takes, proposal batching (one entry per MsgProp),
// etcd server's extra ticks on restart (advanceTicksForElection), StartNode's bootstrap
// entries (a node starts with an empty log at term 0, as in etcd's own tests).
// Tie rules: peers are visited in id order (etcd sorts ids), so a broadcast goes 0, 1, 2, ...
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.h"
#include "sim/raft/log.h"
#include "sim/raft/message.h"
#include "sim/raft/progress.h"

namespace scalebook::sim::raft {

struct Config {
  NodeId id = 0;
  std::uint32_t voters = 3;     // the configuration: nodes 0..voters-1, all voters
  int election_tick = 10;       // etcd server: election-timeout 1000 ms / heartbeat 100 ms
  int heartbeat_tick = 1;
  bool pre_vote = false;        // the library's defaults; etcd server turns both on
  bool check_quorum = false;
  std::uint32_t max_inflight_msgs = 256;   // etcd's tests; etcd server uses 512
  std::uint32_t max_entries_per_msg = 0xFFFF'FFFFu;  // stands in for MaxSizePerMsg
};

struct HardState {
  Term term = 0;
  NodeId vote = kNone;
  Index commit = 0;
  bool operator==(const HardState&) const = default;
};

struct NodeStats {
  std::uint64_t pre_campaigns = 0;  // became pre-candidate
  std::uint64_t campaigns = 0;      // became candidate (a real election, term + 1)
  std::uint64_t became_leader = 0;
  std::uint64_t proposals_dropped = 0;  // etcd's ErrProposalDropped
};

class Node {
 public:
  // newRaft: the log and HardState come from storage; the node starts as a follower.
  Node(const Config& cfg, Rng rng, const std::vector<Entry>& log = {}, const HardState& hs = {});

  // [SECTION] Inputs: one Ready cycle each.
  void tick();
  bool step(const Message& m);  // false: a proposal was dropped (ErrProposalDropped)
  bool propose(std::uint64_t data);  // step(MsgProp) from the application
  void campaign() { step(make_msg(MsgType::Hup, id(), id())); }
  std::vector<Message> take_messages();  // what the Ready hands out, in order
  void restart();                        // a process restart from the WAL (see above)

  // [SECTION] Observation
  NodeId id() const { return cfg_.id; }
  const Config& config() const { return cfg_; }
  StateType state() const { return state_; }
  Term term() const { return term_; }
  NodeId vote() const { return vote_; }
  NodeId lead() const { return lead_; }
  HardState hard_state() const { return {term_, vote_, log_.committed()}; }
  const RaftLog& log() const { return log_; }
  const Progress& progress(NodeId n) const { return progress_.at(n); }  // meaningful on a leader
  std::int8_t vote_from(NodeId n) const { return votes_.at(n); }  // -1 none, 0 rejected, 1 granted
  int election_elapsed() const { return election_elapsed_; }
  int randomized_election_timeout() const { return randomized_election_timeout_; }
  const NodeStats& stats() const { return stats_; }
  std::size_t pending_messages() const { return msgs_.size() + msgs_after_append_.size(); }

  // [SECTION] The hooks etcd's own tests use (raft_test.go calls these directly). They run no
  // Ready cycle: advance() (etcd's advanceMessagesAfterAppend) or take_messages() does.
  void become_follower(Term term, NodeId lead);
  void become_candidate();
  void become_pre_candidate();
  void become_leader();
  void advance();
  void set_randomized_election_timeout(int ticks) { randomized_election_timeout_ = ticks; }
  void reset_randomized_election_timeout();
  bool past_election_timeout() const { return election_elapsed_ >= randomized_election_timeout_; }
  void set_election_elapsed(int ticks) { election_elapsed_ = ticks; }
  void set_pre_vote(bool on) { cfg_.pre_vote = on; }
  void set_check_quorum(bool on) { cfg_.check_quorum = on; }
  Progress& progress_mut(NodeId n) { return progress_.at(n); }
  bool step_raw(const Message& m);  // etcd's raft.Step, without the Ready cycle
  void send_append(NodeId to) { maybe_send_append(to, true); }
  void broadcast_append() { bcast_append(); }
  void append_entry(const std::vector<Entry>& ents);  // the leader's appendEntry

 private:
  enum class Campaign : std::uint8_t { PreElection, Election };

  void send(Message m);
  void reset(Term term);
  void tick_election();
  void tick_heartbeat();
  void hup(Campaign t);
  void run_campaign(Campaign t);
  VoteResult poll(NodeId from, bool granted);
  void step_vote_request(const Message& m);
  bool step_leader(const Message& m);
  void step_leader_app_resp(const Message& m, Progress& pr);
  bool step_candidate(const Message& m);
  bool step_follower(const Message& m);
  void handle_append_entries(const Message& m);
  void handle_heartbeat(const Message& m);
  bool maybe_send_append(NodeId to, bool send_if_empty);
  void send_heartbeat(NodeId to);
  void bcast_append();
  void bcast_heartbeat();
  bool maybe_commit();
  bool quorum_active() const;

  Config cfg_;
  Rng rng_;
  RaftLog log_;
  Term term_ = 0;
  NodeId vote_ = kNone;
  NodeId lead_ = kNone;
  StateType state_ = StateType::Follower;
  std::vector<Progress> progress_;  // by node id; the leader's own entry is progress_[id]
  std::vector<std::int8_t> votes_;  // by node id
  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_election_timeout_ = 0;
  std::vector<Message> msgs_;               // etcd's r.msgs
  std::vector<Message> msgs_after_append_;  // etcd's r.msgsAfterAppend
  NodeStats stats_;
};

}  // namespace scalebook::sim::raft
