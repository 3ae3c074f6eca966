// message.h — the entries and messages of the Raft model, as etcd's raftpb defines them.
//
// Models (go.etcd.io/raft/v3: raftpb/raft.proto, raft.go): an Entry is (term, index, data)
// with data reduced to one integer — the client proposal's id, 0 for an empty entry (the
// one a new leader appends). A Message carries the fields etcd's raft reads for the types
// modelled here; every other raftpb field (snapshot, context, responses, ...) is absent.
// Message types: the ones that cross the network (App/AppResp, Vote/VoteResp,
// PreVote/PreVoteResp, Heartbeat/HeartbeatResp, and Prop when a follower forwards a
// proposal to its leader) and the local ones a node steps into itself (Hup, Beat,
// CheckQuorum, Prop from the application). A local message has term 0, as in etcd.
//
// Node ids: 0..N-1, the network's node ids; kNone (etcd's None = 0) is an id no node has.
// etcd numbers its nodes from 1, so etcd's node k is our node k-1 in the ported tests.
// Not modelled: MsgSnap/MsgSnapStatus (no log compaction), MsgTransferLeader/
// MsgTimeoutNow, MsgReadIndex, MsgForgetLeader, MsgUnreachable, MsgStorage*, conf changes.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/digest.h"

namespace scalebook::sim::raft {

using NodeId = std::uint32_t;
using Term = std::uint64_t;
using Index = std::uint64_t;
inline constexpr NodeId kNone = 0xFFFF'FFFFu;

struct Entry {
  Term term = 0;
  Index index = 0;
  std::uint64_t data = 0;  // a proposal's id; 0 = empty entry (a new leader's, or a test's)
  bool operator==(const Entry&) const = default;
};

// etcd's StateType, in etcd's order.
enum class StateType : std::uint8_t { Follower, Candidate, Leader, PreCandidate };

enum class MsgType : std::uint8_t {
  Hup,          // local: start an election (the election timer fired)
  Beat,         // local: the leader sends heartbeats
  CheckQuorum,  // local: the leader checks that a quorum was active
  Prop,         // a proposal: local on the leader, forwarded by a follower
  App,
  AppResp,
  Vote,
  VoteResp,
  PreVote,
  PreVoteResp,
  Heartbeat,
  HeartbeatResp,
};

struct Message {
  MsgType type = MsgType::Hup;
  NodeId from = kNone;
  NodeId to = kNone;
  Term term = 0;      // 0 = local message (etcd: m.Term == 0)
  Term log_term = 0;  // App: term of entry `index`; Vote: candidate's last term; reject AppResp: hint's term
  Index index = 0;    // App: index before entries; Vote: candidate's last index; AppResp: last index
                      // accepted (or our commit), or, rejecting, the MsgApp's index
  std::vector<Entry> entries;
  Index commit = 0;
  bool reject = false;
  Index reject_hint = 0;

  bool operator==(const Message&) const = default;

  // Folded into the network's digest for every delivery (sim/net/network.h).
  void add_to(TraceDigest& d) const {
    d.add_byte(static_cast<std::uint8_t>(type));
    d.add_u64(from);
    d.add_u64(to);
    d.add_u64(term);
    d.add_u64(log_term);
    d.add_u64(index);
    d.add_u64(commit);
    d.add_byte(reject ? 1 : 0);
    d.add_u64(reject_hint);
    d.add_u64(entries.size());
    for (const Entry& e : entries) {
      d.add_u64(e.term);
      d.add_u64(e.index);
      d.add_u64(e.data);
    }
  }
};

// A message with its routing fields set (designated initializers cannot skip `entries`).
inline Message make_msg(MsgType type, NodeId from, NodeId to, Term term = 0) {
  Message m;
  m.type = type;
  m.from = from;
  m.to = to;
  m.term = term;
  return m;
}

// The response type of a vote request (etcd's voteRespMsgType).
constexpr MsgType vote_resp_type(MsgType t) { return t == MsgType::Vote ? MsgType::VoteResp : MsgType::PreVoteResp; }

const char* to_string(MsgType t);
const char* to_string(StateType s);

}  // namespace scalebook::sim::raft
